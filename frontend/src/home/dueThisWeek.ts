import type { ComplaintSummary, DueItem, OrgCompliance, Status, TaskRead } from '../api';
import { todayInChina } from '../lib/dates';

export type DueKind = 'development' | 'pairing' | 'complaint' | 'meeting';

/** One thing a branch has to do soon, and where it is handled. */
export interface DueEntry {
  key: string;
  kind: DueKind;
  /** The member, task event, complaint title or meeting kind the entry is about. */
  subject: string;
  /** What is due, in the list's words. */
  what: string;
  /** The China date it is due by (or allowed from); null for a meeting due in the running period. */
  due: string | null;
  overdue: boolean;
  link: string;
}

/** How far ahead "this week" looks, in days. */
export const WEEK_DAYS = 7;

const DAY_MS = 86_400_000;

/** The China date `days` after the ISO date `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Development steps due or overdue, as `/development/due?within_days=7` lists them. */
export function developmentEntries(items: DueItem[], rules: Record<string, string>): DueEntry[] {
  return items.map((item) => ({
    key: `development-${item.member_id}-${item.rule}`,
    kind: 'development',
    subject: item.member_name,
    what: rules[item.rule] ?? item.rule,
    due: item.due_on,
    overdue: item.overdue,
    link: `/members/${item.member_id}`,
  }));
}

/** Open must-visit tasks due by `until` (overdue ones too). */
export function pairingEntries(tasks: TaskRead[], events: Record<string, string>, memberNames: Record<number, string>, today: string, until: string): DueEntry[] {
  return tasks
    .filter((task) => task.status === 'open' && task.due_on <= until)
    .map((task) => ({
      key: `pairing-${task.id}`,
      kind: 'pairing',
      subject: memberNames[task.member_id] ?? `#${task.member_id}`,
      what: events[task.event] ?? task.event,
      due: task.due_on,
      overdue: task.due_on < today,
      link: `/pairing/tasks?org=${task.org_id}`,
    }));
}

const FINISHED: ReadonlySet<Status> = new Set<Status>(['resolved', 'closed', 'rejected']);

/** Open complaints the branch handles whose deadline (a China date) falls by `until`, overdue ones too. */
export function complaintEntries(items: ComplaintSummary[], statuses: Record<string, string>, today: string, until: string): DueEntry[] {
  return items
    .filter((item) => !FINISHED.has(item.status))
    .map((item) => ({ item, due: todayInChina(new Date(item.due_at)) }))
    .filter(({ due }) => due <= until)
    .map(({ item, due }) => ({
      key: `complaint-${item.id}`,
      kind: 'complaint',
      subject: item.title,
      what: statuses[item.status] ?? item.status,
      due,
      overdue: item.overdue_at !== null || due < today,
      link: `/complaints?item=${item.id}`,
    }));
}

/** 三会一课 kinds the branch has not yet held enough of in the running month or quarter. */
export function meetingEntries(org: OrgCompliance | undefined, kinds: Record<string, string>, shortfall: (held: number, required: number) => string): DueEntry[] {
  if (!org) return [];
  return org.kinds.flatMap((kind) => {
    const running = kind.periods.find((period) => period.status === 'running');
    if (!running || running.held >= kind.required_per_period) return [];
    return [
      {
        key: `meeting-${kind.kind}-${running.period}`,
        kind: 'meeting' as const,
        subject: kinds[kind.kind] ?? kind.kind,
        what: `${running.period} · ${shortfall(running.held, kind.required_per_period)}`,
        due: null,
        overdue: false,
        link: `/study/compliance?org=${org.org_id}`,
      },
    ];
  });
}

/** Overdue first, then by due date (undated last), then as given. */
export function byUrgency(entries: DueEntry[]): DueEntry[] {
  return [...entries].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}
