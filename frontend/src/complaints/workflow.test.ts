import { deadline, isOverdue, isReassignment, offeredActions } from './workflow';

type Item = Parameters<typeof deadline>[0];

const NOW = new Date('2026-03-20T02:00:00Z');

function item(overrides: Partial<Item> = {}): Item {
  return { status: 'received', due_at: '2026-03-25T01:00:00Z', ...overrides };
}

describe('offeredActions', () => {
  it('shows the server’s offers in its order, a waiting close with the moment it opens', () => {
    const offered = offeredActions({
      actions: [
        { action: 'close', available_from: '2026-03-25T02:00:00Z' },
        { action: 'reopen', available_from: null },
      ],
    });
    expect(offered).toEqual([{ action: 'close', waitUntil: new Date('2026-03-25T02:00:00Z') }, { action: 'reopen' }]);
  });

  it('offers nothing the staff cannot click, and nothing at all to a reader', () => {
    expect(offeredActions({ actions: [{ action: 'rate', available_from: null }, { action: 'accept', available_from: null }] })).toEqual([
      { action: 'accept' },
    ]);
    expect(offeredActions({ actions: [] })).toEqual([]);
  });
});

describe('deadline', () => {
  it('counts whole days left, and days overdue rounded up', () => {
    expect(deadline(item({ due_at: '2026-03-25T01:00:00Z' }), NOW)).toEqual({ overdue: false, days: 4 });
    expect(deadline(item({ due_at: '2026-03-20T03:00:00Z' }), NOW)).toEqual({ overdue: false, days: 0 });
    expect(deadline(item({ due_at: '2026-03-20T01:00:00Z' }), NOW)).toEqual({ overdue: true, days: 1 });
    expect(deadline(item({ due_at: '2026-03-17T02:00:00Z' }), NOW)).toEqual({ overdue: true, days: 3 });
  });

  it('runs only while the item is open', () => {
    expect(deadline(item({ status: 'resolved', due_at: '2026-03-01T00:00:00Z' }), NOW)).toBeNull();
    expect(isOverdue(item({ status: 'closed', due_at: '2026-03-01T00:00:00Z' }), NOW)).toBe(false);
    expect(isOverdue(item({ status: 'reopened', due_at: '2026-03-01T00:00:00Z' }), NOW)).toBe(true);
  });
});

describe('helpers', () => {
  it('knows a reassignment', () => {
    expect(isReassignment({ responsible_user_id: null })).toBe(false);
    expect(isReassignment({ responsible_user_id: 4 })).toBe(true);
  });
});
