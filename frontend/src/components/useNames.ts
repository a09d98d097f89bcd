import { useEffect, useState } from 'react';
import { getMember, getOrg } from '../api';

type Ids = readonly (number | null | undefined)[];

/**
 * Display names for the ids a list carries (its rows hold only ids), each fetched once; an id the
 * caller may not read shows as `#id`. `fetchName` must be stable (a module-level function).
 */
export function useNames(ids: Ids, fetchName: (id: number) => Promise<string>, enabled = true): Record<number, string> {
  const [names, setNames] = useState<Record<number, string>>({});
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
  const missingKey = enabled
    ? wanted
        .filter((id) => !(id in names))
        .sort((a, b) => a - b)
        .join(',')
    : '';

  useEffect(() => {
    if (!missingKey) return;
    let current = true;
    const missing = missingKey.split(',').map(Number);
    void Promise.allSettled(missing.map((id) => fetchName(id))).then((results) => {
      if (!current) return;
      const found: Record<number, string> = {};
      results.forEach((result, i) => {
        const id = missing[i];
        if (id !== undefined) found[id] = result.status === 'fulfilled' ? result.value : `#${String(id)}`;
      });
      setNames((known) => ({ ...known, ...found }));
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fetchName is stable by contract
  }, [missingKey]);

  return names;
}

const orgName = (id: number) => getOrg({ path: { org_id: id } }).then(({ data }) => data.name);

// A member read by a caller holding `pii` is audited, i.e. written: on SQLite, parallel reads then fight
// over the write lock (503, retried). Member names are therefore fetched one after another.
let memberQueue: Promise<unknown> = Promise.resolve();
const memberName = (id: number): Promise<string> => {
  const next = memberQueue.then(() => getMember({ path: { member_id: id } }).then(({ data }) => data.name));
  memberQueue = next.catch(() => undefined);
  return next;
};

export const useOrgNames = (ids: Ids) => useNames(ids, orgName);
export const useMemberNames = (ids: Ids) => useNames(ids, memberName);
