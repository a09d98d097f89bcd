import type { OrgCompliance } from '../api';
import { complaint, dueItem, task } from './dueFixtures';
import { addDays, byUrgency, complaintEntries, developmentEntries, meetingEntries, pairingEntries } from './dueThisWeek';

const TODAY = '2026-12-02';
const UNTIL = '2026-12-09';

describe('addDays', () => {
  it('crosses months and years on the calendar', () => {
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('developmentEntries', () => {
  it('names the member and the rule and links to their record', () => {
    const [entry] = developmentEntries([dueItem(7, { rule: 'talk_due', overdue: true, due_on: '2026-11-30' })], { talk_due: '一个月内谈话' });
    expect(entry).toMatchObject({ kind: 'development', subject: '党员7', what: '一个月内谈话', due: '2026-11-30', overdue: true, link: '/members/7' });
  });
});

describe('pairingEntries', () => {
  it('keeps open tasks due by the end of the week, overdue ones marked', () => {
    const entries = pairingEntries(
      [task(1, '2026-11-28'), task(2, UNTIL), task(3, '2026-12-10'), task(4, '2026-12-03', 'visited')],
      { illness: '生病住院' },
      { 11: '张三' },
      TODAY,
      UNTIL,
    );
    expect(entries.map((e) => [e.key, e.subject, e.overdue])).toEqual([
      ['pairing-1', '张三', true],
      ['pairing-2', '#12', false],
    ]);
    expect(entries[0]?.link).toBe('/pairing/tasks?org=3');
  });
});

describe('complaintEntries', () => {
  it('dates deadlines by China’s calendar and drops finished or later items', () => {
    const entries = complaintEntries(
      [
        complaint(1, '2026-12-09T15:30:00Z'), // 23:30 on 9 December in China: due this week
        complaint(2, '2026-12-09T16:30:00Z'), // 00:30 on 10 December in China: next week
        complaint(3, '2026-11-20T00:00:00Z', { overdue_at: '2026-11-20T00:00:00Z' }),
        complaint(4, '2026-12-03T00:00:00Z', { status: 'resolved' }),
      ],
      { in_progress: '办理中' },
      TODAY,
      UNTIL,
    );
    expect(entries.map((e) => [e.key, e.due, e.overdue, e.link])).toEqual([
      ['complaint-1', '2026-12-09', false, '/complaints?item=1'],
      ['complaint-3', '2026-11-20', true, '/complaints?item=3'],
    ]);
  });
});

describe('meetingEntries', () => {
  const org: OrgCompliance = {
    org_id: 3,
    name: '罗湾村党支部',
    kind: 'branch',
    parent_id: 1,
    met: false,
    missed_count: 1,
    members: 20,
    under_min_hours: 0,
    under_min_share: 0,
    attendance: { meetings: 0, expected: 0, present: 0, excused: 0, absent: 0, unrecorded: 0, rate: null },
    kinds: [
      { kind: 'committee_meeting', frequency: 'month', required_per_period: 1, held: 11, missed: [], periods: [{ period: '2026-12', held: 0, status: 'running' }] },
      { kind: 'branch_meeting', frequency: 'quarter', required_per_period: 1, held: 4, missed: [], periods: [{ period: '2026-Q4', held: 1, status: 'running' }] },
      { kind: 'party_lecture', frequency: 'quarter', required_per_period: 1, held: 3, missed: ['2026-Q3'], periods: [{ period: '2026-Q3', held: 0, status: 'missed' }] },
    ],
  };

  it('lists kinds still short in the running period, and no others', () => {
    const entries = meetingEntries(org, { committee_meeting: '支部委员会' }, (held, required) => `${held}/${required}`);
    expect(entries).toEqual([
      { key: 'meeting-committee_meeting-2026-12', kind: 'meeting', subject: '支部委员会', what: '2026-12 · 0/1', due: null, overdue: false, link: '/study/compliance?org=3' },
    ]);
    expect(meetingEntries(undefined, {}, () => '')).toEqual([]);
  });
});

describe('byUrgency', () => {
  it('puts overdue first, then the earliest due, undated last', () => {
    const entries = [
      { key: 'm', kind: 'meeting' as const, subject: '', what: '', due: null, overdue: false, link: '' },
      { key: 'late', kind: 'pairing' as const, subject: '', what: '', due: '2026-12-08', overdue: false, link: '' },
      { key: 'soon', kind: 'pairing' as const, subject: '', what: '', due: '2026-12-03', overdue: false, link: '' },
      { key: 'over', kind: 'complaint' as const, subject: '', what: '', due: '2026-12-20', overdue: true, link: '' },
    ];
    expect(byUrgency(entries).map((e) => e.key)).toEqual(['over', 'soon', 'late', 'm']);
  });
});
