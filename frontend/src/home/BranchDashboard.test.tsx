import { screen, within } from '@testing-library/react';
import type { ComplianceReport, Me } from '../api';
import { todayInChina } from '../lib/dates';
import { jsonResponse, me, member } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { BranchDashboard } from './BranchDashboard';
import { complaint, dueItem, task } from './dueFixtures';
import { addDays } from './dueThisWeek';

const today = todayInChina();
const secretary: Me = { ...me(), permissions: [...me().permissions, 'complaints:read'] };
const compliance: ComplianceReport = {
  org_id: 3,
  year: 2026,
  as_of: today,
  min_annual_hours: 32,
  summary: { orgs_considered: 1, orgs_met: 1, missed_count: 0, attendance: { meetings: 0, expected: 0, present: 0, excused: 0, absent: 0, unrecorded: 0, rate: null }, members: 3, under_min_hours: 0, under_min_share: 0 },
  items: [],
  next_cursor: null,
};

describe('BranchDashboard', () => {
  it('lists what the branch must do this week, overdue first, each linking to where it is handled', async () => {
    const server = renderPage(<BranchDashboard org={3} />, {
      path: '/',
      at: '/',
      user: secretary,
      routes: {
        'GET /api/v1/development/due': () => jsonResponse({ items: [dueItem(7, { due_on: addDays(today, 3) })], as_of: today, within_days: 7, next_cursor: null }),
        'GET /api/v1/pairing/tasks': () => jsonResponse({ items: [task(1, addDays(today, -2))], next_cursor: null }),
        'GET /api/v1/complaints': (request) =>
          jsonResponse({
            items: new URL(request.url).searchParams.get('overdue') === 'true' ? [] : [complaint(5, `${addDays(today, 1)}T02:00:00Z`), complaint(6, `${addDays(today, 30)}T02:00:00Z`)],
            next_cursor: null,
          }),
        'GET /api/v1/study/compliance': () => jsonResponse(compliance),
        'GET /api/v1/members/11': () => jsonResponse(member({ id: 11, name: '张三' })),
      },
    });
    const rows = await screen.findAllByTestId('home-due-item');
    expect(rows.map((row) => row.getAttribute('data-kind'))).toEqual(['pairing', 'complaint', 'development']);
    const [visit, item, step] = rows.map((row) => within(row));
    expect(visit?.getByText('已逾期')).toBeInTheDocument();
    expect(await visit?.findByText('张三')).toBeInTheDocument();
    expect(item?.getByText('诉求5')).toBeInTheDocument();
    expect(step?.getByRole('link')).toHaveAttribute('href', '/members/7');
    expect(screen.queryByText('诉求6')).not.toBeInTheDocument();

    const asked = (path: string) => server.requests.map((r) => new URL(r.url)).filter((url) => url.pathname === path);
    expect(asked('/api/v1/development/due')[0]?.searchParams.get('within_days')).toBe('7');
    const tasks = asked('/api/v1/pairing/tasks')[0]?.searchParams;
    expect([tasks?.get('org_id'), tasks?.get('overdue'), tasks?.get('as_of')]).toEqual(['3', 'true', addDays(today, 8)]);
  });

  it('says so when nothing is due, and asks nothing about complaints of a caller who may not read them', async () => {
    const server = renderPage(<BranchDashboard org={3} />, {
      path: '/',
      at: '/',
      routes: {
        'GET /api/v1/development/due': () => jsonResponse({ items: [], as_of: today, within_days: 7, next_cursor: null }),
        'GET /api/v1/pairing/tasks': () => jsonResponse({ items: [], next_cursor: null }),
        'GET /api/v1/study/compliance': () => jsonResponse(compliance),
      },
    });
    expect(await screen.findByText('本周没有待办事项')).toBeInTheDocument();
    expect(server.requests.some((r) => new URL(r.url).pathname === '/api/v1/complaints')).toBe(false);
  });
});
