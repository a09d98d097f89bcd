import type { ComplaintSummary, DueItem, TaskRead } from '../api';

// Rows as the APIs return them, with plausible defaults, for the home page's tests.

export const dueItem = (member_id: number, over: Partial<DueItem> = {}): DueItem => ({
  member_id,
  member_name: `党员${member_id}`,
  org_id: 3,
  org_name: '罗湾村党支部',
  stage: 'activist',
  rule: 'candidate_eligible',
  due_on: '2026-12-05',
  deadline: false,
  overdue: false,
  days_overdue: 0,
  ...over,
});

export const task = (id: number, due_on: string, status: TaskRead['status'] = 'open'): TaskRead => ({
  id,
  org_id: 3,
  member_id: 10 + id,
  event: 'illness',
  occurred_on: '2026-11-20',
  note: null,
  due_on,
  helper_member_id: null,
  helper_user_id: null,
  pair_id: null,
  visit_id: null,
  done: false,
  status,
  closed_as: null,
  closed_on: null,
  close_reason: null,
  version: 1,
  created_at: '2026-11-20T00:00:00Z',
});

export const complaint = (id: number, due_at: string, over: Partial<ComplaintSummary> = {}): ComplaintSummary => ({
  id,
  channel: 'hotline',
  category_id: 1,
  org_id: 3,
  responsible_user_id: null,
  urgency: 'normal',
  title: `诉求${id}`,
  status: 'in_progress',
  received_at: '2026-11-01T00:00:00Z',
  due_at,
  overdue_at: null,
  escalated_at: null,
  version: 1,
  ...over,
});
