import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { pickerToday } from '../lib/dates';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { SchemeListPage } from './SchemeListPage';
import { auditor, scheme, secretary } from './testData';

const branch = org({ id: 3, name: '罗湾村党支部' });

const unknownSource = {
  type: 'about:blank',
  title: 'Unknown source',
  status: 422,
  detail: '未知的积分来源',
  code: 'unknown_source',
  messages: { 'zh-CN': '未知的积分来源：study_hours', en: 'Unknown source' },
  errors: [{ field: 'body.rules.0.source', code: 'unknown_source', message: 'study_hours' }],
};

function serve(options: { user?: typeof secretary; create?: (request: Request) => Response | Promise<Response> } = {}) {
  return renderPage(<SchemeListPage />, {
    path: '/scoring',
    at: '/scoring?org=3',
    user: options.user ?? secretary,
    routes: {
      'GET /api/v1/scoring/schemes': () =>
        jsonResponse({ items: [scheme(), scheme({ id: 5, name: '2025年第4季度积分', year: 2025, quarter: 4, status: 'published', version: 3 })], next_cursor: null }),
      'GET /api/v1/orgs/3': () => jsonResponse(branch),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [branch] }),
      'POST /api/v1/scoring/schemes': options.create ?? (() => jsonResponse(scheme({ id: 9 }), 201)),
    },
  });
}

describe('SchemeListPage', () => {
  it('lists schemes with their org, period and status; readers get no create button', async () => {
    serve({ user: auditor });
    const table = await screen.findByTestId('scheme-table');
    expect(await within(table).findByRole('link', { name: '2026年度党员积分' })).toHaveAttribute('href', '/scoring/schemes/4');
    expect(within(table).getByText('2025年第4季度')).toBeInTheDocument();
    expect(within(table).getByText('已发布')).toBeInTheDocument();
    expect(await within(table).findAllByText('罗湾村党支部')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /新建积分方案/ })).not.toBeInTheDocument();
  });

  it('shows the weights’ sum live and refuses a sum other than 1 before sending', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /新建积分方案/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('rater-weights-sum')).toHaveTextContent('合计 1 ✓');

    const masses = within(dialog).getByRole('spinbutton', { name: '群众评议' });
    await user.clear(masses);
    await user.type(masses, '0.25');
    expect(within(dialog).getByTestId('rater-weights-sum')).toHaveTextContent('合计 0.95 · 须为 1');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByText('权重之和须为 1，现为 0.95')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('puts the server’s 422 on the field it names, then opens the new scheme', async () => {
    let calls = 0;
    const { requests } = serve({
      create: () => {
        calls += 1;
        return calls === 1 ? jsonResponse(unknownSource, 422, 'application/problem+json') : jsonResponse(scheme({ id: 9 }), 201);
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /新建积分方案/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('未知的积分来源');
    // The message sits under the rule's source (body.rules.0.source), in the UI language.
    const rulesTable = within(dialog).getAllByRole('table')[0];
    if (!rulesTable) throw new Error('no rules table');
    expect(within(rulesTable).getByText('未知的积分来源：study_hours')).toBeInTheDocument();

    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toMatchObject({
      org_id: 3,
      name: `${pickerToday().year()}年度党员积分`,
      quarter: null,
      rules: [{ source: 'study_hours', points_per_unit: '0.5', cap: '20', period: 'scheme', label: null, categories: [] }],
      rater_weights: { self: '0.1', fellow: '0.25', committee: '0.2', superior: '0.15', masses: '0.3' },
    });

    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => {
      expect(screen.getByTestId('elsewhere')).toHaveTextContent('/scoring/schemes/9');
    });
  });
});
