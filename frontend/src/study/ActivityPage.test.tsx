import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AttendanceRead } from '../api';
import { activity, jsonResponse, me } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ActivityPage } from './ActivityPage';

const roll: AttendanceRead[] = [
  { member_id: 11, member_name: '阎建华', status: null, leave_reason: null, made_up: false },
  { member_id: 12, member_name: '张波', status: null, leave_reason: null, made_up: false },
  { member_id: 13, member_name: '赵利', status: null, leave_reason: null, made_up: false },
];

const invalid = {
  type: 'about:blank',
  title: 'Unprocessable',
  status: 422,
  detail: 'Invalid study record',
  code: 'study_input_invalid',
  messages: { 'zh-CN': '学习记录有误：member 13 is not expected at this activity', en: 'Invalid study record' },
  errors: [{ field: 'body.entries.2.member_id', code: 'not_expected', message: 'member 13 is not expected at this activity' }],
};

function serve(options: { put?: (request: Request) => Response | Promise<Response>; startsAt?: string; user?: ReturnType<typeof me> } = {}) {
  return renderPage(<ActivityPage />, {
    path: '/study/:activityId',
    at: '/study/5',
    user: options.user,
    routes: {
      'GET /api/v1/study/activities/5': () => jsonResponse(activity({ id: 5, starts_at: options.startsAt ?? '2026-03-01T02:00:00Z' })),
      'GET /api/v1/study/activities/5/attendance': () => jsonResponse(roll),
      'PUT /api/v1/study/activities/5/attendance':
        options.put ??
        (async (request) => {
          const { entries } = (await request.json()) as { entries: { member_id: number; status: string; leave_reason?: string }[] };
          return jsonResponse(roll.map((row) => ({ ...row, ...entries.find((e) => e.member_id === row.member_id) })));
        }),
    },
  });
}

const rowOf = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

describe('ActivityPage attendance', () => {
  it('sends the whole roll in one request, asking for a reason for leave first', async () => {
    const { requests } = serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /全部出席/ }));
    await user.click(within(rowOf('张波')).getByText('请假'));
    await user.click(within(rowOf('赵利')).getByText('缺席'));

    await user.click(screen.getByRole('button', { name: /提交考勤/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('请假须填写事由');
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    await user.type(within(rowOf('张波')).getByPlaceholderText('请填写请假事由'), '外出务工');
    await user.click(screen.getByRole('button', { name: /提交考勤/ }));
    expect(await screen.findByText('考勤已保存')).toBeInTheDocument();
    expect(screen.getByTestId('attendance-tally')).toHaveTextContent('出席 1 · 请假 1 · 缺席 1 · 未登记 0');
    const put = requests.find((r) => r.method === 'PUT');
    expect(await put?.json()).toEqual({
      entries: [
        { member_id: 11, status: 'present' },
        { member_id: 12, status: 'excused', leave_reason: '外出务工' },
        { member_id: 13, status: 'absent' },
      ],
    });
  });

  it('puts each error of the API’s 422 on the row it names', async () => {
    serve({ put: () => jsonResponse(invalid, 422, 'application/problem+json') });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /全部出席/ }));
    await user.click(screen.getByRole('button', { name: /提交考勤/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('学习记录有误');
    expect(rowOf('赵利')).toHaveTextContent('member 13 is not expected at this activity');
    expect(rowOf('张波')).not.toHaveTextContent('not expected');
  });

  it('records make-up study for a member who was absent', async () => {
    const absentRoll = roll.map((row) => (row.member_id === 13 ? { ...row, status: 'absent' as const } : { ...row, status: 'present' as const }));
    const { requests } = renderPage(<ActivityPage />, {
      path: '/study/:activityId',
      at: '/study/5',
      routes: {
        'GET /api/v1/study/activities/5': () => jsonResponse(activity({ id: 5 })),
        'GET /api/v1/study/activities/5/attendance': () => jsonResponse(absentRoll),
        'POST /api/v1/study/activities/5/makeups': () => jsonResponse({}, 201),
      },
    });
    const user = userEvent.setup();
    // Only the absent member can make the study up.
    expect(await screen.findAllByRole('button', { name: /登记补学/ })).toHaveLength(1);
    await user.click(within(rowOf('赵利')).getByRole('button', { name: /登记补学/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('补学方式'), '观看会议录像');
    await user.click(within(dialog).getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByText('补学已登记')).toBeInTheDocument();
    expect(await within(rowOf('赵利')).findByText('已补学')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(await post?.json()).toMatchObject({ member_id: 13, method: '观看会议录像', hours: 2 });
  });

  it('is read-only for a role that may not record attendance', async () => {
    serve({ user: me('auditor') });
    expect(await screen.findByText('您没有登记考勤的权限')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /提交考勤/ })).not.toBeInTheDocument();
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
  });

  it('waits for the activity to start', async () => {
    serve({ startsAt: '2099-01-01T02:00:00Z' });
    expect(await screen.findByText('活动尚未开始，开始后才能登记考勤')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /提交考勤/ })).not.toBeInTheDocument();
  });
});
