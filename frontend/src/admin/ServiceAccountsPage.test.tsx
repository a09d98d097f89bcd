import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApiTokenRead } from '../api';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ServiceAccountsPage } from './ServiceAccountsPage';
import { enclosing, orgAdmin, serviceAccount } from './testData';

const SECRET = 'vgd_s3cr3t-token-value';

function token(overrides: Partial<ApiTokenRead> & Pick<ApiTokenRead, 'id' | 'name'>): ApiTokenRead {
  return { service_account_id: 9, display_prefix: 'vgd_ab', created_at: '2026-11-01T00:00:00Z', expires_at: null, revoked_at: null, last_used_at: null, ...overrides };
}

function serve() {
  let tokens: ApiTokenRead[] = [token({ id: 1, name: '旧令牌' })];
  return renderPage(<ServiceAccountsPage />, {
    path: '/service-accounts',
    at: '/service-accounts',
    user: orgAdmin(),
    routes: {
      'GET /api/v1/service-accounts': () => jsonResponse({ items: [serviceAccount({ id: 9, name: '12345 热线', scopes: ['complaints:read', 'complaints:write'] })], next_cursor: null }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '测试县委组织部' })),
      'GET /api/v1/service-accounts/9/tokens': () => jsonResponse(tokens),
      'POST /api/v1/service-accounts/9/tokens': () => {
        const issued = token({ id: 2, name: '生产', display_prefix: 'vgd_s3' });
        tokens = [...tokens, issued];
        return jsonResponse({ ...issued, token: SECRET }, 201);
      },
      'DELETE /api/v1/service-accounts/9/tokens/1': () => {
        tokens = tokens.map((one) => (one.id === 1 ? { ...one, revoked_at: '2026-12-01T00:00:00Z' } : one));
        return jsonResponse(tokens[0]);
      },
    },
  });
}

describe('ServiceAccountsPage', () => {
  it('lists accounts with their organisation and scopes by name', async () => {
    serve();
    const table = await screen.findByTestId('account-table');
    expect(await within(table).findByText('12345 热线')).toBeInTheDocument();
    expect(within(table).getByText('查看诉求')).toBeInTheDocument();
    expect(within(table).getByText('办理诉求')).toBeInTheDocument();
    expect(await within(table).findByText('测试县委组织部')).toBeInTheDocument();
  });

  it('shows an issued token once, with a warning, and forgets it when closed', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByTestId('account-tokens-9'));
    const table = await screen.findByTestId('token-table');
    await within(table).findByText('旧令牌');
    await user.click(screen.getByTestId('token-issue'));
    const dialog = enclosing(await screen.findByTestId('token-name'), '.ant-modal');
    await user.type(within(dialog).getByTestId('token-name'), '生产');
    await user.click(within(dialog).getByRole('button', { name: /签发令牌/ }));
    const shown = await screen.findByTestId('shown-once-secret');
    expect(shown).toHaveTextContent(SECRET);
    expect(screen.getByText(/令牌只显示这一次/)).toBeInTheDocument();
    expect(await within(table).findByText('生产')).toBeInTheDocument();
    expect(await requests.find((r) => r.method === 'POST')?.json()).toEqual({ name: '生产', expires_at: null });
    await user.click(screen.getByRole('button', { name: '我已保存' }));
    await vi.waitFor(() => {
      expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    });
  });

  it('revokes a token only after confirmation', async () => {
    const { requests } = serve();
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByTestId('account-tokens-9'));
    const table = await screen.findByTestId('token-table');
    fireEvent.click(await within(table).findByRole('button', { name: '吊销 旧令牌' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    const confirm = await screen.findByRole('tooltip');
    await user.click(within(confirm).getByRole('button', { name: /吊\s*销/ }));
    expect(await within(table).findByText('已吊销')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
