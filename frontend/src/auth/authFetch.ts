/**
 * A `fetch` for the API client that survives access-token expiry: when a request that carried a
 * bearer token comes back 401, it refreshes the token once (shared by concurrent callers) and
 * retries the request with the new token. Requests without a token (login, refresh) pass through.
 */
export function createAuthFetch(
  refreshAccessToken: () => Promise<string | null>,
  baseFetch: typeof fetch = (input, init) => fetch(input, init),
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
