import type { Me } from '../api';

export type HomeView = 'county' | 'branch' | 'member';

/**
 * Which home a caller gets, from `/auth/me`: without `members:read` a member's welcome; a branch
 * secretary (role `secretary`, scoped to their branch) what is due this week; anyone else who reads
 * members — organisation-department admins, auditors, the system administrator — the charts of their subtree.
 */
export function homeViewOf(user: Pick<Me, 'role' | 'permissions'>): HomeView {
  if (!user.permissions.includes('members:read')) return 'member';
  return user.role === 'secretary' ? 'branch' : 'county';
}
