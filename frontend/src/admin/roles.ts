import type { Permission, Role } from '../api';

/** Every role, highest first. */
export const ROLES: readonly Role[] = ['admin', 'org_admin', 'secretary', 'member', 'auditor'];

/**
 * The roles each role may give others, as the API's `GRANTABLE_ROLES` has them (core/permissions.py).
 * The form offers only these; the API refuses any other regardless (403 `role_not_grantable`).
 */
const GRANTABLE: Record<Role, readonly Role[]> = {
  admin: ROLES,
  org_admin: ['org_admin', 'secretary', 'member', 'auditor'],
  secretary: ['member'],
  member: [],
  auditor: [],
};

export function grantableRoles(role: Role | null | undefined): readonly Role[] {
  return role ? GRANTABLE[role] : [];
}

/** A new account is most often a member's: that role when the caller may grant it, else the lowest it may. */
export function defaultRole(grantable: readonly Role[]): Role | undefined {
  return grantable.includes('member') ? 'member' : grantable.at(-1);
}

/** Only a system administrator without an organisation may create accounts that have none (other admins). */
export function mayCreateGlobal(role: Role | null | undefined, orgId: number | null | undefined): boolean {
  return role === 'admin' && orgId == null;
}

/** The scopes a caller may put on a service account: the permissions it holds itself, in the enum's order. */
export function grantableScopes(all: readonly Permission[], held: readonly Permission[]): Permission[] {
  return all.filter((permission) => held.includes(permission));
}
