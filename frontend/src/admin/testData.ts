import type { AuditEventRead, Me, ServiceAccountRead, UserRead } from '../api';
import { jsonResponse } from '../test/fixtures';

export function userRow(overrides: Partial<UserRead> & Pick<UserRead, 'id' | 'username'>): UserRead {
  return { display_name: overrides.username, role: 'member', org_id: 3, member_id: null, is_active: true, created_at: '2026-01-01T00:00:00Z', version: 1, ...overrides };
}

export function auditEvent(overrides: Partial<AuditEventRead> & Pick<AuditEventRead, 'id'>): AuditEventRead {
  return {
    occurred_at: '2026-11-30T02:00:00Z',
    actor_kind: 'user',
    actor_id: 1,
    actor_name: 'zuzhibu',
    entity: 'members',
    entity_id: '21',
    action: 'update',
    org_id: 3,
    before: null,
    after: null,
    request_id: 'req-1',
    ...overrides,
  };
}

export function serviceAccount(overrides: Partial<ServiceAccountRead> & Pick<ServiceAccountRead, 'id' | 'name'>): ServiceAccountRead {
  return { description: null, org_id: 3, scopes: ['complaints:read'], is_active: true, created_at: '2026-01-01T00:00:00Z', version: 1, ...overrides };
}

/** The organisation department's administrator: every permission, in its county. */
export function orgAdmin(): Me {
  return {
    kind: 'user',
    id: 2,
    username: 'zuzhibu',
    display_name: '组织部',
    role: 'org_admin',
    org_id: 3,
    member_id: null,
    permissions: ['orgs:read', 'users:read', 'users:write', 'service_accounts:manage', 'audit:read', 'complaints:read', 'complaints:write'],
  };
}

export function problem(status: number, code: string, message: string): Response {
  return jsonResponse({ status, code, detail: message, messages: { 'zh-CN': message, en: message } }, status, 'application/problem+json');
}

/** The nearest ancestor matching `selector` (a modal, a form item); the test fails when there is none. */
export function enclosing(element: HTMLElement, selector: string): HTMLElement {
  const found = element.closest<HTMLElement>(selector);
  if (!found) throw new Error(`Nothing matches ${selector} around the element`);
  return found;
}
