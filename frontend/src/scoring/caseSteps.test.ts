import { ballotBody } from './ballot';
import { offeredSteps } from './caseSteps';
import { rollOf } from './roll';
import { member } from '../test/fixtures';

describe('follow-up steps', () => {
  it('offers each step only in its turn', () => {
    expect(offeredSteps({ status: 'open', talks: [] })).toEqual(['talk']);
    expect(offeredSteps({ status: 'open', talks: [{ held_on: '2026-12-01' }] })).toEqual(['talk', 'deadline']);
    expect(offeredSteps({ status: 'improving', talks: [{}] })).toEqual(['talk', 'decide']);
    expect(offeredSteps({ status: 'decided', talks: [{}] })).toEqual(['close']);
    expect(offeredSteps({ status: 'closed', talks: [{}] })).toEqual([]);
  });
});

describe('evaluation rounds', () => {
  it('rates the org’s own normal full and probationary members only', () => {
    const roll = rollOf(
      [
        member({ id: 1, name: '正式', stage: 'full' }),
        member({ id: 2, name: '预备', stage: 'probationary' }),
        member({ id: 3, name: '积极分子', stage: 'activist' }),
        member({ id: 4, name: '小组', stage: 'full', org_id: 9 }),
        member({ id: 5, name: '转出', stage: 'full', status: 'transferred_out' }),
      ],
      3,
    );
    expect(roll).toEqual([
      { id: 1, name: '正式', probationary: false },
      { id: 2, name: '预备', probationary: true },
    ]);
  });

  it('names the rater only where the group needs one', () => {
    expect(ballotBody({ member_id: 7, rater_group: 'self', rater_member_id: 9, mode: 'grade', grade: 'qualified' })).toEqual({
      member_id: 7,
      rater_group: 'self',
      rater_member_id: 7,
      grade: 'qualified',
      comment: null,
    });
    expect(ballotBody({ member_id: 7, rater_group: 'superior', rater_member_id: 9, mode: 'score', score: 88.5, comment: ' 好 ' })).toEqual({
      member_id: 7,
      rater_group: 'superior',
      rater_member_id: null,
      score: '88.5',
      comment: '好',
    });
    expect(ballotBody({ member_id: 7, rater_group: 'fellow', rater_member_id: 9, mode: 'grade', grade: 'excellent' }).rater_member_id).toBe(9);
  });
});
