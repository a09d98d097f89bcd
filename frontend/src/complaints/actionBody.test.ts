import dayjs from 'dayjs';
import { bodyFor, chinaDay, promisedByInstant } from './actionBody';

const DUE = '2026-03-25T01:00:00Z'; // 09:00 on 25 March in China

describe('promisedByInstant', () => {
  it('means the end of the China day', () => {
    expect(promisedByInstant('2026-03-21', DUE)).toBe('2026-03-21T23:59:59+08:00');
  });

  it('never runs past the deadline: on its own day, the deadline itself', () => {
    expect(promisedByInstant('2026-03-25', DUE)).toBe(DUE);
  });
});

describe('chinaDay', () => {
  it('reads an instant on China’s calendar', () => {
    expect(chinaDay('2026-03-24T16:30:00Z')).toBe('2026-03-25');
    expect(chinaDay('2026-03-24T15:30:00Z')).toBe('2026-03-24');
  });
});

describe('bodyFor', () => {
  it('sends trimmed text and leaves a blank note out', () => {
    expect(bodyFor('accept', { note: '  ' }, DUE)).toEqual({ note: null });
    expect(bodyFor('reject', { reason: ' 不属于受理范围 ' }, DUE)).toEqual({ reason: '不属于受理范围' });
    expect(bodyFor('resolve', { result: '已回填', note: '验收人：李' }, DUE)).toEqual({ result: '已回填', note: '验收人：李' });
  });

  it('assigns an org and a responsible person', () => {
    expect(bodyFor('assign', { org_id: 3, responsible_user_id: 9 }, DUE)).toEqual({ org_id: 3, responsible_user_id: 9, note: null });
  });

  it('promises by a day, as an instant within the deadline', () => {
    expect(bodyFor('start', { promise: '三日内回填', promised_by: dayjs('2026-03-22') }, DUE)).toEqual({
      promise: '三日内回填',
      promised_by: '2026-03-22T23:59:59+08:00',
      note: null,
    });
  });

  it('links the original only for a duplicate', () => {
    expect(bodyFor('close', { closure: 'duplicate', duplicate_of_id: 12 }, DUE)).toEqual({ reason: 'duplicate', duplicate_of_id: 12, note: null });
    expect(bodyFor('close', { closure: 'fixed', duplicate_of_id: 12 }, DUE)).toEqual({ reason: 'fixed', duplicate_of_id: null, note: null });
  });

  it('extends by whole days with a reason', () => {
    expect(bodyFor('extend', { days: 20, reason: '需协调交通部门' }, DUE)).toEqual({ days: 20, reason: '需协调交通部门' });
  });
});
