import type { ComplaintRead, Status } from '../api';

/** The staff steps of the workflow, one `POST /complaints/{id}/<action>` each. */
export type ComplaintAction = 'accept' | 'reject' | 'assign' | 'start' | 'extend' | 'resolve' | 'close' | 'reopen' | 'escalate';

/** States in which the deadline still runs against the handling org (`models.OPEN_STATUSES`). */
export const OPEN_STATUSES: readonly Status[] = ['received', 'accepted', 'assigned', 'in_progress', 'reopened'];

const DAY_MS = 86_400_000;

export function isOpen(status: Status): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Still open and past its deadline (what the API calls `overdue`). */
export function isOverdue(item: Pick<ComplaintRead, 'status' | 'due_at'>, now: Date): boolean {
  return isOpen(item.status) && new Date(item.due_at).getTime() < now.getTime();
}

/**
 * Whole days to the deadline (`overdue: false`) or past it (`overdue: true`). Only open items have a
 * running deadline; others give null.
 */
export function deadline(item: Pick<ComplaintRead, 'status' | 'due_at'>, now: Date): { overdue: boolean; days: number } | null {
  if (!isOpen(item.status)) return null;
  const diff = new Date(item.due_at).getTime() - now.getTime();
  return diff < 0 ? { overdue: true, days: Math.ceil(-diff / DAY_MS) } : { overdue: false, days: Math.floor(diff / DAY_MS) };
}

export interface OfferedAction {
  action: ComplaintAction;
  /** Shown but not yet possible; `waitUntil` says from when (closing before the rating or the silence period). */
  waitUntil?: Date;
}

const STAFF_ACTIONS: readonly string[] = ['accept', 'reject', 'assign', 'start', 'extend', 'resolve', 'close', 'reopen', 'escalate'];

function isStaffAction(action: string): action is ComplaintAction {
  return STAFF_ACTIONS.includes(action);
}

/**
 * The steps the server offers the caller on this item now (`ComplaintRead.actions`, usual next first,
 * none without complaints:write) — the API owns the workflow's rules; the dashboard only shows them.
 */
export function offeredActions(item: Pick<ComplaintRead, 'actions'>): OfferedAction[] {
  return item.actions.flatMap(({ action, available_from }) =>
    isStaffAction(action) ? [available_from ? { action, waitUntil: new Date(available_from) } : { action }] : [],
  );
}

/** Assigning an item that already has a responsible person is a reassignment (改派). */
export function isReassignment(item: Pick<ComplaintRead, 'responsible_user_id'>): boolean {
  return item.responsible_user_id !== null;
}
