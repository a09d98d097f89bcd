import { ApartmentOutlined, StarFilled } from '@ant-design/icons';
import { Button, Layout, Menu, Result, type MenuProps } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { UserMenu } from './UserMenu';

const NAV_ITEMS: MenuProps['items'] = [{ key: '/', icon: <ApartmentOutlined />, label: t.nav.orgs }];

/** The signed-in frame: brand and user in the header, navigation on the left, the page on the right. */
export function AppLayout() {
  const { userError, signOut } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();

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
            items={NAV_ITEMS}
            selectedKeys={[pathname]}
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
