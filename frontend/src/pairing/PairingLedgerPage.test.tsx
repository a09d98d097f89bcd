import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me } from '../api';
import { jsonResponse, me, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PairingLedgerPage } from './PairingLedgerPage';
import { beneficiary, coverage, pair } from './testData';

const members: Record<string, string> = { '11': '张帮扶', '12': '李帮扶', '21': '王大爷' };

function serve({ at = '/pairing', user = me() }: { at?: string; user?: Me } = {}) {
  let pairs = [pair({ id: 5 }), pair({ id: 6, helper_member_id: 12, beneficiary_id: 2, kind: 'member_household', goals: [] })];
  return renderPage(<PairingLedgerPage />, {
    path: '/pairing',
    at,
    user,
    routes: {
      'GET /api/v1/pairing/coverage': () => jsonResponse(coverage()),
      'GET /api/v1/pairing/pairs': () => jsonResponse({ items: pairs, next_cursor: null }),
      'GET /api/v1/pairing/beneficiaries': () =>
        jsonResponse({ items: [beneficiary({ id: 1 }), beneficiary({ id: 2, kind: 'household', member_id: null, member_name: null, head_name: '李长顺' })], next_cursor: null }),
      'GET /api/v1/pairing/beneficiaries/1': () => jsonResponse(beneficiary({ id: 1 })),
      'GET /api/v1/pairing/beneficiaries/2': () => jsonResponse(beneficiary({ id: 2, kind: 'household', member_id: null, member_name: null, head_name: '李长顺' })),
      'GET /api/v1/pairing/follow-ups/overdue': () =>
        jsonResponse({
          items: [
            {
              visit_id: 40,
              pair_id: 5,
              org_id: 3,
              helper_member_id: 11,
              helper_user_id: null,
              beneficiary_id: 1,
              visited_on: '2026-10-20',
              follow_up: '协助办理慢性病医保报销',
              follow_up_due_on: '2026-11-03',
              days_overdue: 28,
            },
          ],
          next_cursor: null,
        }),
      'GET /api/v1/members': () => jsonResponse({ items: [member({ id: 11, name: '张帮扶' }), member({ id: 12, name: '李帮扶' })], next_cursor: null }),
      'GET /api/v1/members/11': () => jsonResponse(member({ id: 11, name: members['11'] ?? '' })),
      'GET /api/v1/members/12': () => jsonResponse(member({ id: 12, name: members['12'] ?? '' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'POST /api/v1/pairing/pairs': async (request) => {
        const body = (await request.json()) as { beneficiary_id: number };
        return jsonResponse(pair({ id: 9, beneficiary_id: body.beneficiary_id }), 201);
      },
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'POST /api/v1/pairing/beneficiaries': async (request) => {
        const body = (await request.json()) as { head_name: string };
        return jsonResponse(beneficiary({ id: 3, kind: 'household', member_id: null, member_name: null, head_name: body.head_name }), 201);
      },
      'POST /api/v1/pairing/pairs/5/end': () => {
        pairs = pairs.filter((p) => p.id !== 5);
        return jsonResponse(pair({ id: 5, status: 'completed', version: 3 }));
      },
    },
  });
}

const requestsTo = (requests: Request[], method: string, path: string) => requests.filter((r) => r.method === method && new URL(r.url).pathname === path);
const queryOf = (request: Request | undefined) => Object.fromEntries(new URL(request?.url ?? 'http://x').searchParams);

describe('PairingLedgerPage', () => {
  it('shows the quarter’s coverage and the active pairs with names, goals and links', async () => {
    const { requests } = serve();
    const summary = await screen.findByTestId('pairing-coverage');
    expect(await within(summary).findByText('75%')).toBeInTheDocument();
    expect(summary).toHaveTextContent('3/4');
    expect(summary).toHaveTextContent('2026 Q4');
    const table = screen.getByTestId('pair-table');
    const link = await within(table).findByRole('link', { name: '王大爷' });
    expect(link).toHaveAttribute('href', '/pairing/pairs/5');
    expect(await within(table).findByText('李长顺')).toBeInTheDocument();
    expect(await within(table).findByText('张帮扶')).toBeInTheDocument();
    expect(within(table).getByText('包脱贫')).toBeInTheDocument();
    expect(within(table).getAllByText('帮扶中')).toHaveLength(2);
    expect(queryOf(requestsTo(requests, 'GET', '/api/v1/pairing/pairs')[0])).toEqual({ status: 'active', limit: '20' });
    expect(queryOf(requestsTo(requests, 'GET', '/api/v1/pairing/coverage')[0])).toEqual({ org_id: '3' });
  });

  it('asks the server for the filters in the address bar', async () => {
    const { requests } = serve({ at: '/pairing?status=all&helper=11&mine=1&org=3' });
    await screen.findByTestId('pair-table');
    await vi.waitFor(() => {
      expect(queryOf(requestsTo(requests, 'GET', '/api/v1/pairing/pairs')[0])).toEqual({ org_id: '3', helper_member_id: '11', helper_user_id: '1', limit: '20' });
    });
  });

  it('lists overdue follow-ups on their own tab, linking to the pair', async () => {
    serve({ at: '/pairing?tab=followUps' });
    const table = await screen.findByTestId('follow-up-table');
    expect(await within(table).findByText('协助办理慢性病医保报销')).toBeInTheDocument();
    expect(within(table).getByText('逾期 28 天')).toBeInTheDocument();
    expect(await within(table).findByRole('link', { name: '王大爷' })).toHaveAttribute('href', '/pairing/pairs/5');
  });

  it('lists beneficiaries with contacts as masked by the API', async () => {
    serve({ at: '/pairing?tab=beneficiaries' });
    const table = await screen.findByTestId('beneficiary-table');
    expect(await within(table).findByText('李长顺')).toBeInTheDocument();
    expect(within(table).getAllByText('139****0007')).toHaveLength(2);
  });

  it('creates a pair in a dialog with its 三包 goal', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByRole('button', { name: /新建结对/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('帮扶对象'));
    await user.click(await screen.findByTitle('李长顺（联系户）'));
    await user.click(within(dialog).getByLabelText('帮扶人'));
    await user.click(await screen.findByTitle('李帮扶（罗湾村党支部）'));
    await user.type(within(dialog).getByLabelText('目标'), '发展庭院养殖');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(requestsTo(requests, 'POST', '/api/v1/pairing/pairs')).toHaveLength(1);
    });
    const body = (await requestsTo(requests, 'POST', '/api/v1/pairing/pairs')[0]?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ helper_member_id: 12, helper_user_id: null, beneficiary_id: 2, kind: 'poverty', goals: [{ tag: 'poverty_exit', target: '发展庭院养殖' }], ends_on: null });
    expect(body.started_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('registers a household of the caller’s branch as a beneficiary', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByRole('button', { name: /登记帮扶对象/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('联系户'));
    await user.type(await within(dialog).findByLabelText('户主姓名'), '赵凤英');
    await user.type(within(dialog).getByLabelText('联系电话'), '13900001111');
    await user.type(within(dialog).getByLabelText('家庭人口'), '4');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(requestsTo(requests, 'POST', '/api/v1/pairing/beneficiaries')).toHaveLength(1);
    });
    expect(await requestsTo(requests, 'POST', '/api/v1/pairing/beneficiaries')[0]?.json()).toEqual({
      kind: 'household',
      org_id: 3,
      head_name: '赵凤英',
      address: null,
      village: null,
      household_size: 4,
      contact_phone: '13900001111',
      situation: null,
      needs: null,
    });
  });

  it('ends a pair under its ETag and reloads the list', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    const table = await screen.findByTestId('pair-table');
    await within(table).findByText('张帮扶');
    const [end] = within(table).getAllByText('结束结对');
    if (!end) throw new Error('no 结束结对 button');
    await user.click(end);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('张帮扶 → 王大爷');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(within(table).queryByText('王大爷')).not.toBeInTheDocument();
    });
    const [post] = requestsTo(requests, 'POST', '/api/v1/pairing/pairs/5/end');
    expect(post?.headers.get('If-Match')).toBe('"2"');
    expect(await post?.json()).toMatchObject({ status: 'completed', reason: null });
  });

  it('hides the write actions from a caller without members:write', async () => {
    serve({ user: me('auditor') });
    const table = await screen.findByTestId('pair-table');
    await within(table).findByText('张帮扶');
    expect(screen.queryByRole('button', { name: /新建结对/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /登记帮扶对象/ })).not.toBeInTheDocument();
    expect(within(table).queryByText('结束结对')).not.toBeInTheDocument();
  });
});
