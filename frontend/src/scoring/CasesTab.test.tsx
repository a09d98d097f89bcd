import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CaseRead } from '../api';
import { jsonResponse, member } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { CasesTab } from './CasesTab';
import { auditor, scheme, secretary } from './testData';

function followUp(overrides: Partial<CaseRead> = {}): CaseRead {
  return {
    id: 5,
    scheme_id: 4,
    member_id: 21,
    org_id: 3,
    status: 'improving',
    talks: [{ held_on: '2026-11-02', by: '罗书记', notes: '指出问题，明确整改要求' }],
    improvement_deadline: '2027-02-01',
    disposal: null,
    decision_note: null,
    decided_on: null,
    closed_on: null,
    version: 3,
    ...overrides,
  };
}

function serve(user = secretary, routes: Parameters<typeof renderPage>[1]['routes'] = {}) {
  return renderPage(<CasesTab scheme={scheme({ status: 'published' })} />, {
    path: '/',
    at: '/',
    user,
    routes: {
      'GET /api/v1/members/21': () => jsonResponse(member({ id: 21, name: '张明' })),
      'GET /api/v1/scoring/cases': () => jsonResponse({ items: [followUp()], next_cursor: null }),
      ...routes,
    },
  });
}

describe('CasesTab', () => {
  it('shows the talks so far and records the decision with the version', async () => {
    const { requests } = serve(secretary, {
      'POST /api/v1/scoring/cases/5/decide': () => jsonResponse(followUp({ status: 'decided', disposal: 'improved', version: 4 })),
    });
    const row = (await screen.findByText('张明')).closest('tr');
    if (!row) throw new Error('the case is a row of the table');
    expect(within(row).getByText(/罗书记：指出问题/)).toBeInTheDocument();
    // An improving case offers another talk or the decision, nothing else.
    expect(within(row).getAllByRole('button').map((b) => b.textContent)).toEqual(['记录谈话', '作出处置']);

    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: '作出处置' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('限期改正后合格'));
    await user.type(within(dialog).getByLabelText('处置说明'), '整改到位，经支部大会评议为合格');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    expect(await screen.findByText('作出处置：已完成')).toBeInTheDocument();
    const decide = requests.find((r) => r.method === 'POST');
    expect(decide?.headers.get('if-match')).toBe('"3"');
    expect(await decide?.json()).toEqual({ disposal: 'improved', note: '整改到位，经支部大会评议为合格', decided_on: null });
  });

  it('says the case changed when the decision comes too late (412)', async () => {
    serve(secretary, {
      'POST /api/v1/scoring/cases/5/decide': () =>
        jsonResponse({ type: 'about:blank', title: 'Precondition Failed', status: 412, code: 'stale', detail: 'stale' }, 412),
    });
    const row = (await screen.findByText('张明')).closest('tr');
    if (!row) throw new Error('the case is a row of the table');
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: '作出处置' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('除名'));
    await user.type(within(dialog).getByLabelText('处置说明'), '经教育仍无转变');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('数据已被他人修改，已重新载入，请核对后重试');
  });

  it('gives a reader no steps to take', async () => {
    serve(auditor);
    const row = (await screen.findByText('张明')).closest('tr');
    if (!row) throw new Error('the case is a row of the table');
    expect(within(row).queryByRole('button')).toBeNull();
  });
});
