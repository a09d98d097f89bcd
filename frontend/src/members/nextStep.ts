import type { DueRule, StepKind, TimelineRead } from '../api';
import { addMonths, addYears, daysBetween } from '../lib/dates';

/** What the member's development calls for next, with the rule's date (mirrors the API's due list). */
export interface NextStep {
  /** The step to record: a pipeline command, or the superior committee's decision on a pending one. */
  kind: StepKind | 'approval';
  /** Other steps open at the same point (at the end of probation: extend or cancel instead of confirm). */
  alternatives: StepKind[];
  rule: DueRule | null;
  /** The deadline (`deadline`), or the first day the step is allowed; null when no rule sets one. */
  dueOn: string | null;
  deadline: boolean;
  /** Days past a missed deadline, 0 when not overdue. */
  daysOverdue: number;
}

// The 细则's periods, as the API's policy has them (backend core/policy.py, DEV_*).
const TALK_WITHIN_MONTHS = 1;
const MIN_ACTIVIST_YEARS = 1;
const APPROVAL_WITHIN_MONTHS = 3;

function step(
  kind: NextStep['kind'],
  today: string,
  rule: DueRule | null = null,
  dueOn: string | null = null,
  deadline = false,
  alternatives: StepKind[] = [],
): NextStep {
  const late = deadline && dueOn !== null ? Math.max(0, daysBetween(dueOn, today)) : 0;
  return { kind, alternatives, rule, dueOn, deadline, daysOverdue: late };
}

/** The next step of a member's development on `today` (ISO date), or null when none is open. */
export function nextStep(timeline: TimelineRead, today: string): NextStep | null {
  if (timeline.status !== 'normal') {
    return null;
  }
  const pending = timeline.steps.find((s) => s.approval_status === 'pending');
  if (pending) {
    return step('approval', today, 'approval_due', addMonths(pending.decided_on, APPROVAL_WITHIN_MONTHS), true);
  }
  switch (timeline.stage) {
    case 'applicant': {
      const applied = timeline.applied_on;
      const talked = applied !== null && timeline.steps.some((s) => s.kind === 'talk' && s.decided_on >= applied);
      if (!talked && applied !== null) {
        return step('talk', today, 'talk_due', addMonths(applied, TALK_WITHIN_MONTHS), true);
      }
      return step(talked ? 'activist' : 'talk', today);
    }
    case 'activist':
      return timeline.activist_on
        ? step('candidate', today, 'candidate_eligible', addYears(timeline.activist_on, MIN_ACTIVIST_YEARS))
        : step('candidate', today);
    case 'candidate':
      return step('admit', today);
    case 'probationary':
      return step('confirm', today, 'probation_ending', timeline.probation_ends_on, true, ['extend', 'cancel']);
    case 'full':
      return null;
  }
}
