import { ApiError } from '../lib/apiError';
import { fetchRootOrgs } from '../orgs/orgApi';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse, org } from '../test/fixtures';
import { signIn } from './session';
import { getTokens, saveTokens } from './tokenStore';

const expired = {
  type: 'about:blank',
  title: 'Authentication required',
  status: 401,
  detail: 'Authentication required',
  code: 'unauthenticated',
  messages: { 'zh-CN': '未登录或登录已过期', en: 'Authentication required' },
};
const unauthorized = () => jsonResponse(expired, 401, 'application/problem+json');
const tokenPair = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'bearer',
  expires_in: 900,
});
const roots = { items: [org({ id: 1, name: '中共示范县委员会' })] };

/** Accepts only `access-${n}` on the org roots route. */
const rootsFor = (n: number) => (request: Request) =>
  request.headers.get('Authorization') === `Bearer access-${n}` ? jsonResponse(roots) : unauthorized();

describe('signIn', () => {
  it('posts the credentials as a form and stores the token pair', async () => {
    const { requests } = fakeServer({ 'POST /api/v1/auth/token': () => jsonResponse(tokenPair(1)) });
    await signIn('zhang', 's3cret');
    const body = new URLSearchParams(await requests.at(0)?.text());
    expect(body.get('username')).toBe('zhang');
    expect(body.get('password')).toBe('s3cret');
    expect(getTokens()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  it('rejects with the problem and stores nothing on bad credentials', async () => {
    const { requests } = fakeServer({ 'POST /api/v1/auth/token': unauthorized });
    const error: unknown = await signIn('zhang', 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem?.code).toBe('unauthenticated');
    expect(getTokens()).toBeNull();
    expect(requests).toHaveLength(1);
  });
});

describe('authenticated requests', () => {
  it('carry the stored access token', async () => {
    saveTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    fakeServer({ 'GET /api/v1/orgs/roots': rootsFor(1) });
    expect(await fetchRootOrgs()).toEqual(roots.items);
  });

  it('refresh an expired access token once and retry', async () => {
    saveTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const { requests } = fakeServer({
      'GET /api/v1/orgs/roots': rootsFor(2),
      'POST /api/v1/auth/refresh': () => jsonResponse(tokenPair(2)),
    });
    expect(await fetchRootOrgs()).toEqual(roots.items);
    expect(getTokens()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    const refresh = requests.find((r) => r.url.endsWith('/auth/refresh'));
    expect(await refresh?.json()).toEqual({ refresh_token: 'refresh-1' });
    expect(refresh?.headers.has('Authorization')).toBe(false);
  });

  it('share one refresh when several expire at once', async () => {
    saveTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const { requests } = fakeServer({
      'GET /api/v1/orgs/roots': rootsFor(2),
      'POST /api/v1/auth/refresh': () => jsonResponse(tokenPair(2)),
    });
    await Promise.all([fetchRootOrgs(), fetchRootOrgs(), fetchRootOrgs()]);
    expect(requests.filter((r) => r.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('end the session when the refresh token is refused too', async () => {
    saveTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    fakeServer({ 'GET /api/v1/orgs/roots': unauthorized, 'POST /api/v1/auth/refresh': unauthorized });
    const error: unknown = await fetchRootOrgs().catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect(getTokens()).toBeNull();
  });

  it('report an unreachable server as a network error', async () => {
    saveTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    fakeServer({
      'GET /api/v1/orgs/roots': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const error: unknown = await fetchRootOrgs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeNull();
  });
});
