import type { ActivityRead, Me, MemberRead, OrgRead, Permission } from '../api';

/** An organisation as the API returns it, with plausible defaults. */
export function org(overrides: Partial<OrgRead> & Pick<OrgRead, 'id' | 'name'>): OrgRead {
  return {
    kind: 'branch',
    parent_id: null,
    path: `/${overrides.id}/`,
    depth: 0,
    code: null,
    secretary_name: null,
    contact_phone: null,
    established_on: null,
    population: null,
    status: 'active',
    version: 1,
    child_count: 0,
    member_count: 0,
    ...overrides,
  };
}

/** A JSON response as the server would send it. */
export function jsonResponse(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

/** A member as the list returns them (ID number masked), with plausible defaults. */
export function member(overrides: Partial<MemberRead> & Pick<MemberRead, 'id' | 'name'>): MemberRead {
  return {
    org_id: 3,
    org_name: '罗湾村党支部',
    name_initials: 'zs',
    gender: 'male',
    ethnicity: '汉族',
    birth_date: '1980-05-01',
    age: 46,
    id_number: '430121********1234',
    id_number_masked: true,
    phone: '138****5678',
    education: 'bachelor',
    occupation: null,
    category: 'rural',
    stage: 'full',
    applied_on: null,
    activist_on: null,
    candidate_on: null,
    probationary_on: '2010-07-01',
    full_member_on: '2011-07-01',
    status: 'normal',
    left_on: null,
    left_reason: null,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function activity(overrides: Partial<ActivityRead> & Pick<ActivityRead, 'id'>): ActivityRead {
  return {
    org_id: 3,
    kind: 'branch_meeting',
    starts_at: '2026-03-01T02:00:00Z',
    place: '村委会会议室',
    topic: '学习党的二十届四中全会精神',
    content: null,
    presenter: null,
    hours: 2,
    materials: [],
    attachments: [],
    expected_member_ids: null,
    version: 1,
    created_at: '2026-03-01T02:00:00Z',
    updated_at: '2026-03-01T02:00:00Z',
    ...overrides,
  };
}

/** The signed-in caller, by role, with the permissions the API gives that role. */
export function me(role: 'secretary' | 'auditor' = 'secretary'): Me {
  const permissions: Permission[] =
    role === 'secretary'
      ? ['orgs:read', 'orgs:write', 'users:read', 'users:write', 'members:read', 'members:write', 'pii']
      : ['orgs:read', 'users:read', 'members:read', 'audit:read'];
  return { kind: 'user', id: 1, username: role, display_name: role === 'secretary' ? '李书记' : '王审计', role, org_id: 3, member_id: null, permissions };
}
