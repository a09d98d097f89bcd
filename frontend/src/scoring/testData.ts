import type { JobRead, Me, RankingRow, ResultRead, RoundRead, SchemeRead } from '../api';
import { me } from '../test/fixtures';

/** Test data shaped as the scoring API returns it. */
export function scheme(overrides: Partial<SchemeRead> = {}): SchemeRead {
  return {
    id: 4,
    org_id: 3,
    name: '2026年度党员积分',
    year: 2026,
    quarter: null,
    period_start: '2026-01-01',
    period_end: '2026-12-31',
    status: 'draft',
    rules: [{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', categories: [], label: null }],
    component_weights: { points: '0.4', evaluation: '0.6' },
    rater_weights: { self: '0.1', fellow: '0.25', committee: '0.2', superior: '0.15', masses: '0.3' },
    full_points: '100',
    grade_thresholds: { excellent: '90', qualified: '70', basic: '60' },
    excellent_cap: [1, 3],
    computed_at: null,
    published_at: null,
    published_by: null,
    version: 1,
    ...overrides,
  };
}

export function round(overrides: Partial<RoundRead> = {}): RoundRead {
  return { id: 6, scheme_id: 4, org_id: 3, status: 'open', closed_at: null, ballots: 0, tokens_issued: 0, tokens_used: 0, version: 1, ...overrides };
}

export function job(overrides: Partial<JobRead> = {}): JobRead {
  return {
    id: 11,
    kind: 'scoring.recompute',
    org_id: 3,
    state: 'queued',
    total: null,
    done: 0,
    failed: 0,
    progress: null,
    rate_per_second: null,
    eta_seconds: null,
    cancel_requested: false,
    created_by: { kind: 'user', id: 1, name: 'shuji' },
    created_at: '2026-12-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    updated_at: '2026-12-01T00:00:00Z',
    params: { scheme_id: 4, scheme_version: 1 },
    result: null,
    error: null,
    ...overrides,
  };
}

export const rankings: RankingRow[] = [
  { rank: 1, member_id: 21, member_name: '张明', org_id: 3, score: '92.40', grade: 'excellent', probationary: false },
  { rank: 2, member_id: 22, member_name: '车浩', org_id: 3, score: '81.00', grade: 'qualified', probationary: false },
  { rank: 3, member_id: 23, member_name: '廖桂香', org_id: 3, score: '75.50', grade: null, probationary: true },
];

export function result(overrides: Partial<ResultRead> = {}): ResultRead {
  return {
    id: 57,
    scheme_id: 4,
    member_id: 21,
    member_name: '张明',
    org_id: 3,
    category: 'rural',
    probationary: false,
    points: '20',
    points_component: '20.00',
    evaluation_component: '90.63',
    score: '62.38',
    grade: 'qualified',
    grade_note: null,
    rank_in_org: 1,
    rank_in_scheme: 1,
    explanation: [
      {
        kind: 'rule',
        source: 'study_hours',
        label: null,
        points_per_unit: '0.5',
        cap: '20',
        windows: [{ window: 'scheme', units: '48', raw_points: '24', points: '20' }],
        points: '20',
        contribution: '8.00',
      },
      { kind: 'evaluation', group: 'fellow', ballots: 1, average: '88.00', weight: '0.25', share: '0.6250', contribution: '33.00' },
      { kind: 'evaluation', group: 'superior', ballots: 1, average: '95.00', weight: '0.15', share: '0.3750', contribution: '21.38' },
    ],
    computed_at: '2026-12-01T00:00:00Z',
    published: false,
    ...overrides,
  };
}

/** A branch secretary: reads, writes and approves scoring. */
export const secretary: Me = {
  ...me('secretary'),
  username: 'shuji',
  display_name: '罗湾村党支部书记',
  permissions: ['orgs:read', 'members:read', 'scoring:read', 'scoring:write', 'scoring:approve', 'jobs:read'],
};

/** An auditor: reads only. */
export const auditor: Me = { ...me('auditor'), permissions: ['orgs:read', 'members:read', 'scoring:read'] };
