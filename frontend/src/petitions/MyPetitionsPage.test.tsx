import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PetitionRead, ResultRead } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { MyPetitionsPage } from './MyPetitionsPage';
import { memberUser, petition, problem, withEtag } from './testData';

const result: Partial<ResultRead> = { id: 57, scheme_id: 4, member_id: 11, grade: 'basic', probationary: false, published: true };

function serve(options: { items?: PetitionRead[]; file?: (request: Request) => Response | Promise<Response>; user?: typeof memberUser } = {}) {
  let current = petition({ id: 21, title: '对支部工作的建议', state: 'answered', answer: '已责成支部整改，下月起按时召开。', answered_at: '2026-12-05T01:00:00Z', version: 3 });
  const items = options.items ?? [current];
  return renderPage(<MyPetitionsPage />, {
    path: '/petitions/mine',
    at: '/petitions/mine',
    user: options.user ?? memberUser,
    routes: {
      'GET /api/v1/petitions/mine': () => jsonResponse({ items, next_cursor: null }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部', parent_id: 1 })),
      'GET /api/v1/orgs/1': () => jsonResponse(org({ id: 1, name: '中共青山县委员会' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/scoring/results/11': () => jsonResponse(result),
      'POST /api/v1/petitions': options.file ?? ((request) => request.json().then((body: Partial<PetitionRead>) => jsonResponse(petition({ id: 30, title: body.title ?? '', ...body }), 201))),
      'GET /api/v1/petitions/21': () => withEtag(current),
      'POST /api/v1/petitions/21/close': () => {
        current = { ...current, state: 'closed', closed_at: '2026-12-06T01:00:00Z', version: 4 };
        return withEtag(current);
      },
    },
  });
}

const posts = (requests: Request[]) => requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/v1/petitions');

async function openFiling() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: /提出申诉、检举或建议/ }));
  const dialog = await screen.findByRole('dialog');
  return { user, dialog };
}

