import type { ComplaintSummary } from '../api';
import { baseQuery, filtersFromParams, filtersToParams, loadBoardPage, pagingOf, type BoardPage, type ListQuery } from './boardQuery';

const row = (id: number): ComplaintSummary => ({
  id,
  channel: 'web',
  category_id: 1,
  org_id: 1,
  responsible_user_id: null,
  urgency: 'normal',
  title: `#${id}`,
  status: 'received',
  received_at: '2026-03-01T00:00:00Z',
  due_at: '2026-03-16T00:00:00Z',
  overdue_at: null,
  escalated_at: null,
  version: 1,
});

/**
 * A fake `GET /complaints` over two keyset lists: `overdue` ids (overdue=true) and `rest` ids
 * (overdue=false), `limit` rows a page with the next row's index as the cursor.
 */
function server(overdue: number[], rest: number[]) {
  const calls: ListQuery[] = [];
  const fetchPage = (query: ListQuery): Promise<BoardPage> => {
    calls.push(query);
    const ids = query.overdue === true ? overdue : query.overdue === false ? rest : [...overdue, ...rest];
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 50;
    const page = ids.slice(start, start + limit);
    return Promise.resolve({ items: page.map(row), next_cursor: start + limit < ids.length ? String(start + limit) : null });
  };
  return { calls, fetchPage };
}

const ids = (page: BoardPage) => page.items.map((item) => item.id);

describe('loadBoardPage, overdue first', () => {
  it('pages through the overdue list, then fills up from the rest and carries on there', async () => {
    const { calls, fetchPage } = server([1, 2, 3, 4, 5], [10, 11, 12, 13, 14]);
    const first = await loadBoardPage(fetchPage, {}, 'all', 3, undefined);
    expect(ids(first)).toEqual([1, 2, 3]);
    expect(first.next_cursor).toBe('o:3');

    const second = await loadBoardPage(fetchPage, {}, 'all', 3, 'o:3');
    expect(ids(second)).toEqual([4, 5, 10]);
    expect(second.next_cursor).toBe('r:1');

    const third = await loadBoardPage(fetchPage, {}, 'all', 3, 'r:1');
    expect(ids(third)).toEqual([11, 12, 13]);
    expect(third.next_cursor).toBe('r:4');

    const last = await loadBoardPage(fetchPage, {}, 'all', 3, 'r:4');
    expect(ids(last)).toEqual([14]);
    expect(last.next_cursor).toBeNull();

    expect(calls.map(({ overdue, limit, cursor }) => [overdue, limit, cursor])).toEqual([
      [true, 3, undefined],
      [true, 3, '3'],
      [false, 1, undefined],
      [false, 3, '1'],
      [false, 3, '4'],
    ]);
  });

  it('after a full last overdue page, offers a next page only when the rest has rows', async () => {
    const some = server([1, 2], [10]);
    const full = await loadBoardPage(some.fetchPage, {}, 'all', 2, undefined);
    expect(ids(full)).toEqual([1, 2]);
    expect(full.next_cursor).toBe('r:');
    const next = await loadBoardPage(some.fetchPage, {}, 'all', 2, 'r:');
    expect(ids(next)).toEqual([10]);
    expect(next.next_cursor).toBeNull();
    expect(some.calls.at(-1)).toEqual({ overdue: false, limit: 2, cursor: undefined });

    const none = server([1, 2], []);
    expect((await loadBoardPage(none.fetchPage, {}, 'all', 2, undefined)).next_cursor).toBeNull();
  });

  it('starts with the rest when nothing is overdue', async () => {
    const { fetchPage } = server([], [10, 11, 12]);
    const page = await loadBoardPage(fetchPage, {}, 'received', 2, undefined);
    expect(ids(page)).toEqual([10, 11]);
    expect(page.next_cursor).toBe('r:2');
  });

  it('keeps the filters on every request', async () => {
    const { calls, fetchPage } = server([1], [2]);
    await loadBoardPage(fetchPage, { status: 'assigned', channel: 'hotline' }, 'assigned', 5, undefined);
    expect(calls).toEqual([
      { status: 'assigned', channel: 'hotline', overdue: true, limit: 5, cursor: undefined },
      { status: 'assigned', channel: 'hotline', overdue: false, limit: 4, cursor: undefined },
    ]);
  });
});

describe('loadBoardPage, other segments', () => {
  it('lists settled states newest first with the plain cursor', async () => {
    const { calls, fetchPage } = server([], []);
    await loadBoardPage(fetchPage, { status: 'closed' }, 'closed', 20, 'abc');
    expect(calls).toEqual([{ status: 'closed', limit: 20, cursor: 'abc' }]);
  });

  it('lists the overdue segment from the overdue list alone', async () => {
    const { calls, fetchPage } = server([1, 2, 3], [9]);
    const page = await loadBoardPage(fetchPage, {}, 'overdue', 2, undefined);
    expect(ids(page)).toEqual([1, 2]);
    expect(page.next_cursor).toBe('2');
    expect(calls).toEqual([{ overdue: true, limit: 2, cursor: undefined }]);
  });

  it('knows how each segment pages', () => {
    expect(pagingOf('all')).toBe('overdue-first');
    expect(pagingOf('in_progress')).toBe('overdue-first');
    expect(pagingOf('overdue')).toBe('overdue-only');
    expect(pagingOf('resolved')).toBe('newest');
    expect(pagingOf('rejected')).toBe('newest');
  });
});

describe('board filters in the address bar', () => {
  it('round-trip, leaving defaults and blanks out', () => {
    const params = filtersToParams({ tab: 'assigned', category: 'roads', channel: 'hotline', urgency: 'urgent', org: 7, q: ' 塌陷 ', mine: true });
    expect(params.toString()).toBe('tab=assigned&category=roads&channel=hotline&urgency=urgent&org=7&q=%E5%A1%8C%E9%99%B7&mine=1');
    expect(filtersFromParams(params)).toEqual({ tab: 'assigned', category: 'roads', channel: 'hotline', urgency: 'urgent', org: 7, q: '塌陷', mine: true });
    expect(filtersToParams({ tab: 'all', q: '  ' }).toString()).toBe('');
  });

  it('falls back to every item for an unknown segment', () => {
    expect(filtersFromParams(new URLSearchParams('tab=nonsense&org=x')).tab).toBe('all');
    expect(filtersFromParams(new URLSearchParams('org=x')).org).toBeUndefined();
  });

  it('turns into the API query, the caller’s own items for “mine”', () => {
    expect(baseQuery({ tab: 'overdue', q: ' 路 ', mine: true }, 42)).toEqual({
      status: undefined,
      category: undefined,
      channel: undefined,
      urgency: undefined,
      org_id: undefined,
      q: '路',
      responsible_user_id: 42,
    });
    expect(baseQuery({ tab: 'resolved', org: 3 }, 42)).toMatchObject({ status: 'resolved', org_id: 3, responsible_user_id: undefined });
  });
});
