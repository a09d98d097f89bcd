import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me, TaskRead } from '../api';
import { jsonResponse, me, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { TaskListPage } from './TaskListPage';
import { task } from './testData';

function serve({ user = me(), at = '/pairing/tasks', close }: { user?: Me; at?: string; close?: () => Response } = {}) {
  let overdue: TaskRead[] = [task({ id: 7, due_on: '2020-01-04', occurred_on: '2020-01-01' })];
  const rest: TaskRead[] = [
    task({ id: 8, member_id: 22, event: 'family_dispute', due_on: '2099-01-01', occurred_on: '2026-11-30', helper_member_id: null, pair_id: null, note: '赡养老人矛盾' }),
    task({ id: 6, event: 'hardship', status: 'visited', visit_id: 3, done: true, due_on: '2026-10-08', note: '房屋漏雨' }),
  ];
  return renderPage(<TaskListPage />, {
    path: '/pairing/tasks',
    at,
    user,
    routes: {
      'GET /api/v1/pairing/tasks': (request) => {
        const late = new URL(request.url).searchParams.get('overdue') === 'true';
        return jsonResponse({ items: late ? overdue : rest, next_cursor: null });
      },
      'GET /api/v1/members/21': () => jsonResponse(member({ id: 21, name: '王大爷' })),
      'GET /api/v1/members/22': () => jsonResponse(member({ id: 22, name: '赵二嫂' })),
      'GET /api/v1/members/11': () => jsonResponse(member({ id: 11, name: '张帮扶' })),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/members': () => jsonResponse({ items: [member({ id: 22, name: '赵二嫂' })], next_cursor: null }),
      'POST /api/v1/pairing/events': () => {
        const opened = task({ id: 9, member_id: 22, event: 'wedding_funeral', note: '母亲去世', due_on: '2099-01-01', helper_member_id: null, pair_id: null });
        rest.unshift(opened);
        return jsonResponse(opened, 201);
      },
      'POST /api/v1/pairing/tasks/7/close':
        close ??
        (() => {
          const closed = task({ id: 7, status: 'closed', closed_as: 'closed', close_reason: '支部书记已上门慰问', due_on: '2020-01-04', version: 2 });
          overdue = [];
          rest.push(closed);
          return jsonResponse(closed);
        }),
    },
  });
}

const listQueries = (requests: Request[]) =>
  requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/v1/pairing/tasks').map((r) => Object.fromEntries(new URL(r.url).searchParams));
const rowOf = (table: HTMLElement, text: string) => within(table).getByText(text).closest('tr') as HTMLElement;

describe('TaskListPage', () => {
  it('lists overdue tasks first, then the rest, with deadline, state and who must visit', async () => {
    const { requests } = serve();
    const table = await screen.findByTestId('task-table');
    await within(table).findByText('突发脑梗住院治疗');
    const notes = [...table.querySelectorAll('tbody tr.ant-table-row')].map((row) => row.textContent);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toContain('突发脑梗住院治疗');
    const late = rowOf(table, '突发脑梗住院治疗');
    expect(late).toHaveClass('row-overdue');
    expect(late).toHaveTextContent(/逾期 \d+ 天/);
    expect(late).toHaveTextContent('待走访');
    expect(await within(late).findByText('张帮扶')).toBeInTheDocument();
    const branch = rowOf(table, '赡养老人矛盾');
    expect(branch).not.toHaveClass('row-overdue');
    expect(branch).toHaveTextContent('支部');
    expect(branch).toHaveTextContent(/天后到期/);
    expect(rowOf(table, '房屋漏雨')).toHaveTextContent('已走访');
    expect(listQueries(requests)).toEqual([
      { overdue: 'true', limit: '20' },
      { overdue: 'false', limit: '19' },
    ]);
  });

  it('shows only the overdue ones on their tab', async () => {
    const { requests } = serve({ at: '/pairing/tasks?tab=overdue&org=3' });
    const table = await screen.findByTestId('task-table');
    await within(table).findByText('突发脑梗住院治疗');
    expect(within(table).queryByText('赡养老人矛盾')).not.toBeInTheDocument();
    expect(listQueries(requests)).toEqual([{ org_id: '3', overdue: 'true', limit: '20' }]);
  });

  it('closes a task by hand with a reason, under its ETag', async () => {
    const { requests } = serve();
    const table = await screen.findByTestId('task-table');
    await within(table).findByText('突发脑梗住院治疗');
    // Only open tasks offer it.
    expect(within(table).getAllByText('办结任务')).toHaveLength(2);
    fireEvent.click(within(rowOf(table, '突发脑梗住院治疗')).getByText('办结任务'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('王大爷 · 生病住院');
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.type(within(dialog).getByLabelText('办结说明'), '支部书记已上门慰问');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(rowOf(table, '支部书记已上门慰问')).toHaveTextContent('已办结');
    });
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('If-Match')).toBe('"1"');
    const body = (await post?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ closed_as: 'closed', reason: '支部书记已上门慰问' });
  });

  it('records an event for a member, which opens a task', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByRole('button', { name: /登记事由/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('党员'));
    await user.click(await screen.findByTitle('赵二嫂（罗湾村党支部）'));
    await user.click(within(dialog).getByLabelText('事由'));
    await user.click(await screen.findByTitle('婚丧嫁娶'));
    await user.type(within(dialog).getByLabelText('说明'), '母亲去世');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    const table = screen.getByTestId('task-table');
    expect(await within(table).findByText('母亲去世')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    const body = (await post?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ member_id: 22, event: 'wedding_funeral', note: '母亲去世' });
    expect(body.occurred_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows the server’s refusal in the dialog', async () => {
    serve({
      close: () =>
        jsonResponse({ status: 409, detail: '任务已走访或已办结', code: 'task_not_open', messages: { 'zh-CN': '任务已走访或已办结', en: 'not open' } }, 409, 'application/problem+json'),
    });
    const table = await screen.findByTestId('task-table');
    await within(table).findByText('突发脑梗住院治疗');
    fireEvent.click(within(rowOf(table, '突发脑梗住院治疗')).getByText('办结任务'));
    const dialog = await screen.findByRole('dialog');
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.type(within(dialog).getByLabelText('办结说明'), '重复提交');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByText('任务已走访或已办结')).toBeInTheDocument();
  });

  it('hides recording and closing from a caller without members:write', async () => {
    serve({ user: me('auditor') });
    const table = await screen.findByTestId('task-table');
    await within(table).findByText('突发脑梗住院治疗');
    expect(within(table).queryByText('办结任务')).not.toBeInTheDocument();
    expect(screen.queryByText('登记事由')).not.toBeInTheDocument();
  });
});
