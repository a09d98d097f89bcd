import { screen } from '@testing-library/react';
import type { Me } from '../api';
import { me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { AppLayout } from './AppLayout';

const partyMember: Me = { ...me(), role: 'member', permissions: ['orgs:read'] };

describe('AppLayout navigation', () => {
  it('offers members and study to those who may read members', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', routes: {} });
    expect(await screen.findByRole('menuitem', { name: /党员管理/ })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /学习活动/ })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: /三会一课/ })).toBeInTheDocument();
  });

  it('hides them from a role that may not', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', user: partyMember, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /组织架构/ })).toBeInTheDocument();
    await screen.findByText(partyMember.display_name);
    expect(screen.queryByRole('menuitem', { name: /党员管理/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /学习活动/ })).not.toBeInTheDocument();
  });

  it('offers the complaints ledger to those who may read complaints', async () => {
    const handler: Me = { ...me(), permissions: [...me().permissions, 'complaints:read'] };
    renderPage(<AppLayout />, { path: '/', at: '/', user: handler, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /诉求台账/ })).toBeInTheDocument();
  });

  it('hides it from those who may not', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', routes: {} });
    expect(await screen.findByRole('menuitem', { name: /党员管理/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /诉求台账/ })).not.toBeInTheDocument();
  });

  it('offers 风险预警 to a complaint reader, without 需关注党员 when they may not read members', async () => {
    const handler: Me = { ...me(), permissions: ['orgs:read', 'complaints:read'] };
    renderPage(<AppLayout />, { path: '/', at: '/', user: handler, routes: {} });
    expect(await screen.findByRole('menuitem', { name: /风险预警/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /需关注党员/ })).not.toBeInTheDocument();
  });

  it('offers 需关注党员 alone to a member reader without complaints', async () => {
    renderPage(<AppLayout />, { path: '/', at: '/', routes: {} });
    expect(await screen.findByRole('menuitem', { name: /需关注党员/ })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: /风险预警/ })).not.toBeInTheDocument();
  });
});
