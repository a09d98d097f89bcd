import { screen } from '@testing-library/react';
import type { Me, ResultRead } from '../api';
import { jsonResponse, me, member as member_ } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { MyPage } from './MyPage';

const member: Me = { ...me(), username: 'dangyuan', display_name: '张三', role: 'member', member_id: 11, permissions: ['orgs:read'] };
const result: ResultRead = {
  id: 57,
  scheme_id: 4,
  member_id: 11,
  member_name: '张三',
  org_id: 3,
  category: 'rural',
  probationary: false,
  points: '12.00',
  points_component: '60.00',
  evaluation_component: '30.00',
  score: '90.00',
  grade: 'excellent',
  grade_note: null,
  rank_in_org: 1,
  rank_in_scheme: 3,
  explanation: [],
  computed_at: '2026-03-01T01:00:00Z',
  published: true,
};

const record = member_({ id: 11, name: '张三' });
const archive = {
  member: { id: 11, name: '张三', org_id: 3, org_name: '罗湾村党支部' },
  start: '2026-01-01',
  end: '2026-12-31',
  totals: { hours: 12.5, hours_by_kind: [], attended: 4, excused: 1, absent: 0, exams_passed: 1, exams_failed: 0 },
  by_year: [],
  activities: [],
  absences: [],
  makeups: [],
  exams: [],
  reports: [],
};
const own = { 'GET /api/v1/members/11': () => jsonResponse(record), 'GET /api/v1/members/11/study': () => jsonResponse(archive) };

const notFound = () =>
  jsonResponse({ status: 404, code: 'not_found', detail: '记录不存在', messages: { 'zh-CN': '记录不存在', en: 'Not found' } }, 404, 'application/problem+json');

describe('MyPage', () => {
  it('shows the member’s own published score', async () => {
    const { requests } = renderPage(<MyPage />, { path: '/my', at: '/my', user: member, routes: { ...own, 'GET /api/v1/scoring/results/11': () => jsonResponse(result) } });
    expect(await screen.findByTestId('explanation-score')).toHaveTextContent('90.00');
    expect(screen.getByText('优秀')).toBeInTheDocument();
    expect(requests.some((request) => new URL(request.url).pathname === '/api/v1/scoring/results/11')).toBe(true);
    // Their record, masked as the API sent it, and their study archive without the staff's export and print.
    expect(await screen.findByText('138****5678')).toBeInTheDocument();
    expect(await screen.findByText('2026年1月1日 至 2026年12月31日')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /导出/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /打印/ })).not.toBeInTheDocument();
  });

  it('says the score is not published yet when the API has none for them', async () => {
    renderPage(<MyPage />, { path: '/my', at: '/my', user: member, routes: { ...own, 'GET /api/v1/scoring/results/11': notFound } });
    expect(await screen.findByText('积分结果尚未发布')).toBeInTheDocument();
  });

  it('tells an account without a member record to ask for one', async () => {
    renderPage(<MyPage />, { path: '/my', at: '/my', routes: {} });
    expect(await screen.findByText('您的账号尚未关联党员档案，请联系支部书记。')).toBeInTheDocument();
  });
});
