import { saveTokens } from '../auth/tokenStore';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse, org } from '../test/fixtures';
import { fetchChildOrgs } from './orgApi';

describe('fetchChildOrgs', () => {
  it('follows next_cursor until the last page', async () => {
    saveTokens({ accessToken: 'a', refreshToken: 'r' });
    const pages: Record<string, { items: unknown[]; next_cursor: string | null }> = {
      '': { items: [org({ id: 2, name: '一支部' }), org({ id: 3, name: '二支部' })], next_cursor: 'p2' },
      p2: { items: [org({ id: 4, name: '三支部' })], next_cursor: null },
    };
    const { requests } = fakeServer({
      'GET /api/v1/orgs': (request) => jsonResponse(pages[new URL(request.url).searchParams.get('cursor') ?? '']),
    });

    const children = await fetchChildOrgs(1);

    expect(children.map((child) => child.name)).toEqual(['一支部', '二支部', '三支部']);
    const queries = requests.map((request) => Object.fromEntries(new URL(request.url).searchParams));
    expect(queries).toEqual([
      { parent_id: '1', limit: '200' },
      { parent_id: '1', limit: '200', cursor: 'p2' },
    ]);
  });
});
