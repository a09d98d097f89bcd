import { org } from '../test/fixtures';
import { filterTree, findOrg, toNodes, withChildren, type OrgNode } from './orgTree';

const county = org({ id: 1, name: '中共示范县委员会', kind: 'committee', child_count: 2 });
const town = org({ id: 2, name: '城关镇党委', kind: 'committee', parent_id: 1, child_count: 1 });
const school = org({ id: 3, name: '县教育局党委', kind: 'committee', parent_id: 1, child_count: 0 });
const village = org({ id: 4, name: '东关村党支部', parent_id: 2 });

function loadedTree(): OrgNode[] {
  return withChildren(withChildren(toNodes([county]), 1, [town, school]), 2, [village]);
}

const names = (nodes: OrgNode[]): unknown[] =>
  nodes.map((node) => (node.children ? [node.org.name, names(node.children)] : node.org.name));

describe('withChildren', () => {
  it('attaches loaded children under their parent, at any depth', () => {
    expect(names(loadedTree())).toEqual([['中共示范县委员会', [['城关镇党委', ['东关村党支部']], '县教育局党委']]]);
  });

  it('leaves the input tree untouched', () => {
    const before = toNodes([county]);
    withChildren(before, 1, [town]);
    expect(before[0]?.children).toBeUndefined();
  });
});

describe('findOrg', () => {
  it('finds loaded organisations at any depth', () => {
    expect(findOrg(loadedTree(), 4)).toBe(village);
    expect(findOrg(loadedTree(), 99)).toBeUndefined();
  });
});

describe('filterTree', () => {
  it('keeps everything for a blank query', () => {
    const tree = loadedTree();
    expect(filterTree(tree, '  ')).toEqual({ nodes: tree, expandedIds: [] });
  });

  it('keeps matches with their ancestors and expands the ancestors', () => {
    const { nodes, expandedIds } = filterTree(loadedTree(), '东关');
    expect(names(nodes)).toEqual([['中共示范县委员会', [['城关镇党委', ['东关村党支部']]]]]);
    expect(expandedIds.sort()).toEqual([1, 2]);
  });

  it('keeps the loaded subtree of a match so it can still be expanded', () => {
    const { nodes, expandedIds } = filterTree(loadedTree(), '城关镇');
    expect(names(nodes)).toEqual([['中共示范县委员会', [['城关镇党委', ['东关村党支部']]]]]);
    expect(expandedIds).toEqual([1]);
  });

  it('ignores letter case', () => {
    const tree = toNodes([org({ id: 9, name: 'ABC Branch' })]);
    expect(names(filterTree(tree, 'abc').nodes)).toEqual(['ABC Branch']);
  });

  it('returns nothing when nothing matches', () => {
    expect(filterTree(loadedTree(), '不存在')).toEqual({ nodes: [], expandedIds: [] });
  });
});
