import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me } from '../api';
import { jsonResponse, me, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { enclosing, problem, userRow } from './testData';
import { UsersPage } from './UsersPage';

function serve({ user = me(), patch, create }: { user?: Me; patch?: () => Response; create?: () => Response } = {}) {
  return renderPage(<UsersPage />, {
    path: '/users',
    at: '/users',
    user,
    routes: {
      'GET /api/v1/users': () =>
        jsonResponse({ items: [userRow({ id: 1, username: 'secretary', display_name: '李书记', role: 'secretary' }), userRow({ id: 5, username: 'lisi', display_name: '李四', member_id: 21, version: 4 })], next_cursor: null }),
      'PATCH /api/v1/users/5': patch ?? (() => jsonResponse(userRow({ id: 5, username: 'lisi', is_active: false, version: 5 }))),
      'POST /api/v1/users': create ?? (() => jsonResponse(userRow({ id: 6, username: 'wangwu' }), 201)),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/members/21': () => jsonResponse(member({ id: 21, name: '李四' })),
      'GET /api/v1/members': () => jsonResponse({ items: [member({ id: 21, name: '李四' })], next_cursor: null }),
    },
  });
}

const rowOf = (text: string) => within(screen.getByTestId('user-table')).getByText(text).closest('tr') as HTMLElement;
const listCalls = (requests: Request[]) => requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/v1/users').length;

describe('UsersPage', () => {
  it('lists users with role, organisation and linked member, and hides writes from a reader', async () => {
    serve({ user: me('auditor') });
    const table = await screen.findByTestId('user-table');
    await within(table).findByText('lisi');
    expect(rowOf('lisi')).toHaveTextContent('党员');
    expect(await within(rowOf('lisi')).findByRole('link', { name: '李四' })).toHaveAttribute('href', '/members/21');
    expect(await within(rowOf('secretary')).findByText('罗湾村党支部')).toBeInTheDocument();
    expect(screen.queryByTestId('user-create')).not.toBeInTheDocument();
    expect(within(table).queryByText('编辑')).not.toBeInTheDocument();
  });

  it('deactivates a user under its ETag, sending only that change', async () => {
    const { requests } = serve();
    await screen.findByText('lisi');
    fireEvent.click(within(rowOf('lisi')).getByRole('button', { name: '编辑 lisi' }));
    const dialog = await screen.findByRole('dialog');
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(within(dialog).getByRole('switch'));
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(listCalls(requests)).toBe(2);
    });
    const sent = requests.find((r) => r.method === 'PATCH');
    expect(sent?.headers.get('If-Match')).toBe('"4"');
    expect(await sent?.json()).toEqual({ is_active: false });
  });

  it('says the record changed and reloads the list on 412', async () => {
    const { requests } = serve({ patch: () => problem(412, 'precondition_failed', '记录已被修改') });
    await screen.findByText('lisi');
    fireEvent.click(within(rowOf('lisi')).getByRole('button', { name: '编辑 lisi' }));
    const dialog = await screen.findByRole('dialog');
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(within(dialog).getByRole('switch'));
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByText(/该记录已被他人修改/)).toBeInTheDocument();
    await vi.waitFor(() => {
      expect(listCalls(requests)).toBe(2);
    });
  });

  it('offers a secretary only the member role and shows member_already_linked on the member field', async () => {
    serve({ create: () => problem(409, 'member_already_linked', '该党员已关联其他账号') });
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByTestId('user-create'));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByTestId('user-username'), 'wangwu');
    await user.type(within(dialog).getByTestId('user-display-name'), '王五');
    await user.type(within(dialog).getByTestId('user-password'), 'a passphrase');
    await user.click(within(dialog).getByRole('combobox', { name: '角色' }));
    const roles = [...document.querySelectorAll('.ant-select-item-option')].map((option) => option.textContent);
    expect(roles).toEqual(['党员']);
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    const field = enclosing(await within(dialog).findByText('该党员已关联其他账号'), '.ant-form-item');
    expect(field).toHaveTextContent('关联党员');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
