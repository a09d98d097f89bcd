import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { jsonResponse, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PublicationDialog } from './PublicationDialog';
import { problem, publication, view } from './testData';

type Handler = Parameters<typeof renderPage>[1]['routes'][string];

function open(props: Partial<Parameters<typeof PublicationDialog>[0]>, routes: Record<string, Handler> = {}) {
  const onDone = vi.fn();
  const server = renderPage(<PublicationDialog orgId={3} onClose={vi.fn()} onDone={onDone} {...props} />, {
    path: '/publicity',
    at: '/publicity',
    routes: {
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/members': () => jsonResponse({ items: [], next_cursor: null }),
      ...routes,
    },
  });
  return { ...server, onDone };
}

async function chooseKind(label: string) {
  const user = userEvent.setup();
  await user.click(screen.getByRole('combobox', { name: '类型' }));
  await user.click(await screen.findByTitle(label));
  return user;
}

describe('PublicationDialog', () => {
  it('offers only the fields of the chosen kind', async () => {
    open({});
    await screen.findByRole('dialog');
    // A meeting resolution: its meeting date, nothing of the other kinds.
    expect(screen.getByLabelText('会议日期')).toBeInTheDocument();
    expect(screen.queryByLabelText('年度')).not.toBeInTheDocument();
    expect(screen.queryByText('公示对象')).not.toBeInTheDocument();

    await chooseKind('党费收缴使用情况');
    expect(await screen.findByLabelText('年度')).toBeInTheDocument();
    for (const label of ['收缴', '上缴', '使用', '结余']) expect(screen.getByLabelText(label)).toBeInTheDocument();
    expect(screen.queryByLabelText('会议日期')).not.toBeInTheDocument();
    expect(screen.getByText(/只公开合计金额/)).toBeInTheDocument();

    await chooseKind('发展对象/预备党员公示');
    expect(await screen.findByText('公示对象')).toBeInTheDocument();
    expect(screen.queryByLabelText('年度')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('收缴')).not.toBeInTheDocument();
  });

  it('sends a new draft with only its kind’s fields', async () => {
    const { requests, onDone } = open({}, { 'POST /api/v1/publications': () => jsonResponse(publication({ id: 5 }), 201) });
    await screen.findByRole('dialog');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('向社会公开'));
    await user.type(screen.getByLabelText('标题'), '关于村集体经济项目的决议');
    await user.click(screen.getByLabelText('会议日期'));
    await user.type(screen.getByLabelText('会议日期'), '2026-11-28{Enter}');
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => {
      expect(onDone).toHaveBeenCalled();
    });
    const body = (await requests.find((r) => r.method === 'POST')?.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ org_id: 3, kind: 'meeting_resolution', audience: 'public', title: '关于村集体经济项目的决议', meeting_on: '2026-11-28' });
    expect(Object.keys(body).sort()).toEqual(['audience', 'body', 'ends_on', 'kind', 'meeting_on', 'org_id', 'starts_on', 'title']);
  });

  it('shows the API’s field_not_publishable under the field it names, and edits with If-Match', async () => {
    const draft = publication({ id: 5, version: 4 });
    const { requests, onDone } = open(
      { item: draft },
      {
        'PATCH /api/v1/publications/5': () =>
          problem(422, 'field_not_publishable', '该字段不在此类公开事项允许公开的范围内', [
            { field: 'body.meeting_on', message: '字段 meeting_on 不允许公开：只能公开允许的字段' },
          ]),
      },
    );
    await screen.findByRole('dialog');
    expect(screen.getByRole('dialog')).toHaveTextContent('编辑草稿 · 关于村集体经济项目的决议');
    expect(screen.getByLabelText('标题')).toHaveValue('关于村集体经济项目的决议');
    await userEvent.setup().click(screen.getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByText('字段 meeting_on 不允许公开：只能公开允许的字段')).toBeInTheDocument();
    const field = screen.getByText('字段 meeting_on 不允许公开：只能公开允许的字段').closest('.ant-form-item');
    expect(field).toHaveTextContent('会议日期');
    expect(onDone).not.toHaveBeenCalled();
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.headers.get('if-match')).toBe('"4"');
    expect(Object.keys((await patch?.json()) as object)).not.toContain('kind');
  });

  it('shows a saved candidate notice’s member by name, and no field of another kind', async () => {
    const notice = publication({
      id: 6,
      kind: 'candidate_notice',
      title: '发展对象公示',
      meeting_on: null,
      member_id: 21,
      view: view({ id: 6, kind: 'candidate_notice', meeting_on: null, candidate: { name: '王小明', org_name: '罗湾村党支部', stage: 'candidate' } }),
    });
    open({ item: notice });
    await screen.findByRole('dialog');
    expect(await screen.findByTitle('王小明')).toBeInTheDocument();
    expect(screen.queryByLabelText('会议日期')).not.toBeInTheDocument();
    expect(screen.getByText('只有发展对象或预备党员可以公示')).toBeInTheDocument();
  });
});
