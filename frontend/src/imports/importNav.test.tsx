import { screen } from '@testing-library/react';
import type { Me } from '../api';
import { AppLayout } from '../layout/AppLayout';
import { me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';

describe('the imports entry in the navigation', () => {
  it('is offered to whoever may import some kind', async () => {
    const complaintsDesk: Me = { ...me(), permissions: ['orgs:read', 'complaints:read', 'complaints:write'] };
    renderPage(<AppLayout />, { path: '/', at: '/', user: complaintsDesk, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /批量导入/ })).toBeInTheDocument();
  });

  it('is hidden from a reader', async () => {
    const auditor = me('auditor');
    renderPage(<AppLayout />, { path: '/', at: '/', user: auditor, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /党员管理/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /批量导入/ })).not.toBeInTheDocument();
  });
});
