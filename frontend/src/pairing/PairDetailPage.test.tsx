import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me, VisitRead } from '../api';
import { jsonResponse, me, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PairDetailPage } from './PairDetailPage';
import { beneficiary, pair, visit } from './testData';

function serve({ user = me(), at = '/pairing/pairs/5' }: { user?: Me; at?: string } = {}) {
  let visits: VisitRead[] = [
    visit({ id: 40, visited_on: '2026-06-01', money_given: '500.00' }),
    visit({ id: 41, visited_on: '2026-10-20', follow_up: '协助办理慢性病医保报销', follow_up_due_on: '2026-11-03', version: 4 }),
  ];
  return renderPage(<PairDetailPage />, {
    path: '/pairing/pairs/:pairId',
    at,
    user,
    routes: {
      'GET /api/v1/pairing/pairs/5': () => jsonResponse(pair({ id: 5, goals: [{ tag: 'technology', target: '掌握大棚蔬菜种植技术' }, { tag: 'poverty_exit', target: '年人均纯收入增加3000元' }] })),
      'GET /api/v1/pairing/pairs/404': () => jsonResponse({ status: 404, detail: '结对不存在', code: 'pair_not_found' }, 404, 'application/problem+json'),
      'GET /api/v1/pairing/beneficiaries/1': () => jsonResponse(beneficiary({ id: 1 })),
      'GET /api/v1/members/11': () => jsonResponse(member({ id: 11, name: '张帮扶' })),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/pairing/pairs/5/visits': () => jsonResponse({ items: visits, next_cursor: null }),
      'PATCH /api/v1/pairing/pairs/5/visits/41/follow-up': () => {
        visits = visits.map((v) => (v.id === 41 ? { ...v, follow_up_done_on: '2026-12-01', version: 5 } : v));
        return jsonResponse(visits[1]);
      },
      'POST /api/v1/pairing/pairs/5/visits': async (request) => {
        const body = (await request.json()) as { work_done: string; visited_on: string };
        const created = visit({ id: 42, work_done: body.work_done, visited_on: body.visited_on });
        visits = [...visits, created];
        return jsonResponse(created, 201);
      },
    },
  });
}

const rowOf = (table: HTMLElement, text: string) => within(table).getByText(text).closest('tr') as HTMLElement;

describe('PairDetailPage', () => {
  it('shows who helps whom, the goals, the masked contact and the visits, the overdue follow-up in red', async () => {
    serve();
    expect(await screen.findByText('张帮扶 → 王大爷')).toBeInTheDocument();
    const goals = screen.getByTestId('pair-goals');
    expect(goals).toHaveTextContent('包技术掌握大棚蔬菜种植技术');
    expect(goals).toHaveTextContent('包脱贫年人均纯收入增加3000元');
    expect(screen.getByText('139****0007')).toBeInTheDocument();
    expect(await screen.findByText('罗湾村党支部')).toBeInTheDocument();
    const table = screen.getByTestId('visit-table');
    await within(table).findByText('协助办理慢性病医保报销');
    const late = rowOf(table, '协助办理慢性病医保报销');
    expect(late).toHaveClass('row-overdue');
    expect(within(late).getByText('已逾期')).toBeInTheDocument();
    expect(rowOf(table, '¥500 / ¥0')).not.toHaveClass('row-overdue');
  });

  it('marks a follow-up done under the visit’s ETag', async () => {
    const { requests } = serve();
    const table = await screen.findByTestId('visit-table');
    await within(table).findByText('协助办理慢性病医保报销');
    // Role queries (and user-event's pointer checks) over the antd table crawl in jsdom: go by the text.
    fireEvent.click(within(table).getByText('标记办结'));
    await vi.waitFor(() => {
      expect(rowOf(table, '协助办理慢性病医保报销')).not.toHaveClass('row-overdue');
    });
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.headers.get('If-Match')).toBe('"4"');
    expect(await patch?.json()).toEqual({ done: true });
    expect(within(table).getByText('重新打开').closest('button')).toBeInTheDocument();
  });

  it('records a visit in a dialog and lists it', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByRole('button', { name: /记录走访/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('走访内容'), '送去米面油，讲解医保政策');
    await user.type(within(dialog).getByLabelText('帮扶资金（元）'), '300');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(screen.getByTestId('visit-table')).findByText('送去米面油，讲解医保政策')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    const body = (await post?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'routine', work_done: '送去米面油，讲解医保政策', money_given: 300, jobs_found: 0, follow_up: null, follow_up_due_on: null });
    expect(body.visited_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('offers no writes to a caller without members:write', async () => {
    serve({ user: me('auditor') });
    const table = await screen.findByTestId('visit-table');
    await within(table).findByText('协助办理慢性病医保报销');
    expect(screen.queryByRole('button', { name: /记录走访/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /结束结对/ })).not.toBeInTheDocument();
    expect(within(table).queryByText('标记办结')).not.toBeInTheDocument();
  });

  it('says so when the pair is not there (or not in the caller’s scope)', async () => {
    serve({ at: '/pairing/pairs/404' });
    expect(await screen.findByText('记录不存在或不在您的管理范围内')).toBeInTheDocument();
  });
});
