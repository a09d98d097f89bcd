import type { ListAuditEventsData } from '../api';

export type ActorKind = 'user' | 'service' | 'system';
export const ACTOR_KINDS: readonly ActorKind[] = ['user', 'service', 'system'];

/** The audit log's filters, as the address bar keeps them (so a filtered view can be linked to). */
export interface AuditFilters {
  org?: number;
  actorKind?: ActorKind;
  actorId?: number;
  entity?: string;
  entityId?: string;
  action?: string;
  /** ISO instants: events at or after `since`, before `until`. */
  since?: string;
  until?: string;
}

/** The text without surrounding blanks; nothing when that leaves nothing. */
export function trimmed(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  return text === '' ? undefined : text;
}
const positive = (value: string | null): number | undefined => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
const instant = (value: string | null): string | undefined => (value && !Number.isNaN(Date.parse(value)) ? value : undefined);

export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const kind = params.get('actor_kind');
  return {
    org: positive(params.get('org')),
    actorKind: ACTOR_KINDS.find((k) => k === kind),
    actorId: positive(params.get('actor_id')),
    entity: trimmed(params.get('entity')),
    entityId: trimmed(params.get('entity_id')),
    action: trimmed(params.get('action')),
    since: instant(params.get('since')),
    until: instant(params.get('until')),
  };
}

export function auditFiltersToParams(filters: AuditFilters): URLSearchParams {
  const entries: [string, string | number | undefined][] = [
    ['org', filters.org],
    ['actor_kind', filters.actorKind],
    ['actor_id', filters.actorId],
    ['entity', trimmed(filters.entity)],
    ['entity_id', trimmed(filters.entityId)],
    ['action', trimmed(filters.action)],
    ['since', filters.since],
    ['until', filters.until],
  ];
  const params = new URLSearchParams();
  for (const [key, value] of entries) if (value !== undefined) params.set(key, String(value));
  return params;
}

type AuditQuery = NonNullable<ListAuditEventsData['query']>;

/** The list's (and the export's) query for these filters, without paging. */
export function auditQuery(filters: AuditFilters): Omit<AuditQuery, 'cursor' | 'limit'> {
  return {
    org_id: filters.org,
    actor_kind: filters.actorKind,
    // An actor id means nothing without its kind: users and service accounts number theirs separately.
    actor_id: filters.actorKind ? filters.actorId : undefined,
    entity: filters.entity,
    entity_id: filters.entityId,
    action: filters.action,
    since: filters.since,
    until: filters.until,
  };
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/**
 * The fields of an event's before/after snapshots side by side, changed ones first. Values are shown as
 * the API sent them: masked data stays masked.
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const fields = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  const rows = fields.map((field) => {
    const was = before ? before[field] : undefined;
    const is = after ? after[field] : undefined;
    // A create has no before and a delete no after: every field they carry is a change.
    const changed = !before || !after || JSON.stringify(was) !== JSON.stringify(is);
    return { field, before: was, after: is, changed };
  });
  return [...rows.filter((row) => row.changed), ...rows.filter((row) => !row.changed)];
}

/** One snapshot value as text: strings as they are, anything else as JSON, nothing as `empty`. */
export function showValue(value: unknown, empty: string): string {
  if (value === undefined || value === null) return empty;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
