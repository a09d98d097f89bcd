import { screen, within } from '@testing-library/react';
import type { ComplianceReport, Me, MemberStats } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { CountyDashboard } from './CountyDashboard';

const department: Me = { ...me('auditor'), role: 'org_admin', org_id: 1 };
const stats: MemberStats = {
  org_id: 1,
  as_of: '2026-12-02',
  total: 12_345,
  population: null,
  share_of_population: null,
  by_category: { employed: 2, rural: 3 },
  by_gender: { male: 3, female: 2 },
  by_ethnicity: { 汉族: 5 },
  by_age_band: { '35_and_under': 1, over_60: 4 },
  by_education: { bachelor: 5, unknown: 0 },
  by_stage: { applicant: 4, activist: 3, full: 12_000 },
  by_join_decade: {},
};
const compliance: ComplianceReport = {
  org_id: 1,
  year: 2026,
  as_of: '2026-12-02',
  min_annual_hours: 32,
  summary: { orgs_considered: 9, orgs_met: 7, missed_count: 2, attendance: { meetings: 1, expected: 10, present: 8, excused: 1, absent: 1, unrecorded: 0, rate: 0.8 }, members: 5, under_min_hours: 0, under_min_share: 0 },
  items: [],
  next_cursor: null,
};

describe('CountyDashboard', () => {
  it('charts the caller’s own subtree, and asks nothing about complaints or scores it may not read', async () => {
    const server = renderPage(<CountyDashboard homeOrg={1} />, {
      path: '/',
      at: '/',
      user: department,
      routes: {
        'GET /api/v1/stats/members': () => jsonResponse(stats),
        'GET /api/v1/study/compliance': () => jsonResponse(compliance),
        'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 1, name: '中共青山县委员会' })] }),
      },
    });
    expect(await within(await screen.findByTestId('home-total-members')).findByText('12,345')).toBeInTheDocument();
    expect(within(screen.getByTestId('home-compliance-met')).getByText('7')).toBeInTheDocument();
    // The funnel is the pipeline before full membership; its numbers are in the hidden table.
    const funnel = await screen.findByTestId('home-chart-pipeline');
    expect(within(funnel).getByRole('img', { name: '发展党员（申请人至预备党员）' })).toBeInTheDocument();
    expect(within(funnel).getAllByRole('row').map((row) => row.textContent)).toEqual(['类别人数', '入党申请人4', '入党积极分子3']);
    const asked = server.requests.map((r) => new URL(r.url));
    expect(asked.filter((url) => url.pathname === '/api/v1/stats/members').map((url) => url.searchParams.get('org_id'))).toEqual(['1']);
    expect(asked.some((url) => url.pathname.startsWith('/api/v1/complaints') || url.pathname.startsWith('/api/v1/scoring'))).toBe(false);
    expect(screen.queryByTestId('home-overdue-complaints')).not.toBeInTheDocument();
  });
});
