import { screen } from '@testing-library/react';
import type { Me } from '../api';
import { me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { AppLayout } from './AppLayout';

describe('AppLayout: webhooks and a member’s own page', () => {
  it('offers 我的 to an account linked to a member record, and no webhooks', async () => {
    const member: Me = { ...me(), role: 'member', member_id: 11, permissions: ['orgs:read'] };
    renderPage(<AppLayout />, { path: '/', at: '/', user: member, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /我的$/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /事件订阅/ })).not.toBeInTheDocument();
  });

  it('offers webhooks to their managers, and no 我的 without a member record', async () => {
    const manager: Me = { ...me(), permissions: [...me().permissions, 'webhooks:manage'] };
    renderPage(<AppLayout />, { path: '/', at: '/', user: manager, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /事件订阅/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /我的$/ })).not.toBeInTheDocument();
  });
});
