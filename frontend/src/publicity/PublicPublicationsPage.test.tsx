import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse } from '../test/fixtures';
import { PublicPublicationsPage } from './PublicPublicationsPage';
import { problem, view } from './testData';

type Handler = Parameters<typeof fakeServer>[0][string];

/** The public page, signed out, behind a fake API. */
function serve(routes: Record<string, Handler>) {
  const server = fakeServer(routes);
  render(
    <AntApp>
      <MemoryRouter initialEntries={['/public/orgs/3/publications']}>
        <Routes>
          <Route path="/public/orgs/:orgId/publications" element={<PublicPublicationsPage />} />
        </Routes>
      </MemoryRouter>
    </AntApp>,
  );
  return server;
}

const items = [
  view({
    id: 7,
    kind: 'candidate_notice',
    title: '关于王小明同志列为发展对象的公示',
    body: null,
    meeting_on: null,
    starts_on: '2026-12-01',
    ends_on: '2026-12-07',
    candidate: { name: '王小明', org_name: '罗湾村党支部', stage: 'candidate' },
  }),
  view({ id: 6, kind: 'dues_report', title: '2026年党费收缴使用情况', body: null, meeting_on: null, year: 2026, totals: { collected: '1200.00', remitted: '1000.00', spent: '150.00', balance: '50.00' } }),
  view({ id: 5 }),
];

describe('PublicPublicationsPage', () => {
  it('shows each public item as its kind renders it', async () => {
    const { requests } = serve({ 'GET /api/v1/public/orgs/3/publications': () => jsonResponse({ items, next_cursor: null }) });
    const notice = await screen.findByTestId('publication-7');
    expect(notice).toHaveTextContent('发展对象/预备党员公示');
    expect(notice).toHaveTextContent('姓名王小明');
    expect(notice).toHaveTextContent('所在组织罗湾村党支部');
    expect(notice).toHaveTextContent('发展阶段发展对象');
    expect(notice).toHaveTextContent('公示期：2026年12月1日 至 2026年12月7日');
    const dues = screen.getByTestId('publication-6');
    expect(dues).toHaveTextContent('2026 年度');
    expect(dues).toHaveTextContent('收缴¥1200.00');
    expect(dues).toHaveTextContent('结余¥50.00');
    const meeting = screen.getByTestId('publication-5');
    expect(meeting).toHaveTextContent('会议日期：2026年11月28日');
    expect(meeting).toHaveTextContent('经支部党员大会表决通过。');
    expect(screen.getByText('罗湾村党支部 党务公开栏')).toBeInTheDocument();
    expect(requests[0]?.headers.get('Authorization')).toBeNull();
  });

  it('says so when the organisation has nothing public', async () => {
    serve({ 'GET /api/v1/public/orgs/3/publications': () => jsonResponse({ items: [], next_cursor: null }) });
    expect(await screen.findByText('该组织目前没有公开事项')).toBeInTheDocument();
  });

  it('files an objection without an account, and shows the API’s refusal in place', async () => {
    let calls = 0;
    const { requests } = serve({
      'GET /api/v1/public/orgs/3/publications': () => jsonResponse({ items, next_cursor: null }),
      'POST /api/v1/public/publications/7/feedback': () => {
        calls += 1;
        return calls === 1
          ? problem(422, 'validation_error', '请求参数不合法', [{ field: 'body.contact', message: '联系方式格式不正确' }])
          : jsonResponse({ id: 1, publication_id: 7, kind: 'objection', filed_at: '2026-12-02T02:00:00Z' }, 201);
      },
    });
    const notice = await screen.findByTestId('publication-7');
    const user = userEvent.setup();
    await user.click(within(notice).getByRole('button', { name: '提出异议或意见' }));
    await user.type(within(notice).getByLabelText('内容'), '该同志曾有违规经商行为');
    await user.type(within(notice).getByLabelText(/联系方式/), 'abc');
    await user.click(within(notice).getByRole('button', { name: /提\s*交/ }));
    expect(await within(notice).findByText('联系方式格式不正确')).toBeInTheDocument();
    expect(within(notice).getByRole('alert')).toHaveTextContent('请求参数不合法');

    await user.clear(within(notice).getByLabelText(/联系方式/));
    await user.type(within(notice).getByLabelText(/联系方式/), '13812345678');
    await user.click(within(notice).getByRole('button', { name: /提\s*交/ }));
    expect(await within(notice).findByText('已收到您的反馈，感谢监督')).toBeInTheDocument();
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.headers.get('Authorization')).toBeNull();
    await waitFor(async () => {
      expect(await posts[1]?.json()).toEqual({ kind: 'objection', text: '该同志曾有违规经商行为', name: null, contact: '13812345678' });
    });
  });
});
