import type { StepRead, TimelineRead } from '../api';
import { nextStep } from './nextStep';

function timeline(overrides: Partial<TimelineRead>): TimelineRead {
  return {
    member_id: 1,
    name: '张三',
    org_id: 3,
    stage: 'applicant',
    status: 'normal',
    applied_on: '2026-01-10',
    activist_on: null,
    candidate_on: null,
    probationary_on: null,
    full_member_on: null,
    probation_ends_on: null,
    steps: [],
    ...overrides,
  };
}

function stepRead(overrides: Partial<StepRead>): StepRead {
  return {
    id: 1,
    member_id: 1,
    org_id: 3,
    kind: 'talk',
    from_stage: 'applicant',
    to_stage: 'applicant',
    decided_on: '2026-01-20',
    decided_by: null,
    approval_status: 'not_required',
    approved_by: null,
    approved_on: null,
    evidence: {},
    note: null,
    people: [],
    created_at: '2026-01-20T08:00:00Z',
    ...overrides,
  };
}

describe('nextStep', () => {
  it('asks for the talk within a month of the application, counting the days overdue', () => {
    expect(nextStep(timeline({}), '2026-02-15')).toMatchObject({
      kind: 'talk',
      rule: 'talk_due',
      dueOn: '2026-02-10',
      deadline: true,
      daysOverdue: 5,
    });
  });

  it('moves an applicant who had the talk on to becoming an activist', () => {
    const next = nextStep(timeline({ steps: [stepRead({})] }), '2026-02-15');
    expect(next).toMatchObject({ kind: 'activist', rule: null, daysOverdue: 0 });
  });

  it('does not count a talk about an earlier application', () => {
    const next = nextStep(timeline({ steps: [stepRead({ decided_on: '2025-05-01' })] }), '2026-01-12');
    expect(next?.kind).toBe('talk');
  });

  it('lets an activist become a candidate from the first anniversary, never overdue', () => {
    const next = nextStep(timeline({ stage: 'activist', activist_on: '2025-02-28' }), '2026-06-01');
    expect(next).toMatchObject({ kind: 'candidate', dueOn: '2026-02-28', deadline: false, daysOverdue: 0 });
  });

  it('offers confirm, extend or cancel at the end of probation', () => {
    const next = nextStep(
      timeline({ stage: 'probationary', probationary_on: '2025-03-01', probation_ends_on: '2026-03-01' }),
      '2026-03-04',
    );
    expect(next).toMatchObject({ kind: 'confirm', alternatives: ['extend', 'cancel'], daysOverdue: 3 });
  });

  it('waits for the superior committee while a decision is pending, whatever the stage', () => {
    const admit = stepRead({ kind: 'admit', from_stage: 'candidate', to_stage: 'probationary', decided_on: '2026-01-31', approval_status: 'pending' });
    const next = nextStep(timeline({ stage: 'candidate', steps: [admit] }), '2026-03-01');
    expect(next).toMatchObject({ kind: 'approval', dueOn: '2026-04-30', deadline: true, daysOverdue: 0 });
  });

  it('has nothing for full members or anyone off the roll', () => {
    expect(nextStep(timeline({ stage: 'full' }), '2026-03-01')).toBeNull();
    expect(nextStep(timeline({ status: 'withdrawn' }), '2026-03-01')).toBeNull();
  });
});
