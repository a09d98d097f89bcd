import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AlertRead, ComplaintCategory, Me } from '../api';
import { todayInChina } from '../lib/dates';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { AlertsPage } from './AlertsPage';
import { duplicatesAlert, surgeAlert } from './fixtures';

const staff: Me = {
  kind: 'user',
  id: 1,
  username: 'zuzhibu',
  display_name: '县委组织部',
  role: 'org_admin',
  org_id: 3,
  member_id: null,
  permissions: ['orgs:read', 'complaints:read', 'complaints:write', 'members:read'],
};
const auditor: Me = { ...staff, id: 2, username: 'audit', role: 'auditor', permissions: ['orgs:read', 'complaints:read'] };

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

const problem = (status: number, code: string, zh: string) =>
  jsonResponse({ type: 'about:blank', title: 'Error', status, detail: zh, code, messages: { 'zh-CN': zh, en: zh } }, status, 'application/problem+json');

interface Options {
  at?: string;
  user?: Me;
  alerts?: AlertRead[];
  acknowledge?: (request: Request) => Response;
  run?: (request: Request) => Response;
}

function serve({ at = '/alerts', user = staff, alerts = [surgeAlert(), duplicatesAlert()], acknowledge, run }: Options = {}) {
  return renderPage(<AlertsPage />, {
    path: '/alerts',
    at,
    user,
    routes: {
      'GET /api/v1/alerts': () => jsonResponse({ items: alerts, next_cursor: null }),
      'GET /api/v1/complaints/categories': () => jsonResponse(categories),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'POST /api/v1/alerts/11/acknowledge':
        acknowledge ?? (() => jsonResponse({ ...surgeAlert(), state: 'acknowledged', acknowledged_by: 'zuzhibu', acknowledged_at: '2026-03-02T07:00:00Z', version: 2 })),
      'POST /api/v1/alerts/run': run ?? (() => jsonResponse([])),
    },
  });
}

const listQueries = (requests: Request[]) =>
  requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/v1/alerts').map((r) => Object.fromEntries(new URL(r.url).searchParams));

async function dialogTitled(title: string): Promise<HTMLElement> {
  return vi.waitFor(() => {
    const found = screen.getAllByRole('dialog').find((dialog) => dialog.textContent.includes(title));
    if (!found) throw new Error(`no dialog ${title}`);
    return found;
  });
}

describe('AlertsPage', () => {
  it('says why each alert fired in words, and links to the complaints behind it', async () => {
    serve();
    const table = await screen.findByTestId('alert-table');
    expect(await within(table).findByText('2026-03-02「道路交通」类诉求 9 件，前 7 天日均 1.14 件，达到预警阈值 5 件')).toBeInTheDocument();
    expect(within(table).getByText('近 30 天有 3 件诉求内容高度相似（最相近两件相似度 81%），其中 2 件为当天新收')).toBeInTheDocument();
    // The surge shows its first complaints and how many there are; the board link filters by its org and category.
    const surge = within(table).getByTestId('why-11').closest('tr') as HTMLElement;
    expect(within(surge).getByText('#41')).toBeInTheDocument();
    expect(within(surge).queryByText('#46')).not.toBeInTheDocument();
    expect(within(surge).getByText('等 9 件')).toBeInTheDocument();
    expect(within(surge).getByText('在诉求台账中查看').closest('a')).toHaveAttribute('href', '/complaints?org=3&category=roads');
    const duplicates = within(table).getByTestId('why-12').closest('tr') as HTMLElement;
    expect(['#51', '#52', '#53'].map((id) => within(duplicates).getByText(id).closest('button'))).not.toContain(null);
  });

  it('asks the server for the filters in the address bar', async () => {
    const { requests } = serve({ at: '/alerts?kind=surge&state=open&org=3' });
    await screen.findByTestId('why-11');
    expect(listQueries(requests)).toEqual([{ kind: 'surge', state: 'open', org_id: '3', limit: '20' }]);
  });

  it('acknowledges an alert with a note under its version', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    const row = (await screen.findByTestId('why-11')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /确\s*认/ }));
    const dialog = await dialogTitled('确认预警 #11');
    await user.type(within(dialog).getByLabelText('处理说明（可选）'), '已安排专人核实');
    await user.click(within(dialog).getByRole('button', { name: /确\s*认/ }));
    await vi.waitFor(() => {
      expect(requests.some((r) => r.method === 'POST')).toBe(true);
    });
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('If-Match')).toBe('"1"');
    expect(await post?.json()).toEqual({ note: '已安排专人核实' });
    // The list reloads.
    await vi.waitFor(() => {
      expect(listQueries(requests).length).toBe(2);
    });
  });

  it('shows in the dialog that the alert was already acknowledged, and reloads the list', async () => {
    const { requests } = serve({ acknowledge: () => problem(409, 'alert_already_acknowledged', '该预警已确认') });
    const user = userEvent.setup();
    const row = (await screen.findByTestId('why-11')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /确\s*认/ }));
    const dialog = await dialogTitled('确认预警 #11');
    await user.click(within(dialog).getByRole('button', { name: /确\s*认/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('该预警已确认');
    await vi.waitFor(() => {
      expect(listQueries(requests).length).toBe(2);
    });
  });

  it('says the alert changed meanwhile on a 412', async () => {
    serve({ acknowledge: () => problem(412, 'precondition_failed', '记录已被修改') });
    const user = userEvent.setup();
    const row = (await screen.findByTestId('why-11')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /确\s*认/ }));
    const dialog = await dialogTitled('确认预警 #11');
    await user.click(within(dialog).getByRole('button', { name: /确\s*认/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('该预警已被他人更新，已重新载入，请核对后再确认');
  });

  it('runs the analysis for today in China and lists what fired', async () => {
    const { requests } = serve({ run: () => jsonResponse([duplicatesAlert({ id: 13 })]) });
    const user = userEvent.setup();
    await screen.findByTestId('why-11');
    await user.click(screen.getByRole('button', { name: /运行分析/ }));
    const result = await screen.findByTestId('run-result');
    const today = todayInChina();
    expect(result).toHaveTextContent(`${today} 的分析触发了 1 条新预警`);
    expect(result).toHaveTextContent('近 30 天有 3 件诉求内容高度相似');
    const run = requests.find((r) => r.method === 'POST');
    expect(await run?.json()).toEqual({ day: today });
    await vi.waitFor(() => {
      expect(listQueries(requests).length).toBe(2);
    });
  });

  it('says when the analysis found nothing', async () => {
    serve();
    const user = userEvent.setup();
    await screen.findByTestId('why-11');
    await user.click(screen.getByRole('button', { name: /运行分析/ }));
    expect(await screen.findByTestId('run-result')).toHaveTextContent('的分析未发现新的异常');
  });

  it('shows a refused run where it happened', async () => {
    serve({ run: () => problem(422, 'validation_error', '日期不能晚于今天') });
    const user = userEvent.setup();
    await screen.findByTestId('why-11');
    await user.click(screen.getByRole('button', { name: /运行分析/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('日期不能晚于今天');
  });

  it('offers neither running nor acknowledging to a reader', async () => {
    serve({ user: auditor });
    await screen.findByTestId('why-11');
    expect(screen.queryByText('运行分析')).not.toBeInTheDocument();
    expect(screen.queryByText(/^确\s*认$/)).not.toBeInTheDocument();
  });
});
