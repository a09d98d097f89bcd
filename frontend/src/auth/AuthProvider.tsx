import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { readMe, type Me } from '../api';
import { AuthContext, type AuthState } from './authContext';
import { signIn, signOut } from './session';
import { getTokens, subscribeTokens } from './tokenStore';

interface Loaded {
  user: Me | null;
  error: unknown;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const signedIn = useSyncExternalStore(subscribeTokens, () => getTokens() !== null);
  const [loaded, setLoaded] = useState<Loaded>({ user: null, error: null });

  useEffect(() => {
    if (!signedIn) {
      return;
    }
    let current = true;
    readMe().then(
      ({ data }) => {
        if (current) setLoaded({ user: data, error: null });
      },
      (error: unknown) => {
        if (current) setLoaded({ user: null, error });
      },
    );
    return () => {
      current = false;
      setLoaded({ user: null, error: null });
    };
  }, [signedIn]);

  const state = useMemo<AuthState>(
    () => ({
      signedIn,
      user: signedIn ? loaded.user : null,
      userError: signedIn ? loaded.error : null,
      signIn,
      signOut,
    }),
    [signedIn, loaded],
  );

  return <AuthContext value={state}>{children}</AuthContext>;
}
