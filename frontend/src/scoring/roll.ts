import { listMembers, type MemberRead, type RaterGroup } from '../api';

export interface RollMember {
  id: number;
  name: string;
  probationary: boolean;
}

/**
 * The members a round evaluates, as the API counts them: on the org's own roll (not its groups'),
 * in good standing, probationary or full.
 */
export function rollOf(members: MemberRead[], orgId: number): RollMember[] {
  return members
    .filter((m) => m.org_id === orgId && m.status === 'normal' && (m.stage === 'probationary' || m.stage === 'full'))
    .map((m) => ({ id: m.id, name: m.name, probationary: m.stage === 'probationary' }));
}

/** Every page of the org's members (500 at a time), reduced to the round's roll. */
export async function loadRoll(orgId: number): Promise<RollMember[]> {
  const members: MemberRead[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 40; page += 1) {
    const { data } = await listMembers({ query: { org_id: orgId, status: 'normal', limit: 500, cursor } });
    members.push(...data.items);
    if (!data.next_cursor) break;
    cursor = data.next_cursor;
  }
  return rollOf(members, orgId);
}

/** Which rater the ballot needs besides the member: the member themself, another member, a committee member, or none (the caller). */
export function raterNeeded(group: RaterGroup): 'same' | 'other' | 'any' | 'caller' {
  switch (group) {
    case 'self':
      return 'same';
    case 'fellow':
      return 'other';
    case 'committee':
      return 'any';
    default:
      return 'caller';
  }
}
