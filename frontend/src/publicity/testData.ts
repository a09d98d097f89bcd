import type { FeedbackRead, PublicationRead, PublicationView } from '../api';

export function view(overrides: Partial<PublicationView> & Pick<PublicationView, 'id'>): PublicationView {
  return {
    org_id: 3,
    org_name: '罗湾村党支部',
    kind: 'meeting_resolution',
    title: '关于村集体经济项目的决议',
    body: '经支部党员大会表决通过。',
    starts_on: '2026-12-01',
    ends_on: '2026-12-10',
    published_at: '2026-12-01T01:00:00Z',
    meeting_on: '2026-11-28',
    ...overrides,
  };
}

export function publication(overrides: Partial<PublicationRead> & Pick<PublicationRead, 'id'>): PublicationRead {
  const base: PublicationRead = {
    id: overrides.id,
    org_id: 3,
    kind: 'meeting_resolution',
    audience: 'public',
    state: 'draft',
    title: '关于村集体经济项目的决议',
    body: '经支部党员大会表决通过。',
    starts_on: '2026-12-01',
    ends_on: '2026-12-10',
    meeting_on: '2026-11-28',
    member_id: null,
    year: null,
    grades: null,
    totals: null,
    pledges: null,
    published_at: null,
    withdrawn_at: null,
    withdraw_reason: null,
    feedback_count: 0,
    objections_open: 0,
    view: view({ id: overrides.id }),
    version: 1,
    created_at: '2026-11-30T01:00:00Z',
    updated_at: '2026-11-30T01:00:00Z',
  };
  return { ...base, ...overrides };
}

export function feedback(overrides: Partial<FeedbackRead> & Pick<FeedbackRead, 'id'>): FeedbackRead {
  return {
    publication_id: 5,
    kind: 'objection',
    text: '该同志长期不参加组织生活',
    name: '张*',
    contact: '138****5678',
    contact_masked: true,
    filed_by_user_id: null,
    filed_at: '2026-12-02T02:00:00Z',
    answer: null,
    answered_at: null,
    answered_by_user_id: null,
    version: 1,
    ...overrides,
  };
}

/** A problem+json response as the API sends it. */
export function problem(status: number, code: string, zh: string, errors?: { field: string; message: string }[]): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, detail: zh, code, messages: { 'zh-CN': zh, en: zh }, errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
