import dayjs from 'dayjs';
import { serialize } from './stepBody';

describe('serialize', () => {
  it('turns picked dates into ISO days, nested too, and drops blanks and switches', () => {
    expect(
      serialize({
        decided_on: dayjs('2026-03-05T10:00:00'),
        note: '',
        filed_on: undefined,
        approvalGiven: true,
        approval: { approved_by: '镇党委', approved_on: dayjs('2026-03-10T00:00:00') },
        votes: { present: 0, votes_for: 5 },
        mentor_ids: [4, 5],
      }),
    ).toEqual({
      decided_on: '2026-03-05',
      approval: { approved_by: '镇党委', approved_on: '2026-03-10' },
      votes: { present: 0, votes_for: 5 },
      mentor_ids: [4, 5],
    });
  });
});
