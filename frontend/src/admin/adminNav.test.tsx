import { screen } from '@testing-library/react';
import { AppLayout } from '../layout/AppLayout';
import { me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { orgAdmin } from './testData';

describe('AppLayout: administration entries', () => {
  it('offers users, service accounts and the audit log to those who hold their permissions', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: orgAdmin(), routes: {} });
    expect(await screen.findByRole('menuitem', { name: /用户管理/ })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /服务账号/ })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /审计日志/ })).toBeInTheDocument();
  });

  it('offers a secretary users only: no service accounts, no audit log', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: me(), routes: {} });
    expect(await screen.findByRole('menuitem', { name: /用户管理/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /服务账号/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /审计日志/ })).not.toBeInTheDocument();
  });
});
