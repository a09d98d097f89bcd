import { trimmed } from './auditQuery';
import type { ApiTokenRead, Permission, ServiceAccountCreate, ServiceAccountRead, ServiceAccountUpdate } from '../api';

export interface AccountValues {
  name: string;
  description?: string | null;
  org_id: number | null;
  scopes: Permission[];
}

export const ACCOUNT_CODE_FIELDS: Readonly<Record<string, string>> = {
  scope_not_grantable: 'scopes',
  org_not_found: 'org_id',
};

const optional = (value: string | null | undefined): string | null => trimmed(value) ?? null;

export function toAccountCreate(values: AccountValues): ServiceAccountCreate {
  return { name: values.name.trim(), description: optional(values.description), org_id: values.org_id ?? 0, scopes: values.scopes };
}

/** Only what changed (name and organisation are fixed once created). */
export function toAccountUpdate(account: ServiceAccountRead, values: Pick<AccountValues, 'description' | 'scopes'>): ServiceAccountUpdate {
  const body: ServiceAccountUpdate = {};
  const description = optional(values.description);
  if (description !== account.description) body.description = description;
  const sorted = [...values.scopes].sort();
  if (JSON.stringify(sorted) !== JSON.stringify([...account.scopes].sort())) body.scopes = values.scopes;
  return body;
}

export type TokenState = 'revoked' | 'expired' | 'valid';

/** Whether a token still lets its holder in, at `now`. */
export function tokenState(token: Pick<ApiTokenRead, 'revoked_at' | 'expires_at'>, now: Date): TokenState {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && Date.parse(token.expires_at) <= now.getTime()) return 'expired';
  return 'valid';
}
