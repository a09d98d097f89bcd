import type { BallotCreate, Grade, RaterGroup } from '../api';
import { raterNeeded } from './roll';

/** The ballot form's values. */
export interface BallotValues {
  member_id?: number;
  rater_group: RaterGroup;
  rater_member_id?: number | null;
  mode: 'grade' | 'score';
  grade?: Grade;
  score?: number | null;
  comment?: string;
}

/** The API's body: the rater only where the group needs one (a self-review is the member's own). */
export function ballotBody(values: BallotValues): BallotCreate {
  const need = raterNeeded(values.rater_group);
  return {
    member_id: values.member_id ?? 0,
    rater_group: values.rater_group,
    rater_member_id: need === 'same' ? (values.member_id ?? null) : need === 'caller' ? null : (values.rater_member_id ?? null),
    ...(values.mode === 'grade' ? { grade: values.grade ?? null } : { score: values.score === null || values.score === undefined ? null : String(values.score) }),
    comment: values.comment?.trim() ? values.comment.trim() : null,
  };
}