describe('MyPetitionsPage', () => {
  it('lists the member’s own petitions with their state, and shows the answer', async () => {
    serve();
    const table = await screen.findByTestId('my-petitions');
    const row = (await within(table).findByRole('button', { name: '对支部工作的建议' })).closest('tr');
    expect(row).toHaveTextContent('批评建议');
    expect(row).toHaveTextContent('已答复');
    expect(await within(table).findByText('罗湾村党支部')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(within(table).getByRole('button', { name: '对支部工作的建议' }));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByTestId('petition-answer')).toHaveTextContent('已责成支部整改，下月起按时召开。');
    // The filer does not see their own name as "filed by", and may only close.
    expect(within(drawer).queryByText('提出人')).not.toBeInTheDocument();
    expect(within(within(drawer).getByTestId('petition-actions')).getAllByRole('button').map((b) => b.textContent.replace(/\s/g, ''))).toEqual(['办结']);
  });

  it('closes an answered petition under its ETag', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '对支部工作的建议' }));
    const drawer = await screen.findByRole('dialog');
    await user.click(await within(drawer).findByRole('button', { name: /^办\s*结$/ }));
    const dialog = await vi.waitFor(() => {
      const found = screen.getAllByRole('dialog').find((d) => d.textContent.includes('办结 · #21'));
      if (!found) throw new Error('no close dialog');
      return found;
    });
    await user.click(within(dialog).getByRole('button', { name: /^办\s*结$/ }));
    expect(await within(drawer).findByText('已办结', { selector: '[data-testid="petition-state"]' })).toBeInTheDocument();
    const close = requests.find((r) => r.method === 'POST');
    expect(new URL(close?.url ?? 'http://x').pathname).toBe('/api/v1/petitions/21/close');
    expect(close?.headers.get('If-Match')).toBe('"3"');
  });

  it('files a criticism of an organisation, saying who handles it and that reports stay confidential', async () => {
    const { requests } = serve({ items: [] });
    expect(await screen.findByText('您还没有提出过申诉、检举、控告或批评建议')).toBeInTheDocument();
    const { user, dialog } = await openFiling();
    expect(within(dialog).getByTestId('petition-confidential')).toHaveTextContent('由所涉组织的上一级党组织受理办理');
    expect(within(dialog).getByTestId('petition-confidential')).toHaveTextContent('被检举人看不到检举内容，也看不到是谁提出的');

    await user.click(within(dialog).getByRole('combobox', { name: '涉及组织' }));
    await user.click(await screen.findByTitle('罗湾村党支部'));
    await user.type(within(dialog).getByLabelText('标题'), '对支部工作的建议');
    await user.type(within(dialog).getByLabelText('内容'), '三会一课流于形式');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    await vi.waitFor(() => {
      expect(posts(requests)).toHaveLength(1);
    });
    expect(await posts(requests)[0]?.json()).toEqual({ kind: 'criticism', title: '对支部工作的建议', content: '三会一课流于形式', concerned_org_id: 3 });
    await vi.waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
  });

  it('files a report about a member by record number', async () => {
    const { requests } = serve({ items: [] });
    const { user, dialog } = await openFiling();
    await user.click(within(dialog).getByText('检举/控告'));
    await user.type(await within(dialog).findByLabelText('被检举党员'), '15');
    await user.type(within(dialog).getByLabelText('标题'), '检举违规发放补贴');
    await user.type(within(dialog).getByLabelText('内容'), '村里违规发放补贴');
    await user.type(within(dialog).getByLabelText('联系电话'), '13800001111');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(posts(requests)).toHaveLength(1);
    });
    expect(await posts(requests)[0]?.json()).toEqual({
      kind: 'report',
      title: '检举违规发放补贴',
      content: '村里违规发放补贴',
      contact_phone: '13800001111',
      concerned_member_id: 15,
    });
  });

  it('files an appeal of a decision and shows the API’s refusal under the decision', async () => {
    const { requests } = serve({ items: [], file: () => problem(403, 'not_the_subject', '只能对涉及本人的决定提出申诉') });
    const { user, dialog } = await openFiling();
    await user.click(within(dialog).getByText('申诉'));
    expect(await within(dialog).findByTestId('my-grade')).toHaveTextContent('第 4 号方案，等次「基本合格」');
    await user.type(within(dialog).getByLabelText('决定编号'), '42');
    await user.type(within(dialog).getByLabelText('标题'), '对评议等次的申诉');
    await user.type(within(dialog).getByLabelText('内容'), '评议时本人不在场');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    expect(await within(dialog).findByText('只能对涉及本人的决定提出申诉')).toBeInTheDocument();
    expect(await posts(requests)[0]?.json()).toEqual({ kind: 'appeal', title: '对评议等次的申诉', content: '评议时本人不在场', subject_kind: 'evaluation_result', subject_id: 42 });
    // The dialog stays open for a correction.
    expect(within(dialog).getByLabelText('决定编号')).toBeInTheDocument();
  });

  it('names the member’s own published grade as the decision appealed', async () => {
    const { requests } = serve({ items: [] });
    const { user, dialog } = await openFiling();
    await user.click(within(dialog).getByText('申诉'));
    await user.click(await within(dialog).findByRole('button', { name: '申诉此结果（编号 #57）' }));
    await user.type(within(dialog).getByLabelText('标题'), '对评议等次的申诉');
    await user.type(within(dialog).getByLabelText('内容'), '评议时本人不在场');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    await waitFor(() => { expect(posts(requests)).toHaveLength(1); });
    expect(await posts(requests)[0]?.json()).toMatchObject({ kind: 'appeal', subject_kind: 'evaluation_result', subject_id: 57 });
  });

  it('tells an account without a member record that it cannot file', async () => {
    serve({ user: me() });
    expect(await screen.findByText('您的账号尚未关联党员档案，不能提出申诉检举，请联系支部书记。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /提出申诉、检举或建议/ })).not.toBeInTheDocument();
  });
});
