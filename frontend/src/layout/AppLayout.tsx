import { AlertOutlined, ApartmentOutlined, ApiOutlined, AuditOutlined, BookOutlined, CloudUploadOutlined, FileSearchOutlined, FlagOutlined, HeartOutlined, HomeOutlined, IdcardOutlined, KeyOutlined, NotificationOutlined, SolutionOutlined, StarFilled, TeamOutlined, TrophyOutlined, UserOutlined, UserSwitchOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, type MenuProps } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import type { Permission } from '../api';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';
import { IMPORT_KINDS } from '../imports/importJob';
import { errorMessage } from '../lib/apiError';
import { UserMenu } from './UserMenu';

interface NavItem {
  key: string;
  icon: React.ReactNode;
  label: string;
  permission?: Permission;
  /** Shown to holders of any of these instead. */
  anyOf?: readonly Permission[];
  /** Shown only to accounts linked to a member record (`/auth/me` has `member_id`). */
  member?: true;
}

const NAV_ITEMS: NavItem[] = [
  { key: '/', icon: <HomeOutlined />, label: t.nav.home },
  { key: '/orgs', icon: <ApartmentOutlined />, label: t.nav.orgs },
  { key: '/members', icon: <TeamOutlined />, label: t.nav.members, permission: 'members:read' },
  { key: '/study', icon: <BookOutlined />, label: t.nav.study, permission: 'members:read' },
  { key: '/study/compliance', icon: <AuditOutlined />, label: t.nav.compliance, permission: 'members:read' },
  { key: '/pairing', icon: <HeartOutlined />, label: t.nav.pairing, permission: 'members:read' },
  { key: '/pairing/tasks', icon: <AlertOutlined />, label: t.nav.pairingTasks, permission: 'members:read' },
  { key: '/publicity', icon: <NotificationOutlined />, label: t.nav.publicity, permission: 'members:read' },
  { key: '/complaints', icon: <SolutionOutlined />, label: t.nav.complaints, permission: 'complaints:read' },
  { key: '/alerts', icon: <WarningOutlined />, label: t.nav.alerts, permission: 'complaints:read' },
  { key: '/alerts/attention', icon: <UserOutlined />, label: t.nav.attention, permission: 'members:read' },
  { key: '/scoring', icon: <TrophyOutlined />, label: t.nav.scoring, permission: 'scoring:read' },
  { key: '/imports', icon: <CloudUploadOutlined />, label: t.nav.imports, anyOf: IMPORT_KINDS.map(({ permission }) => permission) },
  { key: '/webhooks', icon: <ApiOutlined />, label: t.nav.webhooks, permission: 'webhooks:manage' },
  { key: '/my', icon: <IdcardOutlined />, label: t.nav.my, member: true },
  { key: '/petitions/mine', icon: <FlagOutlined />, label: t.nav.petitionsMine, member: true },
  { key: '/petitions', icon: <AuditOutlined />, label: t.nav.petitions, permission: 'petitions:handle' },
  { key: '/users', icon: <UserSwitchOutlined />, label: t.nav.users, permission: 'users:read' },
  { key: '/service-accounts', icon: <KeyOutlined />, label: t.nav.serviceAccounts, permission: 'service_accounts:manage' },
  { key: '/audit', icon: <FileSearchOutlined />, label: t.nav.audit, permission: 'audit:read' },
];

/** The menu entry a path belongs to, the most specific first: `/members/12` is under `/members`. */
function sectionOf(pathname: string): string {
  const sections = NAV_ITEMS.filter(({ key }) => key !== '/' && (pathname === key || pathname.startsWith(`${key}/`)));
  const longest = sections.sort((a, b) => b.key.length - a.key.length)[0];
  return longest?.key ?? pathname;
}

/** The signed-in frame: brand and user in the header, navigation on the left, the page on the right. */
export function AppLayout() {
  const { user, userError, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items: MenuProps['items'] = NAV_ITEMS.filter(
    ({ permission, anyOf, member }) =>
      (!permission || user?.permissions.includes(permission)) &&
      (!anyOf || anyOf.some((one) => user?.permissions.includes(one))) &&
      (!member || typeof user?.member_id === 'number'),
  ).map(
    ({ key, icon, label }) => ({ key, icon, label }),
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <div className="app-brand">
          <StarFilled className="app-brand-mark" />
          {t.app.title}
        </div>
        <UserMenu />
      </Layout.Header>
      <Layout>
        <Layout.Sider theme="light" width={200} breakpoint="lg" collapsedWidth={0} style={{ borderRight: '1px solid #f0f0f0' }}>
          <Menu
            mode="inline"
            items={items}
            selectedKeys={[sectionOf(pathname)]}
            onClick={({ key }) => void navigate(key)}
            style={{ borderInlineEnd: 'none', paddingTop: 8 }}
          />
        </Layout.Sider>
        <Layout.Content className="app-content">
          {userError ? (
            <Result
              status="error"
              title={t.errors.loadUser}
              subTitle={errorMessage(userError)}
              extra={
                <Button type="primary" onClick={signOut}>
                  {t.errors.backToLogin}
                </Button>
              }
            />
          ) : (
            <Outlet />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
