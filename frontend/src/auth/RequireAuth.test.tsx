import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse } from '../test/fixtures';
import { useAuth } from './authContext';
import { AuthProvider } from './AuthProvider';
import { RequireAuth } from './RequireAuth';
import { getTokens, saveTokens } from './tokenStore';

const expired = () =>
  jsonResponse(
    { title: 'Authentication required', status: 401, detail: '未登录或登录已过期', code: 'unauthenticated' },
    401,
    'application/problem+json',
  );

function Greeting() {
  const { user } = useAuth();
  return <p>你好，{user?.display_name}</p>;
}

function renderAt(path: string) {
  render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/login" element={<p>登录页</p>} />
          <Route
            path="/"
            element={
              <RequireAuth>
                <Greeting />
              </RequireAuth>
            }
          />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

describe('RequireAuth', () => {
  it('sends a visitor without a session to the login page', () => {
    fakeServer({});
    renderAt('/');
    expect(screen.getByText('登录页')).toBeInTheDocument();
  });

  it('shows the page to a signed-in user', async () => {
    saveTokens({ accessToken: 'a', refreshToken: 'r' });
    fakeServer({
      'GET /api/v1/auth/me': () =>
        jsonResponse({ kind: 'user', id: 1, username: 'li', display_name: '李书记', role: 'secretary', org_id: 3, permissions: [] }),
    });
    renderAt('/');
    expect(await screen.findByText('你好，李书记')).toBeInTheDocument();
  });

  it('sends the user to the login page when the session can no longer be refreshed', async () => {
    saveTokens({ accessToken: 'a', refreshToken: 'r' });
    fakeServer({ 'GET /api/v1/auth/me': expired, 'POST /api/v1/auth/refresh': expired });
    renderAt('/');
    expect(await screen.findByText('登录页')).toBeInTheDocument();
    expect(getTokens()).toBeNull();
  });
});
