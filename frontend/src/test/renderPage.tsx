import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { Me } from '../api';
import { AuthProvider } from '../auth/AuthProvider';
import { saveTokens } from '../auth/tokenStore';
import { fakeServer } from './fakeServer';
import { jsonResponse, me } from './fixtures';

type Handler = Parameters<typeof fakeServer>[0][string];

interface Options {
  /** The route pattern the page is mounted at, e.g. `/members/:memberId`. */
  path: string;
  /** Where the browser is, e.g. `/members/7`. */
  at: string;
  user?: Me;
  routes: Record<string, Handler>;
}

/** Renders a page signed in as `user`, behind a fake API; other paths render their own path as text. */
export function renderPage(page: ReactNode, { path, at, user = me(), routes }: Options) {
  saveTokens({ accessToken: 'a', refreshToken: 'r' });
  const server = fakeServer({ 'GET /api/v1/auth/me': () => jsonResponse(user), ...routes });
  render(
    <AntApp>
      <AuthProvider>
        <MemoryRouter initialEntries={[at]}>
          <Routes>
            <Route path={path} element={page} />
            <Route path="*" element={<Elsewhere />} />
          </Routes>
        </MemoryRouter>
      </AuthProvider>
    </AntApp>,
  );
  return server;
}

function Elsewhere() {
  const { pathname, search } = useLocation();
  return <p data-testid="elsewhere">{pathname + search}</p>;
}
