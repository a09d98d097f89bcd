import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { MemberListPage } from './MemberListPage';

const pages: Record<string, { items: unknown[]; next_cursor: string | null }> = {
  '': { items: [member({ id: 1, name: '叶璐', stage: 'activist' }), member({ id: 2, name: '李峰', stage: 'activist' })], next_cursor: 'c2' },
  c2: { items: [member({ id: 3, name: '张波', stage: 'activist' })], next_cursor: null },
};

const due = {
  as_of: '2026-11-23',
  within_days: 30,
  next_cursor: null,
  items: [
    { member_id: 2, member_name: '李峰', org_id: 3, org_name: '罗湾村党支部', stage: 'activist', rule: 'candidate_eligible', due_on: '2025-11-14', deadline: false, overdue: false, days_overdue: 0, step_id: null },
    { member_id: 9, member_name: '阎建华', org_id: 3, org_name: '罗湾村党支部', stage: 'applicant', rule: 'talk_due', due_on: '2025-12-03', deadline: true, overdue: true, days_overdue: 355, step_id: null },
  ],
};

function serve() {
  return renderPage(<MemberListPage />, {
    path: '/members',
    at: '/members?org=3&stage=activist',
    routes: {
      'GET /api/v1/members': (request) => jsonResponse(pages[new URL(request.url).searchParams.get('cursor') ?? '']),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/development/due': () => jsonResponse(due),
    },
  });
}

const memberQueries = (requests: Request[]) =>
  requests.filter((r) => new URL(r.url).pathname === '/api/v1/members').map((r) => Object.fromEntries(new URL(r.url).searchParams));

describe('MemberListPage', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('asks the server for the filters in the address bar and pages on with its cursor', async () => {
    const { requests } = serve();
    expect(await screen.findByRole('link', { name: '叶璐' })).toHaveAttribute('href', '/members/1');
    // ID numbers in the list stay masked.
    expect(screen.getAllByText('430121********1234')).toHaveLength(2);
    expect(memberQueries(requests)).toEqual([{ org_id: '3', stage: 'activist', limit: '50' }]);

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /下一页/ }));
    expect(await screen.findByRole('link', { name: '张波' })).toBeInTheDocument();
    expect(memberQueries(requests).at(-1)).toEqual({ org_id: '3', stage: 'activist', limit: '50', cursor: 'c2' });
    expect(screen.getByRole('button', { name: /下一页/ })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: /上一页/ }));
    expect(await screen.findByRole('link', { name: '叶璐' })).toBeInTheDocument();
  });

  it('lists who is due for a development step in the organisation, the overdue first', async () => {
    const { requests } = serve();
    const card = await screen.findByTestId('development-due');
    const names = within(card).getAllByRole('link').map((link) => link.textContent);
    expect(names).toEqual(['阎建华', '李峰']);
    expect(card).toHaveTextContent('已逾期 355 天');
    expect(card).toHaveTextContent('2025年11月14日 起可办理');
    const query = requests.map((r) => new URL(r.url)).find((url) => url.pathname === '/api/v1/development/due')?.searchParams;
    expect(Object.fromEntries(query ?? [])).toEqual({ org_id: '3', within_days: '30', limit: '50' });
  });

  it('searches by what was typed, from the first page', async () => {
    const { requests } = serve();
    await screen.findByRole('link', { name: '叶璐' });
    const user = userEvent.setup();
    await user.type(screen.getByPlaceholderText('姓名、拼音首字母、手机号或身份证号'), 'yl');
    await user.click(screen.getByRole('button', { name: /查\s*询/ }));
    await vi.waitFor(() => {
      expect(memberQueries(requests).at(-1)).toEqual({ org_id: '3', stage: 'activist', q: 'yl', limit: '50' });
    });
  });

  it('hides a column on request and remembers the choice', async () => {
    serve();
    await screen.findByRole('link', { name: '叶璐' });
    expect(screen.getByRole('columnheader', { name: '身份证号' })).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /显示列/ }));
    const chooser = await screen.findByRole('tooltip');
    await user.click(within(chooser).getByRole('checkbox', { name: '身份证号' }));

    expect(screen.queryByRole('columnheader', { name: '身份证号' })).not.toBeInTheDocument();
    expect(JSON.parse(localStorage.getItem('vanguard.members.columns') ?? '[]')).not.toContain('idNumber');
  });
});
