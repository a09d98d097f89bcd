import { useEffect, useState } from 'react';
import { getBeneficiary, getMember, getUser, type BeneficiaryRead } from '../api';
import { t } from '../i18n';

/**
 * Display names for ids a list carries (helpers, beneficiaries, members), each fetched once; an id
 * the caller may not read shows as `#id`.
 */
function useNames(ids: (number | null | undefined)[], fetchName: (id: number) => Promise<string>, enabled = true): Record<number, string> {
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
    // fetchName is one of the module-level fetchers below: stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [missingKey]);

  return names;
}

/** Shown for a name still loading (one that cannot be read shows as `#id`). */
export const LOADING = '…';

/** A beneficiary's name: the member's, or the head of the household's. */
export const beneficiaryName = (b: Pick<BeneficiaryRead, 'member_name' | 'head_name' | 'id'>): string => b.member_name ?? b.head_name ?? `#${String(b.id)}`;

// A member read by a caller holding `pii` is audited, i.e. written: on SQLite, parallel reads then fight
// over the write lock. Member names are therefore fetched one after another.
let memberQueue: Promise<unknown> = Promise.resolve();
const memberName = (id: number): Promise<string> => {
  const next = memberQueue.then(() => getMember({ path: { member_id: id } }).then(({ data }) => data.name));
  memberQueue = next.catch(() => undefined);
  return next;
};
const userName = (id: number) => getUser({ path: { user_id: id } }).then(({ data }) => data.display_name);
const beneficiaryNameOf = (id: number) => getBeneficiary({ path: { beneficiary_id: id } }).then(({ data }) => beneficiaryName(data));

export const useMemberNames = (ids: (number | null | undefined)[]) => useNames(ids, memberName);
export const useUserNames = (ids: (number | null | undefined)[], canRead: boolean) => useNames(ids, userName, canRead);
export const useBeneficiaryNames = (ids: (number | null | undefined)[]) => useNames(ids, beneficiaryNameOf);

/** Who helps (or must visit): a member's name, a cadre's account name, or the branch itself. */
export function helperLabel(row: { helper_member_id: number | null; helper_user_id: number | null }, members: Record<number, string>, users: Record<number, string>): string {
  if (row.helper_member_id !== null) return members[row.helper_member_id] ?? LOADING;
  if (row.helper_user_id !== null) return users[row.helper_user_id] ?? LOADING;
  return t.pairing.branchDuty;
}
