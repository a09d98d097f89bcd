import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import { fakeServer } from '../test/fakeServer';
import { jsonResponse } from '../test/fixtures';
import { BallotSheetPage } from './BallotSheetPage';

type Handler = Parameters<typeof fakeServer>[0][string];
const TOKEN = 'tok-3f9a1c2b7e';
const sheet = { org_name: '罗湾村党支部', year: 2026, quarter: null, members: [{ member_id: 11, name: '张三' }, { member_id: 12, name: '李四' }] };
const used = jsonResponse(
  { status: 409, code: 'token_used', detail: '该评议码已使用', messages: { 'zh-CN': '该评议码已使用', en: 'This token has already been used' } },
  409,
  'application/problem+json',
);

function serve(routes: Record<string, Handler>) {
  const server = fakeServer(routes);
  render(
    <AntApp>
      <MemoryRouter initialEntries={[`/public/scoring/sheets/${TOKEN}`]}>
        <Routes>
          <Route path="/public/scoring/sheets/:token" element={<BallotSheetPage />} />
        </Routes>
      </MemoryRouter>
    </AntApp>,
  );
  return server;
}

describe('BallotSheetPage', () => {
  it('rates the members one knows, without an account, and thanks the rater', async () => {
    const { requests } = serve({
      [`GET /api/v1/public/scoring/sheets/${TOKEN}`]: () => jsonResponse(sheet),
      [`POST /api/v1/public/scoring/sheets/${TOKEN}`]: () => jsonResponse({ accepted: 1 }, 201),
    });
    expect(await screen.findByText('罗湾村党支部 · 2026年度党员民主评议')).toBeInTheDocument();
    const submit = screen.getByRole('button', { name: '请至少评议一名党员' });
    expect(submit).toBeDisabled();

    const user = userEvent.setup();
    await user.click(within(screen.getByRole('radiogroup', { name: '对 李四 的评议' })).getByText('基本合格'));
    expect(screen.getByTestId('ballot-progress')).toHaveTextContent('已评 1 / 2 人');
    await user.click(screen.getByRole('button', { name: '提交评议' }));

    expect(await screen.findByText('感谢您的评议！')).toBeInTheDocument();
    const post = requests.find((request) => request.method === 'POST');
    expect(post?.headers.get('Authorization')).toBeNull();
    expect(await post?.json()).toEqual({ ballots: [{ member_id: 12, grade: 'basic' }] });
  });

  it('says plainly when the token was already used', async () => {
    serve({ [`GET /api/v1/public/scoring/sheets/${TOKEN}`]: () => used });
    expect(await screen.findByTestId('sheet-unavailable')).toHaveTextContent('该评议码已使用');
    expect(screen.getByText('无法打开评议表')).toBeInTheDocument();
  });
});
