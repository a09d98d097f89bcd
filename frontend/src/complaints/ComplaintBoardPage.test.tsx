import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComplaintCategory, ComplaintRead, ComplaintSummary, ComplaintTimelineEvent, Me } from '../api';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ComplaintBoardPage } from './ComplaintBoardPage';

const PAST = '2020-01-01T00:00:00Z';
const FUTURE = '2099-01-01T00:00:00Z';

const staff: Me = {
  kind: 'user',
  id: 1,
  username: 'zuzhibu',
  display_name: '县委组织部',
  role: 'org_admin',
  org_id: 3,
  member_id: null,
  permissions: ['orgs:read', 'users:read', 'complaints:read', 'complaints:write', 'pii'],
};
const auditor: Me = { ...staff, id: 2, username: 'audit', display_name: '王审计', role: 'auditor', permissions: ['orgs:read', 'users:read', 'complaints:read'] };

const categories: ComplaintCategory[] = [
  {
    id: 1,
    parent_id: null,
    code: 'infrastructure',
    name_zh: '基础设施',
    name_en: 'Infrastructure',
    accept_days: null,
    handle_days: null,
    extension_days: null,
    is_active: true,
    version: 1,
    children: [
      { id: 2, parent_id: 1, code: 'roads', name_zh: '道路交通', name_en: 'Roads', accept_days: null, handle_days: null, extension_days: null, is_active: true, version: 1, children: [] },
    ],
  },
];

const summary = (overrides: Partial<ComplaintSummary> & Pick<ComplaintSummary, 'id' | 'title'>): ComplaintSummary => ({
  channel: 'web',
  category_id: 2,
  org_id: 3,
  responsible_user_id: null,
  urgency: 'normal',
  status: 'received',
  received_at: '2026-03-01T01:00:00Z',
  due_at: FUTURE,
  overdue_at: null,
  escalated_at: null,
  version: 3,
  ...overrides,
});

/** The steps the server offers a writer, none waiting. */
const offers = (...actions: ComplaintRead['actions'][number]['action'][]): ComplaintRead['actions'] =>
  actions.map((action) => ({ action, available_from: null }));

const read = (overrides: Partial<ComplaintRead> = {}): ComplaintRead => ({
  ...summary({ id: 7, title: '村口道路塌陷' }),
  tracking_code: 'K7QMX2RP9TWA',
  category_code: 'roads',
  description: '村口主路塌陷一米见方',
  location_text: '罗湾村村口',
  latitude: null,
  longitude: null,
  village: '罗湾村',
  reporter_name: '王**',
  reporter_phone: '138****5678',
  reporter_email: null,
  reporter_masked: true,
  overdue: false,
  accepted_at: null,
  assigned_at: null,
  started_at: null,
  resolved_at: null,
  closed_at: null,
  rejection_reason: null,
  extension_days: 0,
  extension_reason: null,
  promise: null,
  promised_by: null,
  promised_by_user_id: null,
  result: null,
  closure_reason: null,
  duplicate_of_id: null,
  rating: null,
  rating_comment: null,
  rated_at: null,
  reopen_count: 0,
  escalated_to_org_id: null,
  created_at: '2026-03-01T01:00:00Z',
  updated_at: '2026-03-01T01:00:00Z',
  actions: offers('accept', 'reject'),
  ...overrides,
});

const received: ComplaintTimelineEvent = {
  id: 1,
  kind: 'received',
  from_status: null,
  to_status: 'received',
  actor_kind: 'public',
  actor_id: null,
  actor_name: null,
  at: '2026-03-01T01:00:00Z',
  note: null,
  public_note: '已登记（web）',
};

const problem = (status: number, code: string, zh: string) =>
  jsonResponse({ type: 'about:blank', title: 'Error', status, detail: zh, code, messages: { 'zh-CN': zh, en: zh } }, status, 'application/problem+json');

interface Options {
  at?: string;
  user?: Me;
  accept?: (request: Request) => Response;
}

function serve({ at = '/complaints', user = staff, accept }: Options = {}) {
  // As the API does: a caller without complaints:write is offered no steps.
  let current = read(user === auditor ? { actions: [] } : {});
  return renderPage(<ComplaintBoardPage />, {
    path: '/complaints',
    at,
    user,
    routes: {
      'GET /api/v1/complaints': (request) => {
        const overdue = new URL(request.url).searchParams.get('overdue');
        if (overdue === 'true') return jsonResponse({ items: [summary({ id: 5, title: '路灯不亮', due_at: PAST, status: 'assigned' })], next_cursor: null });
        return jsonResponse({ items: [summary({ id: 7, title: '村口道路塌陷' })], next_cursor: null });
      },
      'GET /api/v1/complaints/categories': () => jsonResponse(categories),
      'GET /api/v1/complaints/export': () =>
        new Response('xlsx', {
          headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': 'attachment; filename="complaints.xlsx"' },
        }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '中共青山县委员会' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '中共青山县委员会' })] }),
      'GET /api/v1/complaints/7': () => {
        const response = jsonResponse(current);
        response.headers.set('ETag', `"${current.version}"`);
        return response;
      },
      'GET /api/v1/complaints/7/timeline': () => jsonResponse([received]),
      'POST /api/v1/complaints/7/accept':
        accept ??
        (() => {
          current = read({ status: 'accepted', version: 4, actions: offers('assign', 'extend') });
          return jsonResponse(current);
        }),
    },
  });
}

/** The step dialog titled `title` (the drawer is a dialog too). */
async function stepDialog(title: string): Promise<HTMLElement> {
  return vi.waitFor(() => {
    const found = screen.getAllByRole('dialog').find((dialog) => dialog.textContent.includes(title));
    if (!found) throw new Error(`no dialog ${title}`);
    return found;
  });
}

