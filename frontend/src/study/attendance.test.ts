import { ApiError } from '../lib/apiError';
import type { AttendanceRead } from '../api';
import { draftFrom, missingReasons, rowErrors, tally, toEntries } from './attendance';

const rows: AttendanceRead[] = [
  { member_id: 1, member_name: '甲', status: 'present', leave_reason: null, made_up: false },
  { member_id: 2, member_name: '乙', status: 'excused', leave_reason: '病假', made_up: false },
  { member_id: 3, member_name: '丙', status: null, leave_reason: null, made_up: false },
];

describe('attendance', () => {
  it('starts from what is recorded', () => {
    expect(draftFrom(rows)).toEqual({
      1: { status: 'present', reason: '' },
      2: { status: 'excused', reason: '病假' },
      3: { status: null, reason: '' },
    });
  });

  it('sends the marked members in roll order, a reason only with leave', () => {
    const draft = { ...draftFrom(rows), 1: { status: 'present' as const, reason: 'stale' }, 3: { status: 'absent' as const, reason: '' } };
    expect(toEntries(rows, draft)).toEqual([
      { member_id: 1, status: 'present' },
      { member_id: 2, status: 'excused', leave_reason: '病假' },
      { member_id: 3, status: 'absent' },
    ]);
  });

  it('finds leave without a reason', () => {
    expect(missingReasons({ 1: { status: 'excused', reason: '  ' }, 2: { status: 'excused', reason: '事假' } })).toEqual([1]);
  });

  it('maps the API’s entry positions back to members', () => {
    const problem = { title: 'x', errors: [{ field: 'body.entries.1.leave_reason', message: 'leave needs a reason' }] };
    const error = new ApiError(422, problem);
    expect(rowErrors(error, [{ member_id: 7, status: 'present' }, { member_id: 9, status: 'excused' }])).toEqual({
      9: ['leave needs a reason'],
    });
    expect(rowErrors(new Error('x'), [])).toEqual({});
  });

  it('counts the roll', () => {
    expect(tally(rows, draftFrom(rows))).toEqual({ present: 1, excused: 1, absent: 0, unrecorded: 1 });
  });
});
