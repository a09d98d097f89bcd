import { fireEvent, screen, within } from '@testing-library/react';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { AuditLogPage } from './AuditLogPage';
import { auditEvent } from './testData';

function serve(at = '/audit') {
  return renderPage(<AuditLogPage />, {
    path: '/audit',
    at,
    user: me('auditor'),
    routes: {
      'GET /api/v1/audit': () =>
        jsonResponse({
          items: [
            auditEvent({ id: 12, before: { name: '张三', phone: '138****5678', stage: 'candidate' }, after: { name: '张三', phone: '139****0000', stage: 'probationary' } }),
            auditEvent({ id: 11, action: 'create', entity: 'users', entity_id: '5', actor_kind: 'service', actor_name: '12345 热线', after: { username: 'lisi' } }),
          ],
          next_cursor: 'next-page',
        }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
    },
  });
}

const auditQueries = (requests: Request[]) =>
  requests.filter((r) => new URL(r.url).pathname === '/api/v1/audit').map((r) => Object.fromEntries(new URL(r.url).searchParams));

describe('AuditLogPage', () => {
  it('asks the server with the filters from the address bar and lists the events it returns', async () => {
    const { requests } = serve('/audit?org=3&actor_kind=user&actor_id=1&entity=members&action=update&since=2026-11-01T00:00:00.000Z');
    const table = await screen.findByTestId('audit-table');
    expect(await within(table).findByText('12345 热线')).toBeInTheDocument();
    expect(await within(table).findAllByText('罗湾村党支部')).toHaveLength(2);
    expect(auditQueries(requests)[0]).toEqual({ org_id: '3', actor_kind: 'user', actor_id: '1', entity: 'members', action: 'update', since: '2026-11-01T00:00:00.000Z', limit: '20' });
    expect(screen.getByRole('button', { name: /下一页/ })).toBeEnabled();
  });

  it('shows an event’s before and after field by field, masked values as sent', async () => {
    serve();
    fireEvent.click(await screen.findByTestId('audit-detail-12'));
    const changes = await screen.findByTestId('audit-changes');
    const rows = [...changes.querySelectorAll('tbody tr.ant-table-row')].map((row) => row.textContent);
    expect(rows[0]).toContain('phone');
    expect(rows[0]).toContain('138****5678');
    expect(rows[0]).toContain('139****0000');
    expect(rows[0]).toContain('已变更');
    expect(rows[2]).toContain('name');
    expect(rows[2]).not.toContain('已变更');
    expect(screen.getByText('req-1')).toBeInTheDocument();
  });
});
