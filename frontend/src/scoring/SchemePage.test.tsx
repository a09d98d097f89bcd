import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BallotRead, Me } from '../api';
import { jsonResponse, member, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { SchemePage } from './SchemePage';
import { auditor, job, rankings, result, round, scheme, secretary } from './testData';

const branch = org({ id: 3, name: '罗湾村党支部' });
const roll = [
  member({ id: 21, name: '张明' }),
  member({ id: 22, name: '车浩' }),
  member({ id: 23, name: '廖桂香', stage: 'probationary' }),
  member({ id: 24, name: '积极分子', stage: 'activist' }),
];

/** The last of some elements (the open dropdown is the last in the page), or fail. */
function last<T>(items: (T | null)[]): T {
  const item = items.at(-1);
  if (item === undefined || item === null) throw new Error('not found');
  return item;
}

interface Options {
  at: string;
  user?: Me;
  routes?: Parameters<typeof renderPage>[1]['routes'];
}

function serve({ at, user = secretary, routes = {} }: Options) {
  let current = scheme();
  return renderPage(<SchemePage />, {
    path: '/scoring/schemes/:schemeId',
    at,
    user,
    routes: {
      'GET /api/v1/scoring/schemes/4': () => jsonResponse(current),
      'POST /api/v1/scoring/schemes/4/publish': () => {
        current = scheme({ status: 'published', version: 2, published_at: '2026-12-01T08:00:00Z', published_by: 'shuji', computed_at: '2026-12-01T07:00:00Z' });
        return jsonResponse(current);
      },
      'GET /api/v1/orgs/3': () => jsonResponse(branch),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [branch] }),
      ...routes,
    },
  });
}

describe('SchemePage evaluation rounds', () => {
  it('records a fellow member’s ballot (listed without its rater) and closes the round after a confirm', async () => {
    const ballots: BallotRead[] = [];
    let current = round();
    const { requests } = serve({
      at: '/scoring/schemes/4?tab=rounds',
      routes: {
        'GET /api/v1/scoring/schemes/4/rounds': () => jsonResponse({ items: [current], next_cursor: null }),
        'GET /api/v1/scoring/rounds/6': () => jsonResponse(current),
        'GET /api/v1/members': () => jsonResponse({ items: roll, next_cursor: null }),
        'GET /api/v1/scoring/rounds/6/ballots': () => jsonResponse({ items: ballots, next_cursor: null }),
        'POST /api/v1/scoring/rounds/6/ballots': () => {
          const ballot: BallotRead = { id: 1, round_id: 6, member_id: 21, rater_group: 'fellow', grade: 'excellent', score: null, comment: null, created_at: '2026-12-01T02:00:00Z' };
          ballots.push(ballot);
          current = round({ ballots: 1 });
          return jsonResponse(ballot, 201);
        },
        'POST /api/v1/scoring/rounds/6/close': () => {
          current = round({ status: 'closed', ballots: 1, closed_at: '2026-12-01T03:00:00Z', version: 2 });
          return jsonResponse(current);
        },
      },
    });
    const user = userEvent.setup();
    const panel = await screen.findByTestId('round-panel');
    expect(await within(panel).findByText(/名册 3 人/)).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: /录入评议票/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('combobox', { name: '被评议党员' }));
    await user.click(await screen.findByTitle('张明'));
    await user.click(within(dialog).getByRole('radio', { name: '党员互评' }));
    expect(within(dialog).getByText(/互评匿名/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('combobox', { name: '评议人（党员）' }));
    await user.click(last(await screen.findAllByTitle('车浩')));
    await user.click(within(dialog).getByRole('radio', { name: '优秀' }));
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    const table = screen.getByTestId('ballot-table');
    expect(await within(table).findByText('党员互评')).toBeInTheDocument();
    expect(within(table).getByText('张明')).toBeInTheDocument();
    expect(within(table).getByText('优秀')).toBeInTheDocument();
    expect(within(table).queryByText('车浩')).not.toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST' && r.url.endsWith('/ballots'));
    expect(await post?.json()).toEqual({ member_id: 21, rater_group: 'fellow', rater_member_id: 22, grade: 'excellent', comment: null });

    await user.click(within(screen.getByTestId('round-panel')).getByRole('button', { name: /结束评议/ }));
    // The ballot dialog, closing, still hides the page from the accessibility tree: find the confirm by its text.
    const confirm = last([(await screen.findByText(/结束后不能再录入/)).closest<HTMLElement>('.ant-modal')]);
    await user.click(within(confirm).getByRole('button', { name: /结束评议/, hidden: true }));
    expect(await within(screen.getByTestId('round-table')).findByText('已结束')).toBeInTheDocument();
    const close = requests.find((r) => r.url.endsWith('/close'));
    expect(close?.headers.get('if-match')).toBe('"1"');
  });
});

