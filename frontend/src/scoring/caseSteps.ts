import type { CaseRead } from '../api';

export type CaseStep = 'talk' | 'deadline' | 'decide' | 'close';

/**
 * The follow-up steps a case allows now, in the API's order (open → improving → decided → closed):
 * talks while open or improving, the deadline after a talk, the decision once improving, then close.
 */
export function offeredSteps(item: Pick<CaseRead, 'status' | 'talks'>): CaseStep[] {
  switch (item.status) {
    case 'open':
      return item.talks.length ? ['talk', 'deadline'] : ['talk'];
    case 'improving':
      return ['talk', 'decide'];
    case 'decided':
      return ['close'];
    case 'closed':
      return [];
  }
}
