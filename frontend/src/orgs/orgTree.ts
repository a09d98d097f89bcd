import type { OrgRead } from '../api';

/** A node of the lazily loaded organisation tree; `children` is undefined until they are loaded. */
export interface OrgNode {
  org: OrgRead;
  children?: OrgNode[];
}

export function toNodes(orgs: OrgRead[]): OrgNode[] {
  return orgs.map((org) => ({ org }));
}

/** A copy of the tree with the loaded children of `parentId` set. */
export function withChildren(nodes: OrgNode[], parentId: number, children: OrgRead[]): OrgNode[] {
  return nodes.map((node) => {
    if (node.org.id === parentId) {
      return { ...node, children: toNodes(children) };
    }
    if (node.children) {
      return { ...node, children: withChildren(node.children, parentId, children) };
    }
    return node;
  });
}

export function findOrg(nodes: OrgNode[], id: number): OrgRead | undefined {
  for (const node of nodes) {
    if (node.org.id === id) {
      return node.org;
    }
    const found = node.children && findOrg(node.children, id);
    if (found) {
      return found;
    }
  }
  return undefined;
}

export interface FilteredTree {
  nodes: OrgNode[];
  /** The ancestors of every match, so that expanding them reveals all matches. */
  expandedIds: number[];
}

/**
 * The loaded organisations whose name contains `query`, with their ancestors (to show where they
 * sit) and their loaded descendants (to keep them expandable). A blank query keeps everything.
 */
export function filterTree(nodes: OrgNode[], query: string): FilteredTree {
  const needle = query.trim().toLowerCase();
  if (!needle) {
    return { nodes, expandedIds: [] };
  }
  const expandedIds: number[] = [];
  const visit = (level: OrgNode[]): OrgNode[] =>
    level.flatMap((node) => {
      const matchingDescendants = node.children ? visit(node.children) : [];
      if (matchingDescendants.length > 0) {
        expandedIds.push(node.org.id);
      }
      if (node.org.name.toLowerCase().includes(needle)) {
        return [node];
      }
      return matchingDescendants.length > 0 ? [{ ...node, children: matchingDescendants }] : [];
    });
  return { nodes: visit(nodes), expandedIds };
}
