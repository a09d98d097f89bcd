import type { BeneficiaryRead, CoverageRead, PairRead, TaskRead, VisitRead } from '../api';

/** Pairing records as the API returns them, with plausible defaults (for the page tests). */
export function beneficiary(overrides: Partial<BeneficiaryRead> & Pick<BeneficiaryRead, 'id'>): BeneficiaryRead {
  return {
    org_id: 3,
    kind: 'member',
    member_id: 21,
    member_name: '王大爷',
    head_name: null,
    address: '罗湾村3组**',
    village: '罗湾村',
    household_size: null,
    situation: '老伴常年患病',
    needs: '协调医保报销',
    contact_phone: '139****0007',
    contact_masked: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function pair(overrides: Partial<PairRead> & Pick<PairRead, 'id'>): PairRead {
  return {
    org_id: 3,
    helper_member_id: 11,
    helper_user_id: null,
    beneficiary_id: 1,
    kind: 'poverty',
    goals: [{ tag: 'poverty_exit', target: '年人均纯收入增加3000元' }],
    started_on: '2026-03-01',
    ends_on: '2027-12-31',
    status: 'active',
    end_reason: null,
    version: 2,
    created_at: '2026-03-01T00:00:00Z',
    updated_at: '2026-03-01T00:00:00Z',
    ...overrides,
  };
}

export function visit(overrides: Partial<VisitRead> & Pick<VisitRead, 'id'>): VisitRead {
  return {
    pair_id: 5,
    visited_on: '2026-06-01',
    type: 'routine',
    work_done: '入户了解家庭收支情况',
    money_given: null,
    goods_value: null,
    jobs_found: 0,
    skills: null,
    follow_up: null,
    follow_up_due_on: null,
    follow_up_done_on: null,
    photos: [],
    version: 1,
    created_at: '2026-06-01T00:00:00Z',
    ...overrides,
  };
}

export function task(overrides: Partial<TaskRead> & Pick<TaskRead, 'id'>): TaskRead {
  return {
    org_id: 3,
    member_id: 21,
    event: 'illness',
    occurred_on: '2026-11-01',
    note: '突发脑梗住院治疗',
    due_on: '2026-11-04',
    helper_member_id: 11,
    helper_user_id: null,
    pair_id: 5,
    visit_id: null,
    done: false,
    status: 'open',
    closed_as: null,
    closed_on: null,
    close_reason: null,
    version: 1,
    created_at: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

const figures = {
  hardship_members: 4,
  hardship_members_paired: 3,
  households: 2,
  households_paired: 2,
  hardship_member_share: '0.75',
  household_share: '1',
  active_pairs: 5,
  pairs_in_period: 6,
  visits: 9,
  visits_per_pair: '1.5',
  overdue_tasks: 2,
  pairs_completed: 1,
  pairs_ended_early: 0,
  money_given: '1500.00',
  goods_value: '800.00',
  jobs_found: 1,
};

export function coverage(): CoverageRead {
  return {
    ...figures,
    org_id: 3,
    period_start: '2026-10-01',
    period_end: '2026-12-31',
    as_of: '2026-12-01',
    quarters: [],
    orgs: [{ ...figures, org_id: 3, org_name: '罗湾村党支部' }],
  };
}
