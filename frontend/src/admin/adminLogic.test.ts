import type { ServiceAccountRead, UserRead } from '../api';
import { tokenState, toAccountCreate, toAccountUpdate } from './accountForm';
import { auditFiltersFromParams, auditFiltersToParams, auditQuery, fieldChanges, showValue, trimmed } from './auditQuery';
import { defaultRole, grantableRoles, grantableScopes, mayCreateGlobal } from './roles';
import { editValues, toCreateBody, toUpdateBody, userFiltersFromParams, userFiltersToParams, usersQuery } from './userForm';

const user: UserRead = {
  id: 5,
  username: 'lisi',
  display_name: '李四',
  role: 'member',
  org_id: 3,
  member_id: 21,
  is_active: true,
  created_at: '2026-01-01T00:00:00Z',
  version: 2,
};

const account: ServiceAccountRead = {
  id: 9,
  name: '12345 热线',
  description: null,
  org_id: 3,
  scopes: ['complaints:read', 'complaints:write'],
  is_active: true,
  created_at: '2026-01-01T00:00:00Z',
  version: 1,
};

describe('audit filters', () => {
  it('round-trip through the address bar and drop what is malformed', () => {
    const filters = { org: 3, actorKind: 'service' as const, actorId: 9, entity: 'users', entityId: '5', action: 'update', since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' };
    expect(auditFiltersFromParams(auditFiltersToParams(filters))).toEqual(filters);
    const junk = auditFiltersFromParams(new URLSearchParams('org=abc&actor_kind=robot&actor_id=-1&entity=%20%20&since=yesterday'));
    expect(junk).toEqual({ org: undefined, actorKind: undefined, actorId: undefined, entity: undefined, entityId: undefined, action: undefined, since: undefined, until: undefined });
  });

  it('send an actor id only with its kind, since users and service accounts number theirs separately', () => {
    expect(auditQuery({ actorId: 9 }).actor_id).toBeUndefined();
    expect(auditQuery({ actorKind: 'user', actorId: 9 })).toMatchObject({ actor_kind: 'user', actor_id: 9 });
    expect(auditQuery({ org: 3, entity: 'members' })).toMatchObject({ org_id: 3, entity: 'members' });
  });

  it('trim text and treat blank as absent', () => {
    expect(trimmed('  users ')).toBe('users');
    expect(trimmed('   ')).toBeUndefined();
    expect(trimmed(null)).toBeUndefined();
  });
});

describe('audit before/after', () => {
  it('lists changed fields first and keeps unchanged ones after', () => {
    const rows = fieldChanges({ role: 'member', display_name: '李四', phone: '138****5678' }, { role: 'secretary', display_name: '李四', phone: '139****0000' });
    expect(rows.map((row) => [row.field, row.changed])).toEqual([
      ['role', true],
      ['phone', true],
      ['display_name', false],
    ]);
  });

  it('counts every field of a create or a delete as changed', () => {
    expect(fieldChanges(null, { name: '甲' })).toEqual([{ field: 'name', before: undefined, after: '甲', changed: true }]);
    expect(fieldChanges({ name: '甲' }, null)).toEqual([{ field: 'name', before: '甲', after: undefined, changed: true }]);
    expect(fieldChanges(null, null)).toEqual([]);
  });

  it('shows values as the API sent them, masked ones included', () => {
    expect(showValue('110101********1234', '—')).toBe('110101********1234');
    expect(showValue({ a: [1, 2] }, '—')).toBe('{"a":[1,2]}');
    expect(showValue(false, '—')).toBe('false');
    expect(showValue(null, '—')).toBe('—');
  });
});

describe('roles and scopes', () => {
  it('offer only the roles the API lets each role grant', () => {
    expect(grantableRoles('secretary')).toEqual(['member']);
    expect(grantableRoles('org_admin')).not.toContain('admin');
    expect(grantableRoles('admin')).toContain('admin');
    expect(grantableRoles('auditor')).toEqual([]);
    expect(grantableRoles(null)).toEqual([]);
  });

  it('propose the member role for a new account when it may be granted', () => {
    expect(defaultRole(grantableRoles('org_admin'))).toBe('member');
    expect(defaultRole(['org_admin', 'auditor'])).toBe('auditor');
    expect(defaultRole([])).toBeUndefined();
  });

  it('let only a global system administrator create accounts without an organisation', () => {
    expect(mayCreateGlobal('admin', null)).toBe(true);
    expect(mayCreateGlobal('admin', 1)).toBe(false);
    expect(mayCreateGlobal('org_admin', null)).toBe(false);
  });

  it('offer as scopes only the permissions the caller holds, in the enum order', () => {
    expect(grantableScopes(['orgs:read', 'users:read', 'complaints:read'], ['complaints:read', 'orgs:read'])).toEqual(['orgs:read', 'complaints:read']);
  });
});

describe('user form', () => {
  it('creates with trimmed names and at most one linked member', () => {
    expect(toCreateBody({ username: ' wangwu ', display_name: ' 王五 ', password: 'a passphrase', role: 'member', org_id: 3, member_id: [21] })).toEqual({
      username: 'wangwu',
      display_name: '王五',
      password: 'a passphrase',
      role: 'member',
      org_id: 3,
      member_id: 21,
    });
    expect(toCreateBody({ username: 'x12', display_name: 'x', password: 'p', role: 'member', org_id: 3 }).member_id).toBeNull();
  });

  it('sends only the fields an edit changed', () => {
    expect(toUpdateBody(user, editValues(user))).toEqual({});
    expect(toUpdateBody(user, { ...editValues(user), role: 'secretary', is_active: false })).toEqual({ role: 'secretary', is_active: false });
  });

  it('unlinks the member with an explicit null', () => {
    expect(toUpdateBody(user, { ...editValues(user), member_id: [] })).toEqual({ member_id: null });
  });

  it('keeps list filters in the address bar and sends them as the API names them', () => {
    const filters = { q: '李', org: 3, role: 'member' as const, active: false };
    expect(userFiltersFromParams(userFiltersToParams(filters))).toEqual(filters);
    expect(usersQuery(filters)).toEqual({ q: '李', org_id: 3, role: 'member', is_active: false });
    expect(userFiltersFromParams(new URLSearchParams('role=king&active=maybe'))).toEqual({ q: undefined, org: undefined, role: undefined, active: undefined });
  });
});

describe('service account form', () => {
  it('creates with a trimmed name and no blank description', () => {
    expect(toAccountCreate({ name: ' OA ', description: '  ', org_id: 3, scopes: ['orgs:read'] })).toEqual({ name: 'OA', description: null, org_id: 3, scopes: ['orgs:read'] });
  });

  it('sends scopes only when the set changed', () => {
    expect(toAccountUpdate(account, { description: null, scopes: ['complaints:write', 'complaints:read'] })).toEqual({});
    expect(toAccountUpdate(account, { description: '热线', scopes: ['complaints:read'] })).toEqual({ description: '热线', scopes: ['complaints:read'] });
  });

  it('tells valid, expired and revoked tokens apart', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    expect(tokenState({ revoked_at: null, expires_at: null }, now)).toBe('valid');
    expect(tokenState({ revoked_at: null, expires_at: '2026-12-01T23:59:59Z' }, now)).toBe('expired');
    expect(tokenState({ revoked_at: '2026-11-01T00:00:00Z', expires_at: '2099-01-01T00:00:00Z' }, now)).toBe('revoked');
  });
});
