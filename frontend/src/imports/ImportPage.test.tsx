import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { JobRead, Me } from '../api';
import { jsonResponse, me, org } from '../test/fixtures';
import { renderPage } from '../test/renderPage';
import { ImportPage } from './ImportPage';
import type { ImportReport } from './importJob';

function job(overrides: Partial<JobRead> & Pick<JobRead, 'id'>): JobRead {
  return {
    kind: 'import.members',
    org_id: 3,
    state: 'queued',
    total: null,
    done: 0,
    failed: 0,
    progress: null,
    rate_per_second: null,
    eta_seconds: null,
    cancel_requested: false,
    created_by: { kind: 'user', id: 1, name: '李书记' },
    created_at: '2026-12-01T02:00:00Z',
    started_at: null,
    finished_at: null,
    updated_at: '2026-12-01T02:00:00Z',
    params: {},
    result: null,
    error: null,
    ...overrides,
  };
}

function report(overrides: Partial<ImportReport> = {}): Record<string, unknown> {
  const value: ImportReport = {
    kind: 'members',
    dry_run: true,
    mode: 'all_or_nothing',
    committed: false,
    total_rows: 3,
    valid_rows: 2,
    created: 1,
    updated: 1,
    unchanged: 0,
    columns: { 姓名: 'name', 身份证号: 'id_number' },
    ignored_columns: ['籍贯'],
    errors: [{ row: 3, column: '身份证号', code: 'id_number_checksum', messages: { 'zh-CN': '身份证号码校验位不正确', en: 'Bad ID checksum' } }],
    ...overrides,
  };
  return value as unknown as Record<string, unknown>;
}

const running = (id: number) => job({ id, state: 'running', total: 3, done: 1, failed: 1, progress: 1 / 3, eta_seconds: 12 });

/**
 * The fake API: each started import gets the next id; polling a job answers "running" (1 of 3 rows)
 * until the test lets it `finish`, then the finished job.
 */
