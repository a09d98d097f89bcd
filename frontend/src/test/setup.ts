import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';
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

// jsdom has no ResizeObserver either; antd's tables and selects observe their size.
if (!('ResizeObserver' in window)) {
  Object.defineProperty(window, 'ResizeObserver', {
    value: class {
      observe(): void {
        // jsdom lays nothing out: there is never a size to report.
      }
      unobserve(): void {
        // Nothing was observed.
      }
      disconnect(): void {
        // Nothing was observed.
      }
    },
  });
}

// Rendering whole antd pages takes a while on a busy machine: wait longer for things to appear.
configure({ asyncUtilTimeout: 5000 });
