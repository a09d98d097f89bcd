import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FeedbackRead, PublicationRead } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { PublicationsPage } from './PublicationsPage';
import { feedback, problem, publication, view } from './testData';

type Handler = Parameters<typeof renderPage>[1]['routes'][string];

function serve(items: PublicationRead[], routes: Record<string, Handler> = {}, at = '/publicity?org=3') {
  return renderPage(<PublicationsPage />, {
    path: '/publicity',
    at,
    user: me(),
    routes: {
      'GET /api/v1/publications': () => jsonResponse({ items, next_cursor: null }),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      ...routes,
    },
  });
}

/** The element around `inner` matching `selector`. */
function around(inner: HTMLElement, selector: string): HTMLElement {
  const found = inner.closest<HTMLElement>(selector);
  if (!found) throw new Error(`nothing around matches ${selector}`);
  return found;
}

const rowOf = async (text: string) => {
  const table = await screen.findByTestId('publication-table');
  return (await within(table).findByText(text)).closest('tr') as HTMLElement;
};

describe('PublicationsPage', () => {
  it('lists the organisation’s items by kind and state and links to its public page', async () => {
    const { requests } = serve([publication({ id: 5 }), publication({ id: 6, kind: 'dues_report', title: '2026年党费收缴使用情况', state: 'published', feedback_count: 2 })], {}, '/publicity?org=3&kind=dues_report');
    const row = await rowOf('2026年党费收缴使用情况');
    expect(row).toHaveTextContent('党费收缴使用情况');
    expect(row).toHaveTextContent('已发布');
    expect(row).toHaveTextContent('2 条反馈');
    expect(screen.getByRole('link', { name: /公开页面/ })).toHaveAttribute('href', '/public/orgs/3/publications');
    const list = requests.find((r) => new URL(r.url).pathname === '/api/v1/publications');
    expect(Object.fromEntries(new URL(list?.url ?? '').searchParams)).toEqual({ org_id: '3', kind: 'dues_report', limit: '20' });
  });

  it('publishes a draft with If-Match and shows it published', async () => {
    let items = [publication({ id: 5, version: 2 })];
    const { requests } = serve(items, {
      'GET /api/v1/publications': () => jsonResponse({ items, next_cursor: null }),
      'POST /api/v1/publications/5/publish': () => {
        items = [publication({ id: 5, version: 3, state: 'published', published_at: '2026-12-01T01:00:00Z' })];
        return jsonResponse(items[0]);
      },
    });
    const row = await rowOf('关于村集体经济项目的决议');
    expect(row).toHaveTextContent('草稿');
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: /发\s*布/ }));
    const confirm = around(await screen.findByText(/发布后不能再修改/), '.ant-popover');
    await user.click(within(confirm).getByRole('button', { name: /发\s*布/ }));
    await waitFor(async () => {
      expect(await rowOf('关于村集体经济项目的决议')).toHaveTextContent('已发布');
    });
    expect(requests.find((r) => r.url.endsWith('/publish'))?.headers.get('if-match')).toBe('"2"');
  });

  it('says so when the draft changed meanwhile (412) and reloads it', async () => {
    const { requests } = serve([publication({ id: 5, version: 2 })], {
      'POST /api/v1/publications/5/publish': () => problem(412, 'precondition_failed', '记录已被修改'),
    });
    const row = await rowOf('关于村集体经济项目的决议');
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: /发\s*布/ }));
    const confirm = around(await screen.findByText(/发布后不能再修改/), '.ant-popover');
    await user.click(within(confirm).getByRole('button', { name: /发\s*布/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('该事项已被他人修改，已重新加载');
    await waitFor(() => {
      expect(requests.filter((r) => new URL(r.url).pathname === '/api/v1/publications')).toHaveLength(2);
    });
  });

  it('marks unanswered objections, says they block the next step, and answers one with If-Match', async () => {
    const notice = publication({
      id: 5,
      kind: 'candidate_notice',
      title: '发展对象王小明公示',
      state: 'published',
      member_id: 21,
      meeting_on: null,
      feedback_count: 2,
      objections_open: 1,
      view: view({ id: 5, kind: 'candidate_notice', candidate: { name: '王小明', org_name: '罗湾村党支部', stage: 'candidate' } }),
    });
    const comment = feedback({ id: 9, kind: 'comment', text: '建议公示时间再长一些', name: null, contact: null });
    let feedbacks: FeedbackRead[] = [feedback({ id: 8, version: 1 }), comment];
    const { requests } = serve([notice], {
      'GET /api/v1/publications/5/feedback': () => jsonResponse({ items: feedbacks, next_cursor: null }),
      'POST /api/v1/publications/5/feedback/8/answer': () => {
        feedbacks = [feedback({ id: 8, version: 2, answer: '经核实，该同志按时参加组织生活', answered_at: '2026-12-03T02:00:00Z' }), comment];
        return jsonResponse(feedbacks[0]);
      },
    });
    const row = await rowOf('发展对象王小明公示');
    expect(row).toHaveTextContent('1 条异议待答复');
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: '2 条反馈' }));

    const drawer = around(await screen.findByText('反馈意见 · 发展对象王小明公示'), '.ant-drawer');
    expect(await within(drawer).findByRole('alert')).toHaveTextContent('答复前该同志不能进行下一步发展程序');
    const objection = await within(drawer).findByTestId('feedback-8');
    expect(objection).toHaveClass('feedback-open-objection');
    expect(objection).toHaveTextContent('未答复');
    expect(within(drawer).getByTestId('feedback-9')).not.toHaveClass('feedback-open-objection');
    expect(within(drawer).getByTestId('feedback-9')).toHaveTextContent('未署名');
    expect(within(within(drawer).getByTestId('feedback-9')).queryByRole('button', { name: /答\s*复/ })).not.toBeInTheDocument();

    await user.click(within(objection).getByRole('button', { name: /答\s*复/ }));
    const dialog = around(await screen.findByText('答复异议'), '.ant-modal');
    await user.type(within(dialog).getByLabelText('答复'), '经核实，该同志按时参加组织生活');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    await waitFor(() => {
      expect(within(drawer).getByTestId('feedback-8')).not.toHaveClass('feedback-open-objection');
    });
    expect(within(drawer).getByTestId('feedback-8')).toHaveTextContent('答复：经核实，该同志按时参加组织生活');
    const answer = requests.find((r) => r.url.endsWith('/feedback/8/answer'));
    expect(answer?.headers.get('if-match')).toBe('"1"');
    expect(await answer?.json()).toEqual({ answer: '经核实，该同志按时参加组织生活' });
  });
});
