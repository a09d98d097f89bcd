import type { OrgRead } from '../api';

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
