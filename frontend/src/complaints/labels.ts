import type { ActorKind, EventKind, Status, Urgency } from '../api';
import { t } from '../i18n';

const c = t.complaints;

/** Tag colours along the workflow: waiting in warm colours, settled in cool ones. */
export const STATUS_COLORS: Record<Status, string> = {
  received: 'gold',
  accepted: 'orange',
  assigned: 'blue',
  in_progress: 'processing',
  reopened: 'magenta',
  resolved: 'cyan',
  closed: 'success',
  rejected: 'default',
};

export const URGENCY_COLORS: Record<Urgency, string | undefined> = {
  normal: undefined,
  urgent: 'orange',
  critical: 'red',
};

/** Timeline dot colours: red for what needs attention, green for what settles the item. */
export const EVENT_COLORS: Record<EventKind, string> = {
  received: 'gray',
  accepted: '#1677ff',
  rejected: 'gray',
  assigned: '#1677ff',
  started: '#1677ff',
  extended: 'orange',
  resolved: 'green',
  rated: 'green',
  closed: 'green',
  reopened: 'red',
  escalated: 'red',
  overdue: 'red',
};

/** Who did a step: the staff member's name, or the reporter / the system. */
export function actorLabel(kind: ActorKind, name: string | null): string {
  if (kind === 'public') return c.actors.public;
  if (kind === 'system') return c.actors.system;
  return name ?? t.common.empty;
}
