import { screen, within } from '@testing-library/react';
import type { AttentionMember } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { AttentionPage } from './AttentionPage';

const members: AttentionMember[] = [
  {
    member_id: 21,
    member_name: '张三',
    org_id: 3,
    reasons: [
      { code: 'no_study', message_zh: '近3个月（2026-09-08起）无学习出勤记录', message_en: '', details: { months: 3, since: '2026-09-08', absent: 2 } },
      { code: 'dues_arrears', message_zh: '欠缴党费4个月，共12.00元', message_en: '', details: { months_unpaid: 4, amount_owed: '12.00' } },
    ],
  },
  {
    member_id: 22,
    member_name: '李四',
    org_id: 3,
    reasons: [
      { code: 'pledge_not_kept', message_zh: '近12个月有1项承诺未践诺', message_en: '', details: { pledge_ids: [9], months: 12 } },
      { code: 'low_grade', message_zh: '最近一次已发布的评议（2025年度）等次为基本合格', message_en: '', details: { grade: 'basic', scheme_id: 1, year: 2025 } },
    ],
  },
];

function serve(at: string, items: AttentionMember[] = members) {
  return renderPage(<AttentionPage />, {
    path: '/alerts/attention',
    at,
    user: { ...me(), permissions: [...me().permissions, 'complaints:read'] },
    routes: {
      'GET /api/v1/alerts/attention': () => jsonResponse({ items, next_cursor: null }),
      'GET /api/v1/orgs/3': () => jsonResponse(org({ id: 3, name: '罗湾村党支部' })),
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
    },
  });
}

const queries = (requests: Request[]) =>
  requests.filter((r) => new URL(r.url).pathname === '/api/v1/alerts/attention').map((r) => Object.fromEntries(new URL(r.url).searchParams));

describe('AttentionPage', () => {
  it('lists the members with their reasons as tags, linking to each member', async () => {
    const { requests } = serve('/alerts/attention');
    const first = await screen.findByTestId('reasons-21');
    expect([...first.querySelectorAll('.ant-tag')].map((tag) => tag.textContent)).toEqual(['无学习记录 3 个月', '党费欠缴 4 个月']);
    const second = screen.getByTestId('reasons-22');
    expect([...second.querySelectorAll('.ant-tag')].map((tag) => tag.textContent)).toEqual(['承诺未践诺 1 项', '评议等次：基本合格']);
    expect(screen.getByText('张三').closest('a')).toHaveAttribute('href', '/members/21');
    expect(await within(screen.getByTestId('attention-table')).findAllByText('罗湾村党支部')).toHaveLength(2);
    expect(queries(requests)).toEqual([{ limit: '20' }]);
  });

  it('asks for the org in the address bar, and says when nobody needs attention', async () => {
    const { requests } = serve('/alerts/attention?org=3', []);
    expect(await screen.findByText('暂无需要关注的党员')).toBeInTheDocument();
    expect(queries(requests)).toEqual([{ org_id: '3', limit: '20' }]);
  });
});
