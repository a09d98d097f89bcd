import type { Dayjs } from 'dayjs';
import type {
  ClosureReason,
  ComplaintAssign,
  ComplaintClose,
  ComplaintExtend,
  ComplaintNote,
  ComplaintReason,
  ComplaintResolve,
  ComplaintStart,
} from '../api';
import { todayInChina } from '../lib/dates';
import type { ComplaintAction } from './workflow';

/** What the step dialog's form holds; each action reads its own fields. */
export interface ActionValues {
  note?: string;
  reason?: string;
  org_id?: number | null;
  responsible_user_id?: number | null;
  promise?: string;
  /** A China calendar day. */
  promised_by?: Dayjs | null;
  days?: number | null;
  result?: string;
  closure?: ClosureReason;
  duplicate_of_id?: number | null;
}

export type ActionBody = ComplaintNote | ComplaintReason | ComplaintAssign | ComplaintStart | ComplaintExtend | ComplaintResolve | ComplaintClose;

const blankToNull = (text: string | undefined): string | null => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** The China calendar day an instant falls on (`2026-03-17`). */
export const chinaDay = (iso: string): string => todayInChina(new Date(iso));

/**
 * A promise "by" a China calendar day means by the end of that day (23:59:59 China time), but never
 * after the item's deadline: on the deadline's own day the deadline itself.
 */
export function promisedByInstant(day: string, dueAt: string): string {
  const endOfDay = `${day}T23:59:59+08:00`;
  return new Date(endOfDay).getTime() > new Date(dueAt).getTime() ? dueAt : endOfDay;
}

/** The request body of `action` from the dialog's values. */
export function bodyFor(action: ComplaintAction, values: ActionValues, dueAt: string): ActionBody {
  const note = blankToNull(values.note);
  const reason = values.reason?.trim() ?? '';
  switch (action) {
    case 'accept':
    case 'escalate':
      return { note };
    case 'reject':
    case 'reopen':
      return { reason };
    case 'assign':
      return { org_id: values.org_id ?? 0, responsible_user_id: values.responsible_user_id ?? 0, note };
    case 'start':
      return {
        promise: values.promise?.trim() ?? '',
        promised_by: values.promised_by ? promisedByInstant(values.promised_by.format('YYYY-MM-DD'), dueAt) : '',
        note,
      };
    case 'extend':
      return { days: values.days ?? 0, reason };
    case 'resolve':
      return { result: values.result?.trim() ?? '', note };
    case 'close':
      return {
        reason: values.closure ?? 'fixed',
        duplicate_of_id: values.closure === 'duplicate' ? (values.duplicate_of_id ?? null) : null,
        note,
      };
  }
}
