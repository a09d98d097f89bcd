import type { Permission } from '../api';
import { useAuth } from './authContext';

/**
 * Whether the signed-in caller holds `permission` (from `/auth/me`). The UI hides what this denies;
 * the API refuses it regardless.
 */
export function useCan(permission: Permission): boolean {
  const { user } = useAuth();
  return user?.permissions.includes(permission) ?? false;
}
