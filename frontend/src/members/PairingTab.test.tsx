import { screen, within } from '@testing-library/react';
import { beneficiary, pair } from '../pairing/testData';
import { jsonResponse, member } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PairingTab } from './PairingTab';

const page = (items: unknown[]) => jsonResponse({ items, next_cursor: null });

describe('PairingTab', () => {
  it('lists whom the member helps and who helps them, each linking to the pair', async () => {
    // Member 21 helps household 5 (pair 7) and, in hardship, is helped by member 11 (pair 8).
    renderPage(<PairingTab memberId={21} />, {
      path: '/',
      at: '/',
      routes: {
        'GET /api/v1/pairing/pairs': (request) => {
          const query = new URL(request.url).searchParams;
          if (query.get('helper_member_id') === '21') return page([pair({ id: 7, helper_member_id: 21, beneficiary_id: 5, kind: 'member_household' })]);
          if (query.get('beneficiary_id') === '9') return page([pair({ id: 8, helper_member_id: 11, beneficiary_id: 9, status: 'completed' })]);
          return page([]);
        },
        'GET /api/v1/pairing/beneficiaries': (request) =>
          new URL(request.url).searchParams.get('member_id') === '21' ? page([beneficiary({ id: 9, member_id: 21 })]) : page([]),
        'GET /api/v1/pairing/beneficiaries/5': () => jsonResponse(beneficiary({ id: 5, kind: 'household', member_id: null, member_name: null, head_name: '李长顺' })),
        'GET /api/v1/members/11': () => jsonResponse(member({ id: 11, name: '张明' })),
      },
    });
    const table = await screen.findByTestId('member-pairs');
    const helps = (await within(table).findByRole('link', { name: '李长顺' })).closest('tr');
    const helped = (await within(table).findByRole('link', { name: '张明' })).closest('tr');
    if (!helps || !helped) throw new Error('both pairs are rows');
    expect(within(helps).getByRole('link')).toHaveAttribute('href', '/pairing/pairs/7');
    expect(within(helps).getByText('帮扶人')).toBeInTheDocument();
    expect(within(helped).getByRole('link')).toHaveAttribute('href', '/pairing/pairs/8');
    expect(within(helped).getByText('受帮扶')).toBeInTheDocument();
    expect(within(helped).getByText('已完成')).toBeInTheDocument();
  });

  it('says so when the member has no pairs', async () => {
    renderPage(<PairingTab memberId={22} />, {
      path: '/',
      at: '/',
      routes: { 'GET /api/v1/pairing/pairs': () => page([]), 'GET /api/v1/pairing/beneficiaries': () => page([]) },
    });
    expect(await screen.findByText('暂无结对记录')).toBeInTheDocument();
  });
});
