import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TimelineRead } from '../api';
import { todayInChina } from '../lib/dates';
import { jsonResponse, me, member } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { MemberDetailPage } from './MemberDetailPage';

const activist = member({ id: 7, name: '叶璐', stage: 'activist', applied_on: '2024-04-15', activist_on: '2024-06-29', probationary_on: null, full_member_on: null, version: 4 });

const timeline = (stage: TimelineRead['stage']): TimelineRead => ({
  member_id: 7,
  name: '叶璐',
  org_id: 3,
  stage,
  status: 'normal',
  applied_on: '2024-04-15',
  activist_on: '2024-06-29',
  candidate_on: stage === 'candidate' ? todayInChina() : null,
  probationary_on: null,
  full_member_on: null,
  probation_ends_on: null,
  steps: [],
  as_of: '2026-06-01',
  next:
    stage === 'activist'
      ? { kind: 'candidate', alternatives: [], rule: 'candidate_eligible', due_on: '2025-06-29', deadline: false, overdue: false, days_overdue: 0, step_id: null }
      : { kind: 'admit', alternatives: [], rule: null, due_on: null, deadline: false, overdue: false, days_overdue: 0, step_id: null },
});

const conflict = {
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  detail: 'Stale',
  code: 'stage_out_of_order',
  messages: { 'zh-CN': '叶璐目前是发展对象，不能列为发展对象', en: 'Already a candidate' },
};

function serve(options: { user?: ReturnType<typeof me>; candidate?: () => Response } = {}) {
  let advanced = false;
  const server = renderPage(<MemberDetailPage />, {
    path: '/members/:memberId',
    at: '/members/7',
    user: options.user,
    routes: {
      'GET /api/v1/members/7': () => {
        const body = advanced ? { ...activist, stage: 'candidate', version: 5 } : activist;
        const response = jsonResponse(body);
        response.headers.set('ETag', `"${body.version}"`);
        return response;
      },
      'GET /api/v1/members/7/timeline': () => jsonResponse(timeline(advanced ? 'candidate' : 'activist')),
      'POST /api/v1/members/7/development/candidate':
        options.candidate ??
        (() => {
          advanced = true;
          return jsonResponse({}, 201);
        }),
    },
  });
  return server;
}

describe('MemberDetailPage', () => {
  it('makes an activist of a year a candidate, guarded by the record’s ETag', async () => {
    const { requests } = serve();
    const next = await screen.findByTestId('next-step');
    expect(next).toHaveTextContent('下一步：列为发展对象');
    expect(next).toHaveTextContent('2025年6月29日 起可办理');

    const user = userEvent.setup();
    await user.click(within(next).getByRole('button', { name: /办理：列为发展对象/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));

    expect(await screen.findByTestId('member-stage')).toHaveTextContent('发展对象');
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('If-Match')).toBe('"4"');
    expect(await post?.json()).toEqual({ decided_on: todayInChina(), decided_by: 'branch_committee' });
    expect(await screen.findByText('下一步：接收为预备党员')).toBeInTheDocument();
  });

  it('shows the API’s refusal in the dialog and keeps it open', async () => {
    serve({ candidate: () => jsonResponse(conflict, 409, 'application/problem+json') });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /办理：列为发展对象/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('叶璐目前是发展对象，不能列为发展对象');
    expect(screen.getByTestId('member-stage')).toHaveTextContent('入党积极分子');
  });

  it('re-reads a record changed meanwhile, so that the retry carries its new ETag', async () => {
    let version = 4;
    const stale = { ...conflict, status: 412, code: 'precondition_failed', messages: { 'zh-CN': '记录已被修改，请刷新后重试', en: 'Stale' } };
    const { requests } = renderPage(<MemberDetailPage />, {
      path: '/members/:memberId',
      at: '/members/7',
      routes: {
        'GET /api/v1/members/7': () => {
          const response = jsonResponse({ ...activist, version });
          response.headers.set('ETag', `"${version}"`);
          return response;
        },
        'GET /api/v1/members/7/timeline': () => jsonResponse(timeline('activist')),
        'POST /api/v1/members/7/development/candidate': (request) => {
          if (request.headers.get('If-Match') === '"4"') {
            version = 5; // someone else wrote in between
            return jsonResponse(stale, 412, 'application/problem+json');
          }
          return jsonResponse({}, 201);
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /办理：列为发展对象/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('记录已被修改，请刷新后重试');
    await vi.waitFor(() => {
      expect(requests.filter((r) => r.method === 'GET' && r.url.endsWith('/members/7'))).toHaveLength(2);
    });
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    await vi.waitFor(() => {
      expect(requests.filter((r) => r.method === 'POST').map((r) => r.headers.get('If-Match'))).toEqual(['"4"', '"5"']);
    });
  });

  it('shows an auditor the next step without the action', async () => {
    serve({ user: me('auditor') });
    expect(await screen.findByTestId('next-step')).toHaveTextContent('下一步：列为发展对象');
    expect(screen.queryByRole('button', { name: /办理/ })).not.toBeInTheDocument();
  });
});
