import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

interface Loaded<T> {
  key: string;
  nonce: number;
  data?: T;
  error?: unknown;
}

export interface Loader<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer for the current key arrives (a reload keeps showing the old data). */
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data for `key` (anything the loader depends on, serialised) and again whenever it changes or
 * `reload` is called; answers for a stale key are dropped.
 */
export function useLoader<T>(load: () => Promise<T>, key: string): Loader<T> {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let current = true;
    loadRef.current().then(
      (data) => {
        if (current) setLoaded({ key, nonce, data });
      },
      (error: unknown) => {
        if (current) setLoaded({ key, nonce, error });
      },
    );
    return () => {
      current = false;
    };
  }, [key, nonce]);

  const reload = useCallback(() => {
    setNonce((n) => n + 1);
  }, []);
  const fresh = loaded?.key === key ? loaded : null;
  return { data: fresh?.data, error: fresh?.error, loading: fresh === null, reload };
}
