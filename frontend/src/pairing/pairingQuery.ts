import type { CoverageRead, ListPairsData, PairStatus, TaskRead, VisitRead } from '../api';

/** The ledger's segments: the pairs, the beneficiaries registered, or the follow-ups past due. */
export type LedgerTab = 'pairs' | 'beneficiaries' | 'followUps';
export const LEDGER_TABS: LedgerTab[] = ['pairs', 'beneficiaries', 'followUps'];
const PAIR_STATUSES: PairStatus[] = ['active', 'completed', 'ended_early'];

/** The ledger's filters, as kept in the address bar (a filtered ledger is a link). */
export interface LedgerFilters {
  tab: LedgerTab;
  org?: number;
  /** Pairs in this state; undefined: every state. The ledger opens on the active ones. */
  status?: PairStatus | 'all';
  helper?: number;
  mine?: boolean;
}

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
};

export function ledgerFromParams(params: URLSearchParams): LedgerFilters {
  const tab = params.get('tab') as LedgerTab | null;
  const status = params.get('status');
  return {
    tab: tab && LEDGER_TABS.includes(tab) ? tab : 'pairs',
    org: num(params.get('org')),
    status: status === 'all' ? 'all' : PAIR_STATUSES.find((s) => s === status),
    helper: num(params.get('helper')),
    mine: params.get('mine') === '1' || undefined,
  };
}

export function ledgerToParams(filters: LedgerFilters): URLSearchParams {
  const entries: [string, string | number | undefined][] = [
    ['tab', filters.tab === 'pairs' ? undefined : filters.tab],
    ['org', filters.org],
    ['status', filters.status],
    ['helper', filters.helper],
    ['mine', filters.mine ? '1' : undefined],
  ];
  const params = new URLSearchParams();
  for (const [name, value] of entries) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params;
}

export type PairsQuery = NonNullable<ListPairsData['query']>;

/** `GET /pairing/pairs` for the filters: active pairs unless another state (or all) is chosen. */
export function pairsQuery(filters: LedgerFilters, userId: number | undefined): PairsQuery {
  return {
    org_id: filters.org,
    status: filters.status === 'all' ? undefined : (filters.status ?? 'active'),
    helper_member_id: filters.helper,
    helper_user_id: filters.mine ? userId : undefined,
  };
}

/** The ETag the API gives a record: its version, quoted. */
export const etagOf = (version: number): string => `"${String(version)}"`;

/** Whole days from `from` to `to` (ISO dates; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A visit's follow-up that is still open after its due date. */
export function followUpOverdue(visit: Pick<VisitRead, 'follow_up' | 'follow_up_due_on' | 'follow_up_done_on'>, today: string): boolean {
  return Boolean(visit.follow_up && visit.follow_up_due_on && !visit.follow_up_done_on && visit.follow_up_due_on < today);
}

/** A must-visit task neither visited nor closed whose visit was due before today. */
export function taskOverdue(task: Pick<TaskRead, 'status' | 'due_on'>, today: string): boolean {
  return task.status === 'open' && task.due_on < today;
}

/** A share `0.8333` as a percentage `83%`. */
export function percent(share: string | number): string {
  return `${String(Math.round(Number(share) * 100))}%`;
}

/** The year and quarter of a coverage period (`2026-10-01` → 2026, 4). */
export function quarterOf(coverage: Pick<CoverageRead, 'period_start'>): { year: number; quarter: number } {
  const [year, month] = coverage.period_start.split('-').map(Number);
  return { year: year ?? 0, quarter: Math.floor(((month ?? 1) - 1) / 3) + 1 };
}

/** A money amount in yuan (the API sends decimals as strings), without trailing zeros. */
export function yuan(value: string | number | null | undefined): string {
  const amount = Number(value ?? 0);
  return `¥${amount.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}`;
}

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const OVERDUE = 'o:';
const REST = 're:';

/**
 * One page of a list whose overdue items come first: two keyset lists (`overdue=true`, then
 * `overdue=false`) behind one cursor — `o:<c>` continues the overdue list, `re:<c>` the rest (`re:`
 * alone is its first page). A page that finishes the overdue list is filled up from the rest.
 */
export async function loadOverdueFirst<T>(
  fetchPage: (overdue: boolean, limit: number, cursor: string | undefined) => Promise<Page<T>>,
  limit: number,
  cursor: string | undefined,
): Promise<Page<T>> {
  if (cursor?.startsWith(REST)) {
    const page = await fetchPage(false, limit, cursor.slice(REST.length) || undefined);
    return { items: page.items, next_cursor: page.next_cursor ? REST + page.next_cursor : null };
  }
  const overdueCursor = cursor?.startsWith(OVERDUE) ? cursor.slice(OVERDUE.length) : undefined;
  const overdue = await fetchPage(true, limit, overdueCursor);
  if (overdue.next_cursor) {
    return { items: overdue.items, next_cursor: OVERDUE + overdue.next_cursor };
  }
  const room = limit - overdue.items.length;
  // A full last overdue page still asks for one row of the rest, to know whether a next page exists.
  const first = await fetchPage(false, Math.max(room, 1), undefined);
  if (room === 0) {
    return { items: overdue.items, next_cursor: first.items.length > 0 ? REST : null };
  }
  return { items: [...overdue.items, ...first.items], next_cursor: first.next_cursor ? REST + first.next_cursor : null };
}

/** Goals as the form keeps them: rows with a tag and a target; blank rows are dropped. */
export function cleanGoals<T extends string>(goals: { tag?: T; target?: string }[] | undefined): { tag: T; target: string }[] {
  return (goals ?? []).flatMap(({ tag, target }) => (tag && target?.trim() ? [{ tag, target: target.trim() }] : []));
}

/** An optional text field: trimmed, and null when blank. */
export const optionalText = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};
