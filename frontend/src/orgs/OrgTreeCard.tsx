import { ApartmentOutlined } from '@ant-design/icons';
import { App, Card, Empty, Input, Spin, Tree, type TreeDataNode, type TreeProps } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OrgRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useElementHeight } from '../lib/useElementHeight';
import { fetchChildOrgs, fetchRootOrgs } from './orgApi';
import { OrgTitle } from './OrgTitle';
import { filterTree, findOrg, toNodes, withChildren, type OrgNode } from './orgTree';

function toTreeData(nodes: OrgNode[], query: string): TreeDataNode[] {
  return nodes.map(({ org, children }) => ({
    key: org.id,
    title: <OrgTitle org={org} query={query} />,
    isLeaf: org.child_count === 0,
    children: children && toTreeData(children, query),
  }));
}

interface Props {
  selectedId: number | null;
  onSelect: (org: OrgRead) => void;
}

/** The organisations the caller may see, loaded a level at a time as the tree is expanded, with a search over the loaded ones. */
export function OrgTreeCard({ selectedId, onSelect }: Props) {
  const { message } = App.useApp();
  const [roots, setRoots] = useState<OrgNode[] | null>(null);
  // Expansions while browsing and while searching are kept apart, so clearing a search restores the tree.
  const [browseExpandedIds, setBrowseExpandedIds] = useState<number[]>([]);
  const [searchExpandedIds, setSearchExpandedIds] = useState<number[]>([]);
  const [query, setQuery] = useState('');
  const treeBox = useRef<HTMLDivElement>(null);
  const treeHeight = useElementHeight(treeBox);

  useEffect(() => {
    let current = true;
    fetchRootOrgs().then(
      (orgs) => {
        if (!current) return;
        setRoots(toNodes(orgs));
        // A single root (the usual case: the caller's own committee) starts open and selected.
        const [only] = orgs;
        if (only && orgs.length === 1) {
          setBrowseExpandedIds([only.id]);
          onSelect(only);
        }
      },
      (error: unknown) => {
        if (!current) return;
        setRoots([]);
        void message.error(errorMessage(error));
      },
    );
    return () => {
      current = false;
    };
  }, [message, onSelect]);

  const searching = query.trim() !== '';
  const expandedIds = searching ? searchExpandedIds : browseExpandedIds;
  const setExpandedIds = searching ? setSearchExpandedIds : setBrowseExpandedIds;
  const filtered = useMemo(() => filterTree(roots ?? [], query), [roots, query]);
  const treeData = useMemo(() => toTreeData(filtered.nodes, query), [filtered, query]);

  const loadChildren: TreeProps['loadData'] = async ({ key }) => {
    const parentId = Number(key);
    try {
      const children = await fetchChildOrgs(parentId);
      setRoots((nodes) => nodes && withChildren(nodes, parentId, children));
    } catch (error) {
      const collapse = (ids: number[]) => ids.filter((id) => id !== parentId);
      setBrowseExpandedIds(collapse);
      setSearchExpandedIds(collapse);
      void message.error(errorMessage(error));
      throw error; // lets the tree try again on the next expand
    }
  };

  const search = (value: string) => {
    setQuery(value);
    if (value.trim()) {
      setSearchExpandedIds(filterTree(roots ?? [], value).expandedIds);
    }
  };

  const select: TreeProps['onSelect'] = ([key]) => {
    const org = key === undefined || !roots ? undefined : findOrg(roots, Number(key));
    if (org) onSelect(org);
  };

  return (
    <Card
      title={
        <span>
          <ApartmentOutlined style={{ marginRight: 8, color: 'var(--ant-color-primary)' }} />
          {t.org.treeTitle}
        </span>
      }
      styles={{ body: { padding: 12 } }}
    >
      <Input.Search
        allowClear
        placeholder={t.org.searchPlaceholder}
        value={query}
        onChange={(event) => {
          search(event.target.value);
        }}
        style={{ marginBottom: 12 }}
      />
      <div ref={treeBox} style={{ height: 'calc(100vh - 240px)', minHeight: 320 }}>
        {roots === null ? (
          <Spin style={{ display: 'block', marginTop: 48 }} />
        ) : treeData.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={searching ? t.org.noMatch : t.org.noOrgs} />
        ) : (
          <Tree
            blockNode
            height={treeHeight}
            treeData={treeData}
            loadData={loadChildren}
            expandedKeys={expandedIds}
            onExpand={(keys) => {
              setExpandedIds(keys.map(Number));
            }}
            selectedKeys={selectedId === null ? [] : [selectedId]}
            onSelect={select}
          />
        )}
      </div>
    </Card>
  );
}
