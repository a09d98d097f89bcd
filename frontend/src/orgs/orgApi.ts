import { listOrgs, listOrgRoots, type OrgRead } from '../api';

/** Children are fetched in pages of this size; a branch-heavy committee has hundreds. */
const PAGE_SIZE = 200;

export async function fetchRootOrgs(): Promise<OrgRead[]> {
  const { data } = await listOrgRoots();
  return data.items;
}

/** All direct children of an organisation, following `next_cursor` to the last page. */
export async function fetchChildOrgs(parentId: number): Promise<OrgRead[]> {
  const children: OrgRead[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await listOrgs({ query: { parent_id: parentId, limit: PAGE_SIZE, cursor } });
    children.push(...data.items);
    cursor = data.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return children;
}
