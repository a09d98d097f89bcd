import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComplianceReport } from '../api';
import { pickerToday } from '../lib/dates';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { CompliancePage } from './CompliancePage';

const tally = { meetings: 4, expected: 40, present: 30, excused: 6, absent: 4, unrecorded: 0, rate: 0.75 };
const report: ComplianceReport = {
  org_id: 3,
  year: 2026,
  as_of: '2026-11-23',
  min_annual_hours: 32,
  summary: { orgs_considered: 2, orgs_met: 1, missed_count: 3, attendance: tally, members: 20, under_min_hours: 5, under_min_share: 0.25 },
  items: [
    {
      org_id: 4,
      name: '东关村党支部',
      kind: 'branch',
      parent_id: 3,
      met: false,
      missed_count: 3,
      kinds: [
        {
          kind: 'committee_meeting',
          frequency: 'month',
          required_per_period: 1,
          held: 8,
          missed: ['2026-03', '2026-07', '2026-09'],
          periods: [{ period: '2026-03', held: 0, status: 'missed' }],
        },
      ],
      attendance: tally,
      members: 10,
      under_min_hours: 5,
      under_min_share: 0.5,
    },
  ],
  next_cursor: null,
};

describe('CompliancePage', () => {
  it('shows the organisations that fall behind, and sorts on the server', async () => {
    const { requests } = renderPage(<CompliancePage />, {
      path: '/study/compliance',
      at: '/study/compliance',
      routes: {
        'GET /api/v1/study/compliance': () => jsonResponse(report),
        'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '城关镇党委' })] }),
      },
    });
    expect(await screen.findByText('东关村党支部')).toBeInTheDocument();
    expect(screen.getByText('支部委员会 缺 3 期')).toBeInTheDocument();
    expect(screen.getByText('未达标')).toBeInTheDocument();
    const queries = () =>
      requests.map((r) => new URL(r.url)).filter((u) => u.pathname === '/api/v1/study/compliance').map((u) => Object.fromEntries(u.searchParams));
    expect(queries()[0]).toEqual({ year: String(pickerToday().year()), sort: 'missed_count', order: 'desc', limit: '50' });

    const user = userEvent.setup();
    await user.click(screen.getByRole('columnheader', { name: /出勤率/ }));
    await vi.waitFor(() => {
      expect(queries().at(-1)).toMatchObject({ sort: 'attendance_rate', order: 'asc' });
    });
  });
});
