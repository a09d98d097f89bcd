import { createContext, useContext } from 'react';
import type { Me } from '../api';

export interface AuthState {
  /** Whether tokens are stored; the user may still be loading. */
  signedIn: boolean;
  /** The signed-in user, once loaded. */
  user: Me | null;
  /** Set when the user could not be loaded for a reason other than an expired session. */
  userError: unknown;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return state;
}
