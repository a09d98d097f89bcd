import { TreeSelect, type TreeSelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { getOrg, type OrgRead } from '../api';
import { t } from '../i18n';
import { fetchChildOrgs, fetchRootOrgs } from '../orgs/orgApi';

interface Node {
  id: number;
  pId: number | null;
  value: number;
  title: string;
  isLeaf: boolean;
}

const toNode = (org: OrgRead): Node => ({
  id: org.id,
  pId: org.parent_id,
  value: org.id,
  title: org.name,
  isLeaf: org.child_count === 0,
});

function merge(nodes: Node[], more: Node[]): Node[] {
  const known = new Set(nodes.map((node) => node.id));
  return [...nodes, ...more.filter((node) => !known.has(node.id))];
}

interface Props {
  value?: number | null;
  onChange?: (value: number | null) => void;
  id?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'aria-label'?: string;
}

/** Chooses one organisation the caller may see; the tree loads a level at a time as it is expanded. */
export function OrgPicker({ value, onChange, id, allowClear = true, style, ...rest }: Props) {
  const [nodes, setNodes] = useState<Node[]>([]);

  useEffect(() => {
    let current = true;
    fetchRootOrgs().then(
      (roots) => {
        if (current) setNodes((known) => merge(roots.map(toNode), known));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  // A preselected organisation (from the address bar) may sit deep in a tree not loaded yet: fetch its name.
  const missingId = value != null && !nodes.some((node) => node.id === value) ? value : null;
  useEffect(() => {
    if (missingId === null) return;
    let current = true;
    getOrg({ path: { org_id: missingId } }).then(
      ({ data }) => {
        if (current) setNodes((known) => merge(known, [toNode(data)]));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [missingId]);

  const loadData: TreeSelectProps['loadData'] = async (node) => {
    const parentId = Number(node.value);
    const children = await fetchChildOrgs(parentId);
    setNodes((known) => merge(known, children.map(toNode)));
  };

  return (
    <TreeSelect<number>
      id={id}
      aria-label={rest['aria-label']}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={allowClear}
      placeholder={t.orgPicker.placeholder}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeData={nodes}
      loadData={loadData}
      value={value ?? undefined}
      onChange={(next: number | undefined) => {
        onChange?.(next ?? null);
      }}
      style={{ minWidth: 240, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