describe('SchemePage results', () => {
  it('recomputes as a job, following its progress, then ranks with grade tags (probationary not graded)', async () => {
    let computed = false;
    let polls = 0;
    serve({
      at: '/scoring/schemes/4?tab=results',
      routes: {
        'GET /api/v1/scoring/schemes/4/rankings': () => jsonResponse({ items: computed ? rankings : [], next_cursor: null }),
        'POST /api/v1/scoring/schemes/4/recompute': () => jsonResponse(job(), 202),
        'GET /api/v1/jobs/11': () => {
          polls += 1;
          if (polls === 1) return jsonResponse(job({ state: 'running', total: 61, done: 30, progress: 30 / 61, eta_seconds: 2 }));
          computed = true;
          return jsonResponse(job({ state: 'succeeded', total: 61, done: 61, progress: 1, result: { scheme_id: 4, members: 61 } }));
        },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByText('暂无结果，请先计算')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /重新计算/ }));
    const progress = await screen.findByTestId('recompute-progress');
    expect(await within(progress).findByText('30 / 61 人 · 预计还需 2 秒')).toBeInTheDocument();
    expect(await within(progress).findByText('计算完成')).toBeInTheDocument();
    expect(await screen.findByText('已计算 61 名党员的得分')).toBeInTheDocument();

    const table = screen.getByTestId('ranking-table');
    await waitFor(() => {
      expect(within(table).getAllByTestId('grade-tag').map((tag) => tag.textContent)).toEqual(['优秀', '合格', '预备党员（不评定等次）']);
    });
  });

  it('explains a member’s score: each rule with its facts and the lines adding up to the score', async () => {
    serve({
      at: '/scoring/schemes/4?tab=results&member=21',
      routes: {
        'GET /api/v1/scoring/schemes/4/rankings': () => jsonResponse({ items: rankings, next_cursor: null }),
        'GET /api/v1/scoring/results/21': () => jsonResponse(result()),
      },
    });
    const explanation = await screen.findByTestId('explanation');
    expect(within(explanation).getByText('学习学时')).toBeInTheDocument();
    expect(within(explanation).getByText('整个周期：48 × 0.5 = 24，封顶为 20；计 20 分（封顶 20）')).toBeInTheDocument();
    expect(within(explanation).getByText('上级党组织评议')).toBeInTheDocument();
    expect(within(explanation).getByTestId('explanation-total')).toHaveTextContent('62.38');
    expect(within(explanation).getByTestId('explanation-check')).toHaveTextContent('各项合计 62.38，等于综合得分 62.38');
  });

  it('says so when the lines do not add up to the score', async () => {
    serve({
      at: '/scoring/schemes/4?tab=results&member=21',
      routes: {
        'GET /api/v1/scoring/schemes/4/rankings': () => jsonResponse({ items: rankings, next_cursor: null }),
        'GET /api/v1/scoring/results/21': () => jsonResponse(result({ score: '70.00' })),
      },
    });
    expect(await screen.findByTestId('explanation-check')).toHaveTextContent('与综合得分 70.00 不一致');
  });
});

describe('SchemePage publishing', () => {
  it('publishes after a confirm, with If-Match, and shows the scheme locked', async () => {
    const { requests } = serve({ at: '/scoring/schemes/4' });
    const user = userEvent.setup();
    expect(await screen.findByRole('button', { name: /修改规则与权重/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /发布结果/ }));
    const confirm = await screen.findByRole('dialog', { name: '确认发布结果？' });
    expect(confirm).toHaveTextContent('将锁定');
    await user.click(within(confirm).getByRole('button', { name: /发布结果/ }));
    expect(await screen.findByTestId('scheme-status')).toHaveTextContent('已发布');
    await waitFor(() => {
      expect(screen.queryByTestId('publish-scheme')).not.toBeInTheDocument();
    });
    expect(screen.queryByRole('button', { name: /修改规则与权重/ })).not.toBeInTheDocument();
    expect(requests.find((r) => r.url.endsWith('/publish'))?.headers.get('if-match')).toBe('"1"');
  });

  it('shows readers the rules and weights without any action', async () => {
    serve({ at: '/scoring/schemes/4', user: auditor });
    const view = await screen.findByTestId('rules-view');
    expect(within(view).getByText('学习学时')).toBeInTheDocument();
    expect(within(view).getByText('群众评议 0.3')).toBeInTheDocument();
    expect(screen.queryByTestId('publish-scheme')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /修改规则与权重/ })).not.toBeInTheDocument();
  });
});