const listQueries = (requests: Request[]) =>
  requests.filter((r) => new URL(r.url).pathname === '/api/v1/complaints').map((r) => Object.fromEntries(new URL(r.url).searchParams));

describe('ComplaintBoardPage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lists overdue items first, then the rest, with their category and org', async () => {
    const { requests } = serve();
    const table = await screen.findByTestId('complaint-table');
    await within(table).findByRole('button', { name: '村口道路塌陷' });
    const titles = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getByRole('button').textContent);
    expect(titles).toEqual(['路灯不亮', '村口道路塌陷']);
    const overdueRow = within(table).getAllByRole('row')[1];
    expect(overdueRow).toHaveTextContent(/逾期 \d+ 天/);
    expect(overdueRow).toHaveTextContent('已交办');
    expect(await within(table).findAllByText('基础设施 / 道路交通')).toHaveLength(2);
    expect(await within(table).findAllByText('中共青山县委员会')).toHaveLength(2);
    expect(listQueries(requests)).toEqual([
      { overdue: 'true', limit: '20' },
      { overdue: 'false', limit: '19' },
    ]);
  });

  it('asks the server for the filters and the segment in the address bar', async () => {
    const { requests } = serve({ at: '/complaints?tab=closed&channel=hotline&urgency=urgent&q=塌陷&category=roads' });
    await screen.findByRole('button', { name: '村口道路塌陷' });
    expect(listQueries(requests)).toEqual([{ status: 'closed', channel: 'hotline', urgency: 'urgent', category: 'roads', q: '塌陷', limit: '20' }]);
    expect(screen.getByRole('tab', { name: '已销号', selected: true })).toBeInTheDocument();

    const user = userEvent.setup();
    const search = screen.getByRole('searchbox', { name: '标题关键词或查询码' });
    await user.clear(search);
    await user.type(search, 'K7QMX2RP9TWA{Enter}');
    await vi.waitFor(() => {
      expect(listQueries(requests).at(-1)).toEqual({ status: 'closed', channel: 'hotline', urgency: 'urgent', category: 'roads', q: 'K7QMX2RP9TWA', limit: '20' });
    });
  });

  it('exports the filtered ledger to Excel', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:complaints';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { requests } = serve({ at: '/complaints?tab=overdue&channel=hotline' });
    await screen.findByRole('button', { name: '路灯不亮' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /导出 Excel/ }));
    await vi.waitFor(() => {
      expect(created).toHaveLength(1);
    });
    const exported = requests.find((r) => new URL(r.url).pathname === '/api/v1/complaints/export');
    expect(Object.fromEntries(new URL(exported?.url ?? 'http://x').searchParams)).toEqual({ channel: 'hotline', overdue: 'true', format: 'xlsx' });
  });

  it('opens an item with its masked reporter and timeline, and accepts it under its ETag', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '村口道路塌陷' }));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('K7QMX2RP9TWA')).toBeInTheDocument();
    expect(within(drawer).getByText('138****5678')).toBeInTheDocument();
    expect(within(drawer).getByLabelText('反映人信息已脱敏，仅承办组织可查看')).toBeInTheDocument();
    expect(within(drawer).getByText('罗湾村村口 · 罗湾村')).toBeInTheDocument();
    expect(within(drawer).getByTestId('complaint-timeline')).toHaveTextContent('登记已登记群众');

    const actions = within(drawer).getByTestId('complaint-actions');
    expect(within(actions).getAllByRole('button').map((b) => b.textContent.replace(/\s/g, ''))).toEqual(['受理', '不予受理']);
    await user.click(within(actions).getByRole('button', { name: /^受\s*理$/ }));
    const dialog = await stepDialog('受理 · #7');
    await user.type(within(dialog).getByLabelText('内部备注（群众不可见）'), '当日受理');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    expect(await within(drawer).findByText('已受理', { selector: '[data-testid="complaint-status"]' })).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('If-Match')).toBe('"3"');
    expect(await post?.json()).toEqual({ note: '当日受理' });
    // The list behind reloads too.
    await vi.waitFor(() => {
      expect(listQueries(requests).length).toBeGreaterThan(2);
    });
  });

  it('shows a step refused as out of order, naming the current state, and keeps the dialog open', async () => {
    serve({ at: '/complaints?item=7', accept: () => problem(409, 'invalid_transition', '诉求当前状态为「已受理」（accepted），不能执行 accept') });
    const user = userEvent.setup();
    const drawer = await screen.findByRole('dialog');
    await user.click(await within(drawer).findByRole('button', { name: /^受\s*理$/ }));
    const dialog = await stepDialog('受理 · #7');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('诉求当前状态为「已受理」（accepted），不能执行 accept');
  });

  it('says the item changed meanwhile on a 412', async () => {
    serve({ at: '/complaints?item=7', accept: () => problem(412, 'precondition_failed', '记录已被修改，请刷新后重试') });
    const user = userEvent.setup();
    const drawer = await screen.findByRole('dialog');
    await user.click(await within(drawer).findByRole('button', { name: /^受\s*理$/ }));
    const dialog = await stepDialog('受理 · #7');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('该诉求已被他人更新，已重新载入，请核对后再提交');
  });

  it('offers no steps to a role that may only read', async () => {
    serve({ at: '/complaints?item=7', user: auditor });
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('K7QMX2RP9TWA')).toBeInTheDocument();
    expect(within(drawer).queryByTestId('complaint-actions')).not.toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /^受\s*理$/ })).not.toBeInTheDocument();
  });
});
