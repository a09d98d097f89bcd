import { loginForToken, refreshToken } from '../api';
import { client } from '../api/client.gen';
import { LOCALE } from '../i18n';
import { toApiError } from '../lib/apiError';
import { createAuthFetch } from './authFetch';
import { clearTokens, getTokens, saveTokens } from './tokenStore';

/**
 * Exchanges the stored refresh token for a new token pair. On failure the session is over: the
 * tokens are cleared, which sends the app back to the login page.
 */
export async function refreshAccessToken(): Promise<string | null> {
  const tokens = getTokens();
  if (!tokens) {
    return null;
  }
  try {
    const { data } = await refreshToken({ body: { refresh_token: tokens.refreshToken } });
    saveTokens({ accessToken: data.access_token, refreshToken: data.refresh_token });
    return data.access_token;
  } catch {
    clearTokens();
    return null;
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  const { data } = await loginForToken({ body: { username, password } });
  saveTokens({ accessToken: data.access_token, refreshToken: data.refresh_token });
}

export function signOut(): void {
  clearTokens();
}

/**
 * Points the generated client at the API (this origin by default) and gives it the session's
 * credentials.
 */
export function configureApiClient(baseUrl = ''): void {
  client.setConfig({
    baseUrl,
    headers: { 'Accept-Language': LOCALE }, // the API's error messages in the UI's language
    auth: () => getTokens()?.accessToken,
    fetch: createAuthFetch(refreshAccessToken),
  });
  client.interceptors.error.use((error, response) => toApiError(error, response));
}
