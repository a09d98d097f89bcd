import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me, WebhookRead } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { WebhooksPage } from './WebhooksPage';

const county = org({ id: 1, name: '中共青山县委员会', kind: 'committee' });
const admin: Me = { ...me(), username: 'zuzhibu', role: 'org_admin', org_id: 1, permissions: [...me().permissions, 'webhooks:manage', 'service_accounts:manage'] };
const webhook: WebhookRead = {
  id: 7,
  org_id: 1,
  service_account_id: 4,
  url: 'https://hooks.example.org/in',
  description: '县融媒体中心',
  event_types: ['complaint.received'],
  active: true,
  version: 2,
  created_at: '2026-03-01T01:00:00Z',
  updated_at: '2026-03-01T01:00:00Z',
};
const account = { id: 4, name: '12345热线', description: null, org_id: 1, scopes: ['complaints:read'], is_active: true, created_at: '2026-03-01T01:00:00Z', version: 1 };

const delivery = (id: number, status: 'pending' | 'delivered' | 'failed') => ({
  id,
  subscription_id: 7,
  message_id: `msg_${String(id)}`,
  event_type: 'complaint.received',
  payload: {},
  status,
  attempts: status === 'failed' ? 8 : 1,
  next_attempt_at: '2026-03-02T01:00:00Z',
  last_attempt_at: '2026-03-01T01:00:00Z',
  last_status_code: status === 'failed' ? 500 : 204,
  last_error: status === 'failed' ? 'HTTP 500 from receiver' : null,
  created_at: '2026-03-01T01:00:00Z',
  delivered_at: status === 'delivered' ? '2026-03-01T01:00:00Z' : null,
});

function serve(create: (request: Request) => Response) {
  return renderPage(<WebhooksPage />, {
    path: '/webhooks',
    at: '/webhooks',
    user: admin,
    routes: {
      'GET /api/v1/webhooks': () => jsonResponse({ items: [webhook], next_cursor: null }),
      'GET /api/v1/webhooks/event-types': () => jsonResponse(['webhook.ping', 'complaint.received', 'scoring.published']),
      'GET /api/v1/service-accounts': () => jsonResponse({ items: [account], next_cursor: null }),
      'GET /api/v1/orgs/1': () => jsonResponse(county),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [county] }),
      'POST /api/v1/webhooks': create,
      'GET /api/v1/webhooks/7/deliveries': () => jsonResponse({ items: [delivery(2, 'failed'), delivery(1, 'delivered')], next_cursor: null }),
      'POST /api/v1/webhooks/deliveries/2/retry': () => jsonResponse({ ...delivery(2, 'pending'), attempts: 0 }, 202),
    },
  });
}

describe('WebhooksPage', () => {
  it('lists webhooks with their service account and events, and shows a new one’s secret once', async () => {
    const { requests } = serve(() => jsonResponse({ ...webhook, id: 8, service_account_id: null, url: 'https://b.example/h', secret: 'whsec_TOPSECRET' }, 201));
    const table = await screen.findByTestId('webhook-table');
    expect(await within(table).findByText('12345热线')).toBeInTheDocument();
    expect(within(table).getByText('诉求已受理')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /新建订阅/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('接收地址'), 'https://b.example/h');
    await user.click(within(dialog).getByRole('checkbox', { name: '测试推送' }));
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));

    expect(await screen.findByTestId('shown-once-secret')).toHaveTextContent('whsec_TOPSECRET');
    const post = requests.find((request) => request.method === 'POST');
    expect(await post?.json()).toEqual({ org_id: 1, url: 'https://b.example/h', description: '', event_types: ['webhook.ping'], service_account_id: null });
    await user.click(screen.getByRole('button', { name: /我已保存/ }));
    expect(screen.queryByText('whsec_TOPSECRET')).not.toBeInTheDocument();
  });

  it('shows the events a service account may not read on the event field', async () => {
    serve(() =>
      jsonResponse(
        {
          status: 422,
          code: 'webhook_event_not_readable',
          detail: '服务账号无权读取这些事件：scoring.published',
          messages: { 'zh-CN': '服务账号无权读取这些事件：scoring.published', en: 'no' },
          errors: [{ field: 'body.event_types.0', code: 'webhook_event_not_readable', message: 'x', messages: { 'zh-CN': '服务账号无权读取事件 scoring.published（需要权限 scoring:read）', en: 'x' } }],
        },
        422,
        'application/problem+json',
      ),
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /新建订阅/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('接收地址'), 'https://b.example/h');
    await user.click(within(dialog).getByRole('checkbox', { name: '积分结果已发布' }));
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    expect(await within(dialog).findByText('服务账号无权读取事件 scoring.published（需要权限 scoring:read）')).toBeInTheDocument();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('服务账号无权读取这些事件：scoring.published');
  });

  it('lists a webhook’s deliveries with the last error, and sends a failed one again', async () => {
    const { requests } = serve(() => jsonResponse({}, 500));
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /推送记录/ }));
    const table = await screen.findByTestId('delivery-table');
    expect(await within(table).findByText('HTTP 500 from receiver')).toBeInTheDocument();
    // Only the failed delivery can be retried (getByRole fails on more than one).
    await user.click(within(table).getByRole('button', { name: /重新推送/ }));
    expect(await screen.findByText('已重新加入推送队列')).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'POST' && new URL(request.url).pathname === '/api/v1/webhooks/deliveries/2/retry')).toBe(true);
  });
});
