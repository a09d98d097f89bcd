import { LockOutlined, StarFilled, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { LOCALE, switchLocale, t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useAuth } from './authContext';

interface Credentials {
  username: string;
  password: string;
}

/** Where to go after signing in: back to the page that sent us here, else home. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    return state.from;
  }
  return '/';
}

export function LoginPage() {
  const { signedIn, signIn } = useAuth();
  const location = useLocation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (signedIn) {
    return <Navigate to={returnPath(location.state)} replace />;
  }

  const submit = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (caught) {
      setError(errorMessage(caught));
      setSubmitting(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-brand">
        <StarFilled style={{ fontSize: 44, color: '#ffd666' }} />
        <h1>{t.app.title}</h1>
        <p>{t.app.tagline}</p>
      </div>
      <Card className="login-card" title={t.login.title}>
        <Form<Credentials> layout="vertical" size="large" requiredMark={false} onFinish={(values) => void submit(values)} disabled={submitting}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Form.Item name="username" label={t.login.username} rules={[{ required: true, whitespace: true, message: t.login.usernameRequired }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t.login.password} rules={[{ required: true, message: t.login.passwordRequired }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            {t.login.submit}
          </Button>
        </Form>
        <p className="login-public">
          <Link to="/public/complaints">{t.login.publicComplaints}</Link>
          {' · '}
          <Button type="link" size="small" title={t.header.languageHint} onClick={() => { switchLocale(LOCALE === 'en' ? 'zh-CN' : 'en'); }}>
            {t.header.language}
          </Button>
        </p>
      </Card>
    </div>
  );
}
