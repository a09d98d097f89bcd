import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse } from '../test/fixtures';
import { AuthProvider } from './AuthProvider';
import { LoginPage } from './LoginPage';
import { getTokens } from './tokenStore';

const me = { kind: 'user', id: 1, username: 'zhang', display_name: '张书记', role: 'secretary', org_id: 7, permissions: [] };

function renderLogin() {
  render(
    <AntApp>
      <AuthProvider>
        <MemoryRouter initialEntries={[{ pathname: '/login', state: { from: '/orgs?id=7' } }]}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/orgs" element={<p>已进入组织页</p>} />
            <Route path="/public/complaints" element={<p>群众诉求页</p>} />
          </Routes>
        </MemoryRouter>
      </AuthProvider>
    </AntApp>,
  );
}

async function submit(username: string, password: string) {
  const user = userEvent.setup();
  if (username) await user.type(screen.getByLabelText('用户名'), username);
  if (password) await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: /登\s*录/ }));
}

describe('LoginPage', () => {
  it('leads the public to the complaints page, which needs no account', async () => {
    fakeServer({});
    renderLogin();
    await userEvent.setup().click(screen.getByRole('link', { name: /群众诉求反映/ }));
    expect(await screen.findByText('群众诉求页')).toBeInTheDocument();
  });

  it('shows the zh-CN message of the problem the server answers with', async () => {
    fakeServer({
      'POST /api/v1/auth/token': () =>
        jsonResponse(
          {
            type: 'about:blank',
            title: 'Unauthorized',
            status: 401,
            detail: 'Incorrect username or password',
            code: 'invalid_credentials',
            messages: { 'zh-CN': '用户名或密码错误', en: 'Incorrect username or password' },
          },
          401,
          'application/problem+json',
        ),
    });
    renderLogin();
    await submit('zhang', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('用户名或密码错误');
    expect(getTokens()).toBeNull();
  });

  it('asks for the missing fields without calling the server', async () => {
    const { requests } = fakeServer({});
    renderLogin();
    await submit('', '');
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(await screen.findByText('请输入密码')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });

  it('signs in and returns to the page that asked for it', async () => {
    fakeServer({
      'POST /api/v1/auth/token': () =>
        jsonResponse({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 }),
      'GET /api/v1/auth/me': () => jsonResponse(me),
    });
    renderLogin();
    await submit('zhang', 's3cret');
    expect(await screen.findByText('已进入组织页')).toBeInTheDocument();
    expect(getTokens()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });
});
