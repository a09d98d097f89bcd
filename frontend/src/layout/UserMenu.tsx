import { GlobalOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Spin, Tag } from 'antd';
import { useAuth } from '../auth/authContext';
import { LOCALE, switchLocale, t } from '../i18n';

/** The signed-in user's name and role, and the way out. */
export function UserMenu() {
  const { user, signOut } = useAuth();
  return (
    <div className="app-user">
      {user ? (
        <>
          <Avatar size="small" icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,0.25)' }} />
          <span data-testid="current-user">{user.display_name}</span>
          {user.role && (
            <Tag variant="outlined" style={{ color: '#fff', borderColor: 'rgba(255,255,255,0.6)', background: 'transparent', marginInlineEnd: 0 }}>
              {t.header.roles[user.role]}
            </Tag>
          )}
        </>
      ) : (
        <Spin size="small" />
      )}
      <Button
        type="text"
        icon={<GlobalOutlined />}
        title={t.header.languageHint}
        aria-label={t.header.languageHint}
        onClick={() => { switchLocale(LOCALE === 'en' ? 'zh-CN' : 'en'); }}
        style={{ color: '#fff' }}
      >
        {t.header.language}
      </Button>
      <Button type="text" icon={<LogoutOutlined />} onClick={signOut} style={{ color: '#fff' }}>
        {t.header.logout}
      </Button>
    </div>
  );
}
