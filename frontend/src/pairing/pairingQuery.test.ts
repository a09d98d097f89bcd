import { cleanGoals, daysBetween, etagOf, followUpOverdue, ledgerFromParams, ledgerToParams, loadOverdueFirst, optionalText, pairsQuery, percent, quarterOf, taskOverdue } from './pairingQuery';

describe('ledger filters', () => {
  it('round-trip through the address bar, leaving defaults out', () => {
    const filters = ledgerFromParams(new URLSearchParams('tab=followUps&org=12&status=ended_early&helper=7&mine=1'));
    expect(filters).toEqual({ tab: 'followUps', org: 12, status: 'ended_early', helper: 7, mine: true });
    expect(ledgerToParams(filters).toString()).toBe('tab=followUps&org=12&status=ended_early&helper=7&mine=1');
    expect(ledgerToParams({ tab: 'pairs' }).toString()).toBe('');
  });

  it('ignore what they do not know', () => {
    expect(ledgerFromParams(new URLSearchParams('tab=nope&org=x&status=paused&helper=-3'))).toEqual({
      tab: 'pairs',
      org: undefined,
      status: undefined,
      helper: undefined,
      mine: undefined,
    });
  });

  it('ask for active pairs unless told otherwise, and for the caller as cadre helper when "mine"', () => {
    expect(pairsQuery({ tab: 'pairs' }, 5)).toEqual({ org_id: undefined, status: 'active', helper_member_id: undefined, helper_user_id: undefined });
    expect(pairsQuery({ tab: 'pairs', status: 'all', mine: true, org: 3, helper: 9 }, 5)).toEqual({ org_id: 3, status: undefined, helper_member_id: 9, helper_user_id: 5 });
    expect(pairsQuery({ tab: 'pairs', status: 'completed' }, undefined).status).toBe('completed');
  });
});

describe('dates and figures', () => {
  it('count days between ISO dates across months', () => {
    expect(daysBetween('2026-11-28', '2026-12-02')).toBe(4);
    expect(daysBetween('2026-12-02', '2026-11-28')).toBe(-4);
  });

  it('flag follow-ups open past their due date, and nothing else', () => {
    const visit = { follow_up: '协助报销', follow_up_due_on: '2026-11-20', follow_up_done_on: null };
    expect(followUpOverdue(visit, '2026-12-01')).toBe(true);
    expect(followUpOverdue(visit, '2026-11-20')).toBe(false);
    expect(followUpOverdue({ ...visit, follow_up_done_on: '2026-11-25' }, '2026-12-01')).toBe(false);
    expect(followUpOverdue({ ...visit, follow_up_due_on: null }, '2026-12-01')).toBe(false);
  });

  it('flag open tasks past due only', () => {
    expect(taskOverdue({ status: 'open', due_on: '2026-11-30' }, '2026-12-01')).toBe(true);
    expect(taskOverdue({ status: 'open', due_on: '2026-12-01' }, '2026-12-01')).toBe(false);
    expect(taskOverdue({ status: 'closed', due_on: '2026-11-01' }, '2026-12-01')).toBe(false);
  });

  it('format shares, quarters and ETags', () => {
    expect(percent('0.8333')).toBe('83%');
    expect(percent(1)).toBe('100%');
    expect(quarterOf({ period_start: '2026-10-01' })).toEqual({ year: 2026, quarter: 4 });
    expect(quarterOf({ period_start: '2026-04-01' })).toEqual({ year: 2026, quarter: 2 });
    expect(etagOf(3)).toBe('"3"');
  });

  it('drop blank goals and blank text', () => {
    expect(cleanGoals([{ tag: 'project', target: ' 发展养殖 ' }, { tag: 'technology', target: '  ' }, { target: '无类别' }])).toEqual([{ tag: 'project', target: '发展养殖' }]);
    expect(optionalText('  ')).toBeNull();
    expect(optionalText(' 说明 ')).toBe('说明');
  });
});

describe('loadOverdueFirst', () => {
  type Call = [boolean, number, string | undefined];
  const lists = (overdue: number[], rest: number[]) => {
    const calls: Call[] = [];
    const fetchPage = (isOverdue: boolean, limit: number, cursor: string | undefined) => {
      calls.push([isOverdue, limit, cursor]);
      const source = isOverdue ? overdue : rest;
      const start = cursor ? source.indexOf(Number(cursor)) + 1 : 0;
      const items = source.slice(start, start + limit);
      const more = start + limit < source.length;
      return Promise.resolve({ items, next_cursor: more ? String(items.at(-1)) : null });
    };
    return { calls, fetchPage };
  };

  it('pages through the overdue list, then fills up from the rest', async () => {
    const { calls, fetchPage } = lists([1, 2, 3], [10, 11, 12, 13]);
    const first = await loadOverdueFirst(fetchPage, 2, undefined);
    expect(first).toEqual({ items: [1, 2], next_cursor: 'o:2' });
    const second = await loadOverdueFirst(fetchPage, 2, first.next_cursor ?? undefined);
    expect(second).toEqual({ items: [3, 10], next_cursor: 're:10' });
    const third = await loadOverdueFirst(fetchPage, 2, second.next_cursor ?? undefined);
    expect(third).toEqual({ items: [11, 12], next_cursor: 're:12' });
    const last = await loadOverdueFirst(fetchPage, 2, third.next_cursor ?? undefined);
    expect(last).toEqual({ items: [13], next_cursor: null });
    expect(calls[0]).toEqual([true, 2, undefined]);
  });

  it('knows whether the rest has anything after a full last overdue page', async () => {
    const { fetchPage } = lists([1, 2], [10]);
    // The overdue list ends exactly at the page: the next page is the rest's first.
    const first = await loadOverdueFirst(fetchPage, 2, undefined);
    expect(first).toEqual({ items: [1, 2], next_cursor: 're:' });
    expect(await loadOverdueFirst(fetchPage, 2, 're:')).toEqual({ items: [10], next_cursor: null });
    const none = lists([1, 2], []);
    expect(await loadOverdueFirst(none.fetchPage, 2, undefined)).toEqual({ items: [1, 2], next_cursor: null });
  });
});
