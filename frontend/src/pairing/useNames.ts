import { getBeneficiary, getUser, type BeneficiaryRead } from '../api';
import { useNames } from '../components/useNames';
import { t } from '../i18n';

/** Shown for a name still loading (one that cannot be read shows as `#id`). */
export const LOADING = '…';

/** A beneficiary's name: the member's, or the head of the household's. */
export const beneficiaryName = (b: Pick<BeneficiaryRead, 'member_name' | 'head_name' | 'id'>): string => b.member_name ?? b.head_name ?? `#${String(b.id)}`;

const userName = (id: number) => getUser({ path: { user_id: id } }).then(({ data }) => data.display_name);
const beneficiaryNameOf = (id: number) => getBeneficiary({ path: { beneficiary_id: id } }).then(({ data }) => beneficiaryName(data));

export const useUserNames = (ids: (number | null | undefined)[], canRead: boolean) => useNames(ids, userName, canRead);
export const useBeneficiaryNames = (ids: (number | null | undefined)[]) => useNames(ids, beneficiaryNameOf);

/** Who helps (or must visit): a member's name, a cadre's account name, or the branch itself. */
export function helperLabel(row: { helper_member_id: number | null; helper_user_id: number | null }, members: Record<number, string>, users: Record<number, string>): string {
  if (row.helper_member_id !== null) return members[row.helper_member_id] ?? LOADING;
  if (row.helper_user_id !== null) return users[row.helper_user_id] ?? LOADING;
  return t.pairing.branchDuty;
}
