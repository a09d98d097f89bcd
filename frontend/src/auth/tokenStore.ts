/** The signed-in session's tokens, persisted in localStorage and observable (for `useSyncExternalStore`). */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'vanguard.tokens';
const listeners = new Set<() => void>();

function read(): Tokens | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'accessToken' in parsed &&
      'refreshToken' in parsed &&
      typeof parsed.accessToken === 'string' &&
      typeof parsed.refreshToken === 'string'
    ) {
      return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
    }
  } catch {
    // A corrupt entry counts as signed out.
  }
  return null;
}

let current = read();

function publish(tokens: Tokens | null): void {
  current = tokens;
  listeners.forEach((listener) => {
    listener();
  });
}

export function getTokens(): Tokens | null {
  return current;
}

export function saveTokens(tokens: Tokens): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  publish(tokens);
}

export function clearTokens(): void {
  localStorage.removeItem(STORAGE_KEY);
  publish(null);
}

export function subscribeTokens(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
