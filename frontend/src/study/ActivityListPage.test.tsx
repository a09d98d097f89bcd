import { screen } from '@testing-library/react';
import { activity, jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ActivityListPage } from './ActivityListPage';

function serve(user = me()) {
  return renderPage(<ActivityListPage />, {
    path: '/study',
    at: '/study?org=3&kind=party_lecture&start=2026-01-01',
    user,
    routes: {
      'GET /api/v1/study/activities': () =>
        jsonResponse({ items: [activity({ id: 5, kind: 'party_lecture', topic: '书记讲党课' })], next_cursor: null }),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
    },
  });
}

describe('ActivityListPage', () => {
  it('lists the activities the address bar asks for, each linking to its attendance', async () => {
    const { requests } = serve();
    expect(await screen.findByRole('link', { name: '书记讲党课' })).toHaveAttribute('href', '/study/5');
    expect(await screen.findAllByText('罗湾村党支部')).not.toHaveLength(0);
    const query = requests.map((r) => new URL(r.url)).find((url) => url.pathname === '/api/v1/study/activities')?.searchParams;
    expect(Object.fromEntries(query ?? [])).toEqual({ org_id: '3', kind: 'party_lecture', start: '2026-01-01', limit: '20' });
    expect(screen.getByRole('button', { name: /登记活动/ })).toBeInTheDocument();
  });

  it('offers no way to record activities to a role that may not', async () => {
    serve(me('auditor'));
    await screen.findByRole('link', { name: '书记讲党课' });
    expect(screen.queryByRole('button', { name: /登记活动/ })).not.toBeInTheDocument();
  });
});
