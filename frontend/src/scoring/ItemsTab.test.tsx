import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ManualItemRead } from '../api';
import { jsonResponse, member } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ItemsTab } from './ItemsTab';
import { auditor, scheme, secretary } from './testData';

function item(overrides: Partial<ManualItemRead> = {}): ManualItemRead {
  return {
    id: 8,
    scheme_id: 4,
    member_id: 21,
    org_id: 3,
    kind: 'bonus',
    points: '3.00',
    reason: '抗洪抢险表现突出',
    evidence_text: null,
    evidence_attachment_id: null,
    state: 'requested',
    requested_by: 'weiyuan',
    decided_by: null,
    decided_at: null,
    decision_note: null,
    version: 2,
    ...overrides,
  };
}

const names = {
  'GET /api/v1/members/21': () => jsonResponse(member({ id: 21, name: '张明' })),
  'GET /api/v1/members/22': () => jsonResponse(member({ id: 22, name: '车浩' })),
};

describe('ItemsTab', () => {
  it('approves another person’s request with the version and the note, and never offers to decide one’s own', async () => {
    const own = item({ id: 9, member_id: 22, kind: 'deduction', points: '2.00', reason: '无故缺席组织生活', requested_by: 'shuji' });
    const { requests } = renderPage(<ItemsTab scheme={scheme()} />, {
      path: '/',
      at: '/',
      user: secretary,
      routes: {
        ...names,
        'GET /api/v1/scoring/schemes/4/items': () => jsonResponse({ items: [item(), own], next_cursor: null }),
        'POST /api/v1/scoring/items/8/approve': () => jsonResponse(item({ state: 'approved', decided_by: 'shuji', version: 3 })),
      },
    });
    const others = (await screen.findByText('张明')).closest('tr');
    const mine = (await screen.findByText('车浩')).closest('tr');
    if (!others || !mine) throw new Error('both items are rows of the table');
    expect(within(mine).getByText('−2.00')).toBeInTheDocument();
    expect(within(mine).queryByRole('button')).toBeNull();
    expect(within(mine).getByText('不能审批自己提出的申请')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(within(others).getByRole('button', { name: /批\s*准/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('备注'), '材料齐全');
    await user.click(within(dialog).getByRole('button', { name: /批\s*准/ }));

    expect(await screen.findByText('已批准')).toBeInTheDocument();
    const approve = requests.find((r) => r.method === 'POST');
    expect(approve?.url).toMatch(/\/scoring\/items\/8\/approve$/);
    expect(approve?.headers.get('if-match')).toBe('"2"');
    expect(await approve?.json()).toEqual({ note: '材料齐全' });
  });

  it('offers neither a new item nor decisions to a reader', async () => {
    renderPage(<ItemsTab scheme={scheme()} />, {
      path: '/',
      at: '/',
      user: auditor,
      routes: { ...names, 'GET /api/v1/scoring/schemes/4/items': () => jsonResponse({ items: [item()], next_cursor: null }) },
    });
    const row = (await screen.findByText('张明')).closest('tr');
    if (!row) throw new Error('the item is a row of the table');
    expect(within(row).getByText('+3.00')).toBeInTheDocument();
    expect(within(row).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: /申请加减分/ })).toBeNull();
  });
});
