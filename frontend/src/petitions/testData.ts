import type { Me, PetitionRead } from '../api';
import { jsonResponse, me } from '../test/fixtures';

export const PAST = '2020-01-01T00:00:00Z';
export const FUTURE = '2099-01-01T00:00:00Z';

/** A member's own account (linked to member 11), without any handling rights. */
export const memberUser: Me = { ...me(), id: 9, username: 'dangyuan', display_name: '张三', role: 'member', member_id: 11, permissions: ['orgs:read'] };

/** A county org admin who handles petitions. */
export const handler: Me = { ...me(), id: 1, username: 'zuzhibu', display_name: '县委组织部', role: 'org_admin', org_id: 1, member_id: null, permissions: ['orgs:read', 'members:read', 'petitions:handle'] };

export function petition(overrides: Partial<PetitionRead> & Pick<PetitionRead, 'id' | 'title'>): PetitionRead {
  return {
    kind: 'criticism',
    state: 'filed',
    content: '支部三会一课流于形式，建议改进',
    filer_member_id: 11,
    filer_name: '张三',
    contact_phone: null,
    subject_kind: null,
    subject_id: null,
    concerned_member_id: null,
    concerned_org_id: 3,
    handling_org_id: 1,
    filed_at: '2026-12-01T01:00:00Z',
    accept_due_at: FUTURE,
    accepted_at: null,
    answer_due_at: null,
    answered_at: null,
    answer: null,
    rejected_at: null,
    rejection_reason: null,
    closed_at: null,
    overdue: false,
    version: 1,
    ...overrides,
  };
}

/** The petition as `GET /petitions/{id}` sends it, with its ETag. */
export function withEtag(item: PetitionRead): Response {
  const response = jsonResponse(item);
  response.headers.set('ETag', `"${String(item.version)}"`);
  return response;
}

export const problem = (status: number, code: string, zh: string) =>
  jsonResponse({ type: 'about:blank', title: 'Error', status, detail: zh, code, messages: { 'zh-CN': zh, en: zh } }, status, 'application/problem+json');
