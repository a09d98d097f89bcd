import type { AttendanceEntry, AttendanceRead, AttendanceStatus } from '../api';
import { fieldErrors } from '../lib/apiError';

export interface Mark {
  status: AttendanceStatus | null;
  reason: string;
}

/** The roll being edited, by member id. */
export type Draft = Record<number, Mark>;

export function draftFrom(rows: AttendanceRead[]): Draft {
  return Object.fromEntries(rows.map((row) => [row.member_id, { status: row.status, reason: row.leave_reason ?? '' }]));
}

/** Everyone marked, in roll order, as one bulk request's entries; a reason goes only with leave. */
export function toEntries(rows: AttendanceRead[], draft: Draft): AttendanceEntry[] {
  return rows.flatMap((row) => {
    const mark = draft[row.member_id];
    if (!mark?.status) return [];
    const entry: AttendanceEntry = { member_id: row.member_id, status: mark.status };
    if (mark.status === 'excused') entry.leave_reason = mark.reason.trim();
    return [entry];
  });
}

/** Members on leave without a reason: the API would refuse the whole roll for them. */
export function missingReasons(draft: Draft): number[] {
  return Object.entries(draft)
    .filter(([, mark]) => mark.status === 'excused' && !mark.reason.trim())
    .map(([memberId]) => Number(memberId));
}

/** The API's 422 names entries by position (`body.entries.3.leave_reason`): put each message on its member's row. */
export function rowErrors(error: unknown, entries: AttendanceEntry[]): Record<number, string[]> {
  const byMember: Record<number, string[]> = {};
  for (const { path, message } of fieldErrors(error)) {
    const [list, index] = path;
    const memberId = list === 'entries' && typeof index === 'number' ? entries[index]?.member_id : undefined;
    if (memberId !== undefined) (byMember[memberId] ??= []).push(message);
  }
  return byMember;
}

export function tally(rows: AttendanceRead[], draft: Draft): Record<AttendanceStatus | 'unrecorded', number> {
  const counts = { present: 0, excused: 0, absent: 0, unrecorded: 0 };
  for (const row of rows) {
    counts[draft[row.member_id]?.status ?? 'unrecorded'] += 1;
  }
  return counts;
}
