import type { Channel, ComplaintSummary, ListComplaintsData, Status, Urgency } from '../api';
import { OPEN_STATUSES } from './workflow';

/** The board's segments: every item, the overdue list, or one state. */
export type BoardTab = 'all' | 'overdue' | Status;

export const BOARD_TABS: BoardTab[] = [
  'all',
  'overdue',
  'received',
  'accepted',
  'assigned',
  'in_progress',
  'reopened',
  'resolved',
  'closed',
  'rejected',
];

/** The board's filters, as kept in the address bar (so a reload or Back restores them). */
export interface BoardFilters {
  tab: BoardTab;
  category?: string;
  channel?: Channel;
  urgency?: Urgency;
  org?: number;
  q?: string;
  /** Only the items the caller is responsible for. */
  mine?: boolean;
}

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) ? parsed : undefined;
};

const nonBlank = (text: string | undefined): string | undefined => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
};

export function filtersFromParams(params: URLSearchParams): BoardFilters {
  const tab = params.get('tab') as BoardTab | null;
  const text = (name: string) => params.get(name) ?? undefined;
  return {
    tab: tab && BOARD_TABS.includes(tab) ? tab : 'all',
    category: text('category'),
    channel: text('channel') as Channel | undefined,
    urgency: text('urgency') as Urgency | undefined,
    org: num(params.get('org')),
    q: text('q'),
    mine: params.get('mine') === '1' || undefined,
  };
}

export function filtersToParams(filters: BoardFilters): URLSearchParams {
  const entries: [string, string | number | undefined][] = [
    ['tab', filters.tab === 'all' ? undefined : filters.tab],
    ['category', filters.category],
    ['channel', filters.channel],
    ['urgency', filters.urgency],
    ['org', filters.org],
    ['q', nonBlank(filters.q)],
    ['mine', filters.mine ? '1' : undefined],
  ];
  const params = new URLSearchParams();
  for (const [name, value] of entries) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params;
}

export type ListQuery = NonNullable<ListComplaintsData['query']>;

/** The `GET /complaints` filters shared by every request of a board page (no paging, no overdue). */
export function baseQuery(filters: BoardFilters, userId: number | undefined): ListQuery {
  const status = filters.tab === 'all' || filters.tab === 'overdue' ? undefined : filters.tab;
  return {
    status,
    category: filters.category,
    channel: filters.channel,
    urgency: filters.urgency,
    org_id: filters.org,
    q: nonBlank(filters.q),
    responsible_user_id: filters.mine ? userId : undefined,
  };
}

/**
 * How a segment is paged: open items run overdue-first (the overdue list, most overdue first, then
 * the rest newest first); the overdue segment is the overdue list alone; settled states are newest first.
 */
export function pagingOf(tab: BoardTab): 'overdue-first' | 'overdue-only' | 'newest' {
  if (tab === 'overdue') return 'overdue-only';
  if (tab === 'all' || OPEN_STATUSES.includes(tab)) return 'overdue-first';
  return 'newest';
}

export interface BoardPage {
  items: ComplaintSummary[];
  next_cursor: string | null;
}

type FetchPage = (query: ListQuery) => Promise<BoardPage>;

const OVERDUE = 'o:';
const REST = 'r:';

/**
 * One page of the board. Overdue-first segments chain two keyset lists behind one cursor: `o:<c>`
 * continues the overdue list, `r:<c>` the rest (`r:` is its first page). A page that finishes the
 * overdue list is filled up from the rest, so every page but the last is full.
 */
export async function loadBoardPage(fetchPage: FetchPage, base: ListQuery, tab: BoardTab, limit: number, cursor: string | undefined): Promise<BoardPage> {
  const paging = pagingOf(tab);
  if (paging === 'newest') {
    return fetchPage({ ...base, limit, cursor });
  }
  if (paging === 'overdue-only') {
    return fetchPage({ ...base, overdue: true, limit, cursor });
  }
  const rest = async (restCursor: string | undefined, size: number) => fetchPage({ ...base, overdue: false, limit: size, cursor: restCursor });
  if (cursor?.startsWith(REST)) {
    const page = await rest(cursor.slice(REST.length) || undefined, limit);
    return { items: page.items, next_cursor: page.next_cursor ? REST + page.next_cursor : null };
  }
  const overdueCursor = cursor?.startsWith(OVERDUE) ? cursor.slice(OVERDUE.length) : undefined;
  const overdue = await fetchPage({ ...base, overdue: true, limit, cursor: overdueCursor });
  if (overdue.next_cursor) {
    return { items: overdue.items, next_cursor: OVERDUE + overdue.next_cursor };
  }
  const room = limit - overdue.items.length;
  // A full last overdue page still asks for one more row, to know whether a next page exists.
  const first = await rest(undefined, Math.max(room, 1));
  if (room === 0) {
    return { items: overdue.items, next_cursor: first.items.length > 0 ? REST : null };
  }
  return { items: [...overdue.items, ...first.items], next_cursor: first.next_cursor ? REST + first.next_cursor : null };
}
