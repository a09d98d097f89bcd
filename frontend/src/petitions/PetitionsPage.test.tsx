import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PetitionRead } from '../api';
import { jsonResponse, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PetitionsPage } from './PetitionsPage';
import { FUTURE, handler, PAST, petition, problem, withEtag } from './testData';

const late = petition({ id: 5, title: '检举村干部违规发放补贴', kind: 'report', concerned_member_id: 15, accept_due_at: PAST, overdue: true });
const accepted = petition({ id: 7, title: '对支部工作的建议', state: 'accepted', accepted_at: '2026-12-02T01:00:00Z', answer_due_at: FUTURE, version: 2, contact_phone: '13800001111' });

function serve(answer?: () => Response) {
  let current = accepted;
  return renderPage(<PetitionsPage />, {
    path: '/petitions',
    at: '/petitions',
    user: handler,
    routes: {
      'GET /api/v1/petitions': () => jsonResponse({ items: [late, current], next_cursor: null }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部', parent_id: 1 })),
      'GET /api/v1/orgs/1': () => jsonResponse(org({ id: 1, name: '中共青山县委员会' })),
      'GET /api/v1/petitions/7': () => withEtag(current),
      'GET /api/v1/petitions/5': () => withEtag(late),
      'GET /api/v1/members/15': () => jsonResponse(member({ id: 15, name: '李四' })),
      'POST /api/v1/petitions/5/reject': () => withEtag({ ...late, state: 'rejected', rejection_reason: '不属于受理范围', version: 2, overdue: false }),
      'POST /api/v1/petitions/7/answer':
        answer ??
        ((request: Request) =>
          request.json().then((body: { answer: string }) => {
            current = { ...current, state: 'answered', answer: body.answer, answered_at: '2026-12-06T01:00:00Z', version: 3 } satisfies PetitionRead;
            return withEtag(current);
          })),
    },
  });
}

const listQueries = (requests: Request[]) =>
  requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/v1/petitions').map((r) => Object.fromEntries(new URL(r.url).searchParams));

async function answerDialog(text: string) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: '对支部工作的建议' }));
  const drawer = await screen.findByRole('dialog');
  await user.click(await within(drawer).findByRole('button', { name: '书面答复' }));
  const dialog = await vi.waitFor(() => {
    const found = screen.getAllByRole('dialog').find((d) => d.textContent.includes('书面答复 · #7'));
    if (!found) throw new Error('no answer dialog');
    return found;
  });
  await user.type(within(dialog).getByLabelText('书面答复'), text);
  await user.click(within(dialog).getByRole('button', { name: '书面答复' }));
  return { drawer, dialog };
}

describe('PetitionsPage', () => {
  it('marks the overdue petitions and shows who filed each', async () => {
    serve();
    const table = await screen.findByTestId('petition-table');
    const lateRow = (await within(table).findByRole('button', { name: '检举村干部违规发放补贴' })).closest('tr');
    const onTimeRow = within(table).getByRole('button', { name: '对支部工作的建议' }).closest('tr');
    expect(lateRow).toHaveClass('row-overdue');
    expect(lateRow).toHaveTextContent('已超期');
    expect(lateRow).toHaveTextContent(/超期 \d+ 天/);
    expect(lateRow).toHaveTextContent('待受理');
    expect(onTimeRow).not.toHaveClass('row-overdue');
    expect(onTimeRow).not.toHaveTextContent('已超期');
    expect(onTimeRow).toHaveTextContent('已受理');
    expect(onTimeRow).toHaveTextContent('张三');
  });

  it('asks the server for the chosen state, kind and deadline', async () => {
    const { requests } = serve();
    await screen.findByRole('button', { name: '对支部工作的建议' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: '状态' }));
    await user.click(await screen.findByTitle('待受理'));
    await user.click(screen.getByRole('combobox', { name: '类别' }));
    await user.click(await screen.findByTitle('检举/控告'));
    await user.click(screen.getByRole('combobox', { name: '期限' }));
    await user.click(await screen.findByTitle('仅看超期'));
    await vi.waitFor(() => {
      expect(listQueries(requests).at(-1)).toEqual({ state: 'filed', kind: 'report', overdue: 'true', limit: '20' });
    });
    expect(listQueries(requests)[0]).toEqual({ limit: '20' });
  });

  it('answers an accepted petition in writing under its ETag', async () => {
    const { requests } = serve();
    const { drawer } = await answerDialog('已责成支部整改，下月起按时召开。');
    expect(await within(drawer).findByText('已答复', { selector: '[data-testid="petition-state"]' })).toBeInTheDocument();
    expect(within(drawer).getByTestId('petition-answer')).toHaveTextContent('已责成支部整改，下月起按时召开。');
    const post = requests.find((r) => r.method === 'POST');
    expect(new URL(post?.url ?? 'http://x').pathname).toBe('/api/v1/petitions/7/answer');
    expect(post?.headers.get('If-Match')).toBe('"2"');
    expect(await post?.json()).toEqual({ answer: '已责成支部整改，下月起按时召开。' });
    // The drawer shows the filer and their contact to the handler.
    expect(within(drawer).getByText('13800001111')).toBeInTheDocument();
  });

  it('says the petition changed meanwhile on a 412, in the dialog', async () => {
    serve(() => problem(412, 'precondition_failed', '记录已被修改，请刷新后重试'));
    const { dialog } = await answerDialog('答复');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('该件已被他人更新，已重新载入，请核对后再操作');
  });

  it('shows a step refused as out of order in the dialog', async () => {
    serve(() => problem(409, 'invalid_transition', '申诉检举当前状态为「已办结」，不能答复'));
    const { dialog } = await answerDialog('答复');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('申诉检举当前状态为「已办结」，不能答复');
  });

  it('rejects a filed report with a reason, naming the member reported', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '检举村干部违规发放补贴' }));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('李四（#15）')).toBeInTheDocument();
    const actions = await within(drawer).findByTestId('petition-actions');
    expect(within(actions).getAllByRole('button').map((b) => b.textContent.replace(/\s/g, ''))).toEqual(['受理', '不予受理']);
    await user.click(within(actions).getByRole('button', { name: '不予受理' }));
    const dialog = await vi.waitFor(() => {
      const found = screen.getAllByRole('dialog').find((d) => d.textContent.includes('不予受理 · #5'));
      if (!found) throw new Error('no reject dialog');
      return found;
    });
    await user.type(within(dialog).getByLabelText('不予受理理由'), '不属于受理范围');
    await user.click(within(dialog).getByRole('button', { name: '不予受理' }));
    await vi.waitFor(() => {
      expect(requests.some((r) => r.method === 'POST')).toBe(true);
    });
    const post = requests.find((r) => r.method === 'POST');
    expect(new URL(post?.url ?? 'http://x').pathname).toBe('/api/v1/petitions/5/reject');
    expect(post?.headers.get('If-Match')).toBe('"1"');
    expect(await post?.json()).toEqual({ reason: '不属于受理范围' });
  });
});
