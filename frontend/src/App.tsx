import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/AuthProvider';
import { LoginPage } from './auth/LoginPage';
import { RequireAuth } from './auth/RequireAuth';
import { antdLocale } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { RequirePermission } from './layout/RequirePermission';
import { theme } from './theme';

// Every page is its own chunk, loaded when first visited: the first load carries only the frame and login.
const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    HydrateFallback: () => <Spin style={{ display: 'block', marginTop: 96 }} />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('./home/HomePage')).HomePage }) },
      { path: 'orgs', lazy: async () => ({ Component: (await import('./orgs/OrgTreePage')).OrgTreePage }) },
      {
        element: <RequirePermission permission="members:read" />,
        children: [
          { path: 'members', lazy: async () => ({ Component: (await import('./members/MemberListPage')).MemberListPage }) },
          {
            path: 'members/:memberId',
            lazy: async () => ({ Component: (await import('./members/MemberDetailPage')).MemberDetailPage }),
          },
          { path: 'study', lazy: async () => ({ Component: (await import('./study/ActivityListPage')).ActivityListPage }) },
          {
            path: 'study/compliance',
            lazy: async () => ({ Component: (await import('./study/CompliancePage')).CompliancePage }),
          },
          {
            path: 'study/:activityId',
            lazy: async () => ({ Component: (await import('./study/ActivityPage')).ActivityPage }),
          },
          { path: 'pairing', lazy: async () => ({ Component: (await import('./pairing/PairingLedgerPage')).PairingLedgerPage }) },
          {
            path: 'pairing/pairs/:pairId',
            lazy: async () => ({ Component: (await import('./pairing/PairDetailPage')).PairDetailPage }),
          },
          { path: 'pairing/tasks', lazy: async () => ({ Component: (await import('./pairing/TaskListPage')).TaskListPage }) },
          { path: 'publicity', lazy: async () => ({ Component: (await import('./publicity/PublicationsPage')).PublicationsPage }) },
        ],
      },
      // The page offers only the kinds the caller may import, and a 403 page when there are none.
      { path: 'imports', lazy: async () => ({ Component: (await import('./imports/ImportPage')).ImportPage }) },
      {
        element: <RequirePermission permission="complaints:read" />,
        children: [
          {
            path: 'complaints',
            lazy: async () => ({ Component: (await import('./complaints/ComplaintBoardPage')).ComplaintBoardPage }),
          },
          { path: 'alerts', lazy: async () => ({ Component: (await import('./alerts/AlertsPage')).AlertsPage }) },
        ],
      },
      {
        element: <RequirePermission permission="members:read" />,
        children: [
          {
            path: 'alerts/attention',
            lazy: async () => ({ Component: (await import('./alerts/AttentionPage')).AttentionPage }),
          },
        ],
      },
      {
        element: <RequirePermission permission="scoring:read" />,
        children: [
          { path: 'scoring', lazy: async () => ({ Component: (await import('./scoring/SchemeListPage')).SchemeListPage }) },
          {
            path: 'scoring/schemes/:schemeId',
            lazy: async () => ({ Component: (await import('./scoring/SchemePage')).SchemePage }),
          },
        ],
      },
      {
        element: <RequirePermission permission="petitions:handle" />,
        children: [{ path: 'petitions', lazy: async () => ({ Component: (await import('./petitions/PetitionsPage')).PetitionsPage }) }],
      },
      // A member's own appeals and reports; the page itself says so when the account has no member record.
      { path: 'petitions/mine', lazy: async () => ({ Component: (await import('./petitions/MyPetitionsPage')).MyPetitionsPage }) },
      {
        element: <RequirePermission permission="webhooks:manage" />,
        children: [{ path: 'webhooks', lazy: async () => ({ Component: (await import('./webhooks/WebhooksPage')).WebhooksPage }) }],
      },
      {
        element: <RequirePermission permission="audit:read" />,
        children: [{ path: 'audit', lazy: async () => ({ Component: (await import('./admin/AuditLogPage')).AuditLogPage }) }],
      },
      {
        element: <RequirePermission permission="users:read" />,
        children: [{ path: 'users', lazy: async () => ({ Component: (await import('./admin/UsersPage')).UsersPage }) }],
      },
      {
        element: <RequirePermission permission="service_accounts:manage" />,
        children: [
          {
            path: 'service-accounts',
            lazy: async () => ({ Component: (await import('./admin/ServiceAccountsPage')).ServiceAccountsPage }),
          },
        ],
      },
      // A member's own page; the page itself says so when the account has no member record.
      { path: 'my', lazy: async () => ({ Component: (await import('./my/MyPage')).MyPage }) },
    ],
  },
  // The masses rate a branch's members on the sheet a one-time token opens, without an account.
  {
    path: '/public/scoring/sheets/:token',
    lazy: async () => ({ Component: (await import('./public/BallotSheetPage')).BallotSheetPage }),
    HydrateFallback: () => <Spin style={{ display: 'block', marginTop: 96 }} />,
  },
  // The masses file, track and rate their requests here without an account.
  {
    path: '/public/complaints',
    lazy: async () => ({ Component: (await import('./public/PublicComplaintsPage')).PublicComplaintsPage }),
    HydrateFallback: () => <Spin style={{ display: 'block', marginTop: 96 }} />,
  },
  // The masses read an organisation's 党务公开 and file objections or comments, without an account.
  {
    path: '/public/orgs/:orgId/publications',
    lazy: async () => ({ Component: (await import('./publicity/PublicPublicationsPage')).PublicPublicationsPage }),
    HydrateFallback: () => <Spin style={{ display: 'block', marginTop: 96 }} />,
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);

export function App() {
  return (
    <ConfigProvider locale={antdLocale} theme={theme}>
      <AntApp>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
