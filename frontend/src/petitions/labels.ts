import type { PetitionKind, PetitionRead, PetitionState } from '../api';
import { t } from '../i18n';

/** Tag colours along the workflow: waiting in warm colours, settled in cool ones. */
export const STATE_COLORS: Record<PetitionState, string> = {
  filed: 'gold',
  accepted: 'blue',
  rejected: 'default',
  answered: 'cyan',
  closed: 'success',
};

export const KIND_COLORS: Record<PetitionKind, string> = {
  appeal: 'purple',
  report: 'volcano',
  criticism: 'geekblue',
};

/** `PETITIONS_ANSWER_DAYS` in the backend's `core/policy.py`: the answer is due this many days after acceptance. */
export const ANSWER_DAYS = 60;

type Deadlines = Pick<PetitionRead, 'state' | 'accept_due_at' | 'answer_due_at'>;

/** The deadline that runs now: to accept while filed, to answer once accepted; none after that. */
export function currentDeadline(item: Deadlines): string | null {
  if (item.state === 'filed') return item.accept_due_at;
  if (item.state === 'accepted') return item.answer_due_at;
  return null;
}

/** Whole days left (positive) or past (negative) until the current deadline. */
export function daysLeft(due: string, now: Date): number {
  return Math.ceil((new Date(due).getTime() - now.getTime()) / 86_400_000);
}

export const stateLabel = (state: PetitionState): string => t.petitions.states[state];

/** A step on a petition, each its own endpoint. */
export type PetitionAction = 'accept' | 'reject' | 'answer' | 'close';

/** The steps offered in each state: the handler accepts or rejects, then answers; once answered, it may be closed. */
export function actionsFor(item: Pick<PetitionRead, 'state'>, asFiler: boolean): PetitionAction[] {
  if (asFiler) return item.state === 'answered' ? ['close'] : [];
  switch (item.state) {
    case 'filed':
      return ['accept', 'reject'];
    case 'accepted':
      return ['answer'];
    case 'answered':
      return ['close'];
    default:
      return [];
  }
}