function serve({ user = me(), finished = {} }: { user?: Me; finished?: Record<number, JobRead> } = {}) {
  const allowed = new Set<number>();
  let cancelled = false;
  const started: JobRead[] = [];
  let nextId = 5;
  const server = renderPage(<ImportPage pollMs={5} />, {
    path: '/imports',
    at: '/imports',
    user,
    routes: {
      'GET /api/v1/orgs/roots': () => jsonResponse({ items: [org({ id: 3, name: '罗湾村党支部' })] }),
      'GET /api/v1/jobs': () => jsonResponse({ items: started.map((one) => finished[one.id] ?? one), next_cursor: null }),
      'POST /api/v1/imports/members': () => {
        const one = job({ id: nextId });
        nextId += 1;
        started.unshift(one);
        return jsonResponse(one, 202);
      },
      'GET /api/v1/jobs/5': () => jsonResponse(allowed.has(5) && finished[5] ? finished[5] : running(5)),
      'GET /api/v1/jobs/6': () => jsonResponse(allowed.has(6) && finished[6] ? finished[6] : { ...running(6), cancel_requested: cancelled }),
      'POST /api/v1/jobs/6/cancel': () => {
        cancelled = true;
        return jsonResponse({ ...running(6), cancel_requested: true });
      },
      'GET /api/v1/imports/jobs/5/bad-rows.xlsx': () =>
        new Response('xlsx', { headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': "attachment; filename*=UTF-8''%E9%94%99%E8%AF%AF%E8%A1%8C.xlsx" } }),
    },
  });
  return {
    ...server,
    finish: (id: number) => {
      allowed.add(id);
    },
  };
}

const csv = () => new File(['姓名,身份证号\n张三,110101199003070011\n'], '名册.csv', { type: 'text/csv' });

async function choose(user: ReturnType<typeof userEvent.setup>) {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  await user.upload(input, csv());
  await screen.findByText('名册.csv');
}

async function formOf(request: Request) {
  const form = await request.formData();
  // jsdom's File loses its name in Node's FormData; the e2e test sees the real upload.
  return { file: form.has('file'), dry_run: form.get('dry_run'), mode: form.get('mode'), org_id: form.get('org_id') };
}

const uploads = (requests: Request[]) => requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/v1/imports/members');

describe('ImportPage', () => {
  it('checks the file as a dry run with a progress bar, reports the bad row, then commits the valid rows', async () => {
    const { requests, finish } = serve({
      finished: {
        5: job({ id: 5, state: 'succeeded', total: 3, done: 3, failed: 1, progress: 1, result: report() }),
        6: job({ id: 6, state: 'succeeded', total: 3, done: 3, failed: 1, progress: 1, result: report({ dry_run: false, mode: 'valid_rows', committed: true }) }),
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByRole('combobox', { name: '导入内容' })).toBeInTheDocument();
    await choose(user);
    await user.click(screen.getByRole('button', { name: /校\s*验/ }));

    // The job runs: rows done of the total, the bad ones, time left.
    const progress = await screen.findByTestId('import-progress');
    await within(progress).findByText('已处理 1 / 3 行');
    expect(within(progress).getByText('错误 1 行')).toBeInTheDocument();
    expect(within(progress).getByText('预计剩余 12 秒')).toBeInTheDocument();
    expect(progress.querySelector('.ant-progress')).toHaveAttribute('aria-valuenow', '33');
    finish(5);

    const dryRun = await screen.findByTestId('dry-run-report');
    expect(within(dryRun).getByText('校验完成，未写入任何数据。以下为正式导入时的结果：')).toBeInTheDocument();
    const counts = within(dryRun).getByTestId('import-counts');
    expect(counts).toHaveTextContent('总行数3');
    expect(counts).toHaveTextContent('错误行1');
    expect(counts).toHaveTextContent('新增1');
    expect(counts).toHaveTextContent('更新1');
    expect(within(dryRun).getByTestId('matched-columns')).toHaveTextContent('姓名身份证号');
    expect(within(dryRun).getByTestId('ignored-columns')).toHaveTextContent('籍贯');
    const badRow = within(within(dryRun).getByTestId('bad-rows')).getByText('身份证号码校验位不正确').closest('tr') as HTMLElement;
    expect(badRow).toHaveTextContent('3身份证号身份证号码校验位不正确');

    // All-or-nothing would write nothing with a bad row: the commit waits for "only the valid rows".
    const commit = screen.getByRole('button', { name: '正式导入' });
    expect(commit).toBeDisabled();
    expect(screen.getByText('存在错误行：请修正后重新校验，或选择“只导入正确的行”')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: '只导入正确的行' }));
    await user.click(commit);
    finish(6);

    const committed = await screen.findByTestId('commit-report');
    expect(within(committed).getByText('导入完成，数据已写入')).toBeInTheDocument();
    const [dry, real] = await Promise.all(uploads(requests).map(formOf));
    expect(dry).toEqual({ file: true, dry_run: 'true', mode: 'all_or_nothing', org_id: null });
    expect(real).toEqual({ file: true, dry_run: 'false', mode: 'valid_rows', org_id: null });
    const recent = screen.getByTestId('recent-imports');
    await waitFor(() => {
      expect(within(recent).getAllByText('已完成')).toHaveLength(2);
    });
    const listed = requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === '/api/v1/jobs');
    expect(Object.fromEntries(new URL(listed[0]?.url ?? 'http://x').searchParams)).toEqual({ kind: 'import.members', limit: '10' });
  });

  it('downloads the bad rows of a checked file', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:bad-rows';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { requests, finish } = serve({ finished: { 5: job({ id: 5, state: 'succeeded', total: 3, done: 3, failed: 1, progress: 1, result: report() }) } });
    finish(5);
    const user = userEvent.setup();
    await screen.findByRole('combobox', { name: '导入内容' });
    await choose(user);
    await user.click(screen.getByRole('button', { name: /校\s*验/ }));
    await screen.findByTestId('dry-run-report');
    await user.click(screen.getByRole('button', { name: /下载错误行/ }));
    await waitFor(() => {
      expect(requests.map((r) => new URL(r.url).pathname)).toContain('/api/v1/imports/jobs/5/bad-rows.xlsx');
    });
    await waitFor(() => {
      expect(created).toHaveLength(1);
    });
  });

  it('commits straight away when every row is valid, and cancels a running import', async () => {
    const clean = report({ valid_rows: 3, errors: [] });
    const { requests, finish } = serve({ finished: { 5: job({ id: 5, state: 'succeeded', total: 3, done: 3, progress: 1, result: clean }) } });
    finish(5);
    const user = userEvent.setup();
    await screen.findByRole('combobox', { name: '导入内容' });
    await choose(user);
    await user.click(screen.getByRole('button', { name: /校\s*验/ }));
    const dryRun = await screen.findByTestId('dry-run-report');
    expect(within(dryRun).getByText('没有错误行')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '正式导入' }));
    const commitCard = await screen.findByTestId('commit-card');
    await within(commitCard).findByText('已处理 1 / 3 行');
    await user.click(within(commitCard).getByRole('button', { name: '取消导入' }));
    expect(await within(commitCard).findByText('已请求取消，等待任务停止…')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/v1/jobs/6/cancel')).toBe(true);
  });

  it('offers only the kinds the caller may import', async () => {
    serve();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('combobox', { name: '导入内容' }));
    await screen.findAllByRole('option');
    const options = [...document.querySelectorAll('.ant-select-item-option-content')].map((option) => option.textContent);
    expect(options).toEqual(['党员名册', '组织架构', '学习出勤', '结对帮扶台账']);
  });

  it('shows a caller without write permissions that they may not import', async () => {
    const auditor: Me = me('auditor');
    serve({ user: auditor });
    expect(await screen.findByText('您没有导入数据的权限')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /校\s*验/ })).not.toBeInTheDocument();
  });
});
