import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { Open311Service, PublicComplaintView } from '../api';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse } from '../test/fixtures';
import { PublicComplaintsPage } from './PublicComplaintsPage';

type Handler = Parameters<typeof fakeServer>[0][string];

const services: Open311Service[] = [
  { service_code: 'infrastructure', service_name: '基础设施', description: 'Infrastructure', metadata: false, type: 'realtime', keywords: null, group: '基础设施' },
  { service_code: 'roads', service_name: '道路交通', description: 'Roads', metadata: false, type: 'realtime', keywords: null, group: '基础设施' },
];

const resolved: PublicComplaintView = {
  tracking_code: 'K7QMX2RP9TWA',
  status: 'resolved',
  category: '道路交通',
  received_at: '2026-03-01T01:00:00Z',
  due_at: '2026-04-30T01:00:00Z',
  closure_reason: null,
  rated: false,
  steps: [
    { kind: 'received', status: 'received', at: '2026-03-01T01:00:00Z', note: '已登记（web）' },
    { kind: 'started', status: 'in_progress', at: '2026-03-02T01:00:00Z', note: '承诺：三日内回填（2026-03-05前）' },
    { kind: 'resolved', status: 'resolved', at: '2026-03-04T01:00:00Z', note: '已回填硬化' },
  ],
};

const problem = (status: number, code: string, zh: string, headers: Record<string, string> = {}) => {
  const response = jsonResponse({ type: 'about:blank', title: 'Error', status, detail: zh, code, messages: { 'zh-CN': zh, en: zh } }, status, 'application/problem+json');
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

/** The public page, signed out, behind a fake API. */
function serve(at: string, routes: Record<string, Handler>) {
  const server = fakeServer({ 'GET /open311/v2/services.json': () => jsonResponse(services), ...routes });
  render(
    <AntApp>
      <MemoryRouter initialEntries={[at]}>
        <Routes>
          <Route path="/public/complaints" element={<PublicComplaintsPage />} />
        </Routes>
      </MemoryRouter>
    </AntApp>,
  );
  return server;
}

async function fillAndSubmit() {
  const user = userEvent.setup();
  await user.click(screen.getByRole('combobox', { name: '诉求分类' }));
  await user.click(await screen.findByTitle('道路交通'));
  await user.type(screen.getByLabelText('标题'), '村口道路塌陷');
  await user.type(screen.getByLabelText('具体内容'), '村口主路塌陷一米见方');
  await user.type(screen.getByLabelText(/^手机号/), '13812345678');
  await user.click(screen.getByRole('button', { name: '提交诉求' }));
  return user;
}

describe('PublicComplaintsPage', () => {
  it('files a request without an account and shows its tracking code', async () => {
    const { requests } = serve('/public/complaints', {
      'POST /api/v1/public/complaints': () =>
        jsonResponse({ tracking_code: 'K7QMX2RP9TWA', status: 'received', received_at: '2026-03-01T01:00:00Z', due_at: '2026-03-16T01:00:00Z' }, 201),
      'GET /api/v1/public/complaints/K7QMX2RP9TWA': () => jsonResponse({ ...resolved, status: 'received', steps: resolved.steps.slice(0, 1) }),
    });
    // Subcategories are offered under their group; a parent with subcategories is not.
    await screen.findByRole('combobox', { name: '诉求分类' });
    const user = await fillAndSubmit();

    expect(await screen.findByTestId('tracking-code')).toHaveTextContent('K7QMX2RP9TWA');
    expect(screen.getByText('承办单位将在 2026年3月16日 09:00 前答复')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('Authorization')).toBeNull();
    expect(await post?.json()).toEqual({
      category: 'roads',
      title: '村口道路塌陷',
      description: '村口主路塌陷一米见方',
      location_text: null,
      village: null,
      reporter_name: null,
      reporter_phone: '13812345678',
    });

    await user.click(screen.getByRole('button', { name: '查看进度' }));
    expect(await screen.findByTestId('public-status')).toHaveTextContent('已登记');
    expect(screen.getByText('办结后可在此评价办理结果。')).toBeInTheDocument();
  });

  it('says how long to wait when rate limited, and holds the button until then', async () => {
    serve('/public/complaints', {
      'POST /api/v1/public/complaints': () => problem(429, 'rate_limited', '请求过于频繁，请稍后再试', { 'Retry-After': '30' }),
    });
    await screen.findByRole('combobox', { name: '诉求分类' });
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('操作过于频繁，请 30 秒后再试');
    expect(screen.getByRole('button', { name: /秒后可重试/ })).toBeDisabled();
  });

  it('shows the progress of a resolved request by its code, and takes the rating', async () => {
    const { requests } = serve('/public/complaints?tab=track&code=K7QMX2RP9TWA', {
      'GET /api/v1/public/complaints/K7QMX2RP9TWA': () => jsonResponse(resolved),
      'POST /api/v1/public/complaints/K7QMX2RP9TWA/rating': () =>
        jsonResponse({
          ...resolved,
          rated: true,
          steps: [...resolved.steps, { kind: 'rated', status: 'resolved', at: '2026-03-05T01:00:00Z', note: '群众评价：4星' }],
        }),
    });
    expect(await screen.findByTestId('public-status')).toHaveTextContent('已办结');
    const progress = screen.getByTestId('public-timeline');
    expect(progress).toHaveTextContent('承诺：三日内回填（2026-03-05前）');
    expect(progress).toHaveTextContent('已回填硬化');

    const user = userEvent.setup();
    const form = screen.getByTestId('rating-form');
    await user.click(within(form).getByRole('button', { name: '提交评价' }));
    expect(await within(form).findByText('请选择评分')).toBeInTheDocument();
    const fourStars = within(form).getAllByRole('radio').at(3);
    if (!fourStars) throw new Error('no fourth star');
    await user.click(fourStars);
    await user.click(within(form).getByRole('button', { name: '提交评价' }));

    expect(await screen.findByText('感谢您的评价！')).toBeInTheDocument();
    expect(screen.getByTestId('public-timeline')).toHaveTextContent('群众评价：4星');
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toEqual({ rating: 4, comment: null });
  });

  it('shows an unknown code as the server words it', async () => {
    serve('/public/complaints?tab=track&code=NOPE', {
      'GET /api/v1/public/complaints/NOPE': () => problem(404, 'tracking_code_not_found', '查询码不存在'),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('查询码不存在');
  });
});
