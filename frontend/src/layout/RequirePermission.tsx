import { Result, Spin } from 'antd';
import { Outlet } from 'react-router';
import type { Permission } from '../api';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';

/** Shows the nested pages only to callers holding `permission`; others get a 403 page (the API would refuse them too). */
export function RequirePermission({ permission }: { permission: Permission }) {
  const { user } = useAuth();
  if (!user) {
    return <Spin style={{ display: 'block', marginTop: 96 }} />;
  }
  if (!user.permissions.includes(permission)) {
    return <Result status="403" title={t.errors.forbidden} />;
  }
  return <Outlet />;
}
