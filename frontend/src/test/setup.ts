import '@testing-library/jest-dom/vitest';
import { configureApiClient } from '../auth/session';
import { clearTokens } from '../auth/tokenStore';

// Node's Request needs absolute URLs; a browser resolves the default '' against the page.
configureApiClient(window.location.origin);

// jsdom has no matchMedia; antd's responsive components ask it about breakpoints.
Object.defineProperty(window, 'matchMedia', {
  value: (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) satisfies Partial<MediaQueryList>,
});

afterEach(() => {
  clearTokens();
  vi.unstubAllGlobals();
});
