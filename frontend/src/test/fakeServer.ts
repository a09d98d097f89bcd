import { vi } from 'vitest';

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Replaces the global `fetch` (the app's only way out) with routes keyed by `METHOD /path`, and
 * records every request that reached it.
 */
export function fakeServer(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const handler = routes[route];
    if (!handler) {
      throw new Error(`Unexpected request: ${route}`);
    }
    return handler(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests };
}
