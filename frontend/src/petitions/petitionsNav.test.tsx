import { screen } from '@testing-library/react';
import { AppLayout } from '../layout/AppLayout';
import { me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { handler, memberUser } from './testData';

describe('petitions navigation', () => {
  it('offers a member their own appeals and reports, but not the handling list', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: memberUser, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /我的申诉检举/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /申诉检举办理/ })).not.toBeInTheDocument();
  });

  it('offers the handling list to holders of petitions:handle, and no "mine" without a member record', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: handler, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /申诉检举办理/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /我的申诉检举/ })).not.toBeInTheDocument();
  });

  it('hides both from a secretary without a member record or the permission', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: me(), routes: {} });
    expect(await screen.findByRole('menuitem', { name: /党员管理/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /申诉检举/ })).not.toBeInTheDocument();
  });
});
