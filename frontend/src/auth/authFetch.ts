const BUSY_RETRIES = 2;
const MAX_RETRY_AFTER_MS = 2000;

/**
 * Reads the server answered 503 with Retry-After (the database was momentarily busy and the request
 * changed nothing) are retried after the wait, twice at most; writes show the error instead.
 */
export function retryingBusyReads(
  baseFetch: typeof fetch,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return baseFetch(request);
    }
    for (let attempt = 0; ; attempt += 1) {
      const response = await baseFetch(request.clone());
      const retryAfter = response.headers.get('Retry-After');
      if (response.status !== 503 || retryAfter === null || attempt >= BUSY_RETRIES) {
        return response;
      }
      await sleep(Math.min(Number(retryAfter) * 1000 || 0, MAX_RETRY_AFTER_MS));
    }
  };
}

/**
 * A `fetch` for the API client that survives access-token expiry: when a request that carried a
 * bearer token comes back 401, it refreshes the token once (shared by concurrent callers) and
 * retries the request with the new token. Requests without a token (login, refresh) pass through.
 */
export function createAuthFetch(
  refreshAccessToken: () => Promise<string | null>,
  baseFetch: typeof fetch = retryingBusyReads((input, init) => fetch(input, init)),
): typeof fetch {
  let refreshing: Promise<string | null> | null = null;

  const refreshOnce = (): Promise<string | null> => {
    refreshing ??= refreshAccessToken().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return async (input, init) => {
    const request = new Request(input, init);
    if (!request.headers.has('Authorization')) {
      return baseFetch(request);
    }
    const retry = request.clone();
    const response = await baseFetch(request);
    if (response.status !== 401) {
      return response;
    }
    const accessToken = await refreshOnce();
    if (accessToken === null) {
      return response;
    }
    retry.headers.set('Authorization', `Bearer ${accessToken}`);
    return baseFetch(retry);
  };
}
