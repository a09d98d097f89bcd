import type { Role, UserCreate, UserRead, UserUpdate } from '../api';
import { trimmed } from './auditQuery';
import { ROLES } from './roles';

/** The user form's values; `member_id` is the member picker's selection (at most one). */
export interface UserValues {
  username: string;
  display_name: string;
  password?: string;
  role: Role;
  org_id: number | null;
  member_id?: number[];
  is_active?: boolean;
}

/** Refusals that belong to one field of the form, by problem code. */
export const USER_CODE_FIELDS: Readonly<Record<string, string>> = {
  duplicate_username: 'username',
  role_not_grantable: 'role',
  global_user_forbidden: 'org_id',
  member_already_linked: 'member_id',
  member_outside_user_org: 'member_id',
};

const linked = (picked: number[] | undefined): number | null => picked?.[0] ?? null;

export function toCreateBody(values: UserValues): UserCreate {
  return {
    username: values.username.trim(),
    display_name: values.display_name.trim(),
    password: values.password ?? '',
    role: values.role,
    org_id: values.org_id ?? null,
    member_id: linked(values.member_id),
  };
}

export function editValues(user: UserRead): UserValues {
  return {
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    org_id: user.org_id,
    member_id: user.member_id === null ? [] : [user.member_id],
    is_active: user.is_active,
  };
}

/** Only what the form changed, so the audit records just that and an untouched field is never re-checked. */
export function toUpdateBody(user: UserRead, values: UserValues): UserUpdate {
  const body: UserUpdate = {};
  const name = values.display_name.trim();
  if (name !== user.display_name) body.display_name = name;
  if (values.role !== user.role) body.role = values.role;
  if ((values.org_id ?? null) !== user.org_id) body.org_id = values.org_id ?? null;
  const member = linked(values.member_id);
  if (member !== user.member_id) body.member_id = member;
  if (values.is_active !== undefined && values.is_active !== user.is_active) body.is_active = values.is_active;
  return body;
}

/** The user list's filters, as the address bar keeps them. */
export interface UserFilters {
  q?: string;
  org?: number;
  role?: Role;
  active?: boolean;
}

export function userFiltersFromParams(params: URLSearchParams): UserFilters {
  const org = Number(params.get('org'));
  const role = params.get('role');
  const active = params.get('active');
  return {
    q: trimmed(params.get('q')),
    org: Number.isInteger(org) && org > 0 ? org : undefined,
    role: ROLES.find((r) => r === role),
    active: active === 'true' ? true : active === 'false' ? false : undefined,
  };
}

export function userFiltersToParams(filters: UserFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.org) params.set('org', String(filters.org));
  if (filters.role) params.set('role', filters.role);
  if (filters.active !== undefined) params.set('active', String(filters.active));
  return params;
}

/** The list's (and the export's) query, without paging. */
export function usersQuery(filters: UserFilters) {
  return { q: filters.q, org_id: filters.org, role: filters.role, is_active: filters.active };
}
