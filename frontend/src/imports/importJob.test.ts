import { allowedKinds, badRowCount, canCommit, formatEta, jobErrorMessage, jobKindOf, percentOf, reportOf, rowMessage, type ImportReport } from './importJob';

const report = (overrides: Partial<ImportReport> = {}): ImportReport => ({
  kind: 'members',
  dry_run: true,
  mode: 'all_or_nothing',
  committed: false,
  total_rows: 3,
  valid_rows: 2,
  created: 2,
  updated: 0,
  unchanged: 0,
  columns: { 姓名: 'name' },
  ignored_columns: [],
  errors: [
    { row: 3, column: '身份证号', code: 'invalid', messages: { 'zh-CN': '身份证号校验位不正确', en: 'bad checksum' } },
    { row: 3, column: '学历', code: 'invalid', messages: { en: 'unknown education' } },
  ],
  ...overrides,
});

describe('allowedKinds', () => {
  it('offers each kind only to holders of its permission', () => {
    expect(allowedKinds(['members:read', 'members:write'])).toEqual(['members', 'attendance', 'pairing']);
    expect(allowedKinds(['orgs:write', 'complaints:write'])).toEqual(['orgs', 'complaints']);
    expect(allowedKinds(['members:read', 'complaints:read'])).toEqual([]);
  });
});

describe('reportOf', () => {
  it('reads the report of a finished import and nothing else', () => {
    expect(reportOf({ result: report() as unknown as Record<string, unknown> })?.valid_rows).toBe(2);
    expect(reportOf({ result: null })).toBeNull();
    expect(reportOf({ result: { kind: 'scoring' } })).toBeNull();
    expect(reportOf(null)).toBeNull();
  });
});

describe('percentOf', () => {
  it('follows the progress and is full once the job has ended', () => {
    expect(percentOf({ state: 'queued', progress: null })).toBe(0);
    expect(percentOf({ state: 'running', progress: 0.456 })).toBe(45);
    expect(percentOf({ state: 'succeeded', progress: 0.5 })).toBe(100);
    expect(percentOf({ state: 'cancelled', progress: null })).toBe(100);
  });
});

describe('formatEta', () => {
  it('says seconds under a minute, whole minutes above', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(0)).toBe('1 秒');
    expect(formatEta(42)).toBe('42 秒');
    expect(formatEta(61)).toBe('2 分钟');
  });
});

describe('canCommit', () => {
  it('refuses all_or_nothing with bad rows and a file without a valid row', () => {
    expect(canCommit(report(), 'all_or_nothing')).toBe(false);
    expect(canCommit(report(), 'valid_rows')).toBe(true);
    expect(canCommit(report({ errors: [] }), 'all_or_nothing')).toBe(true);
    expect(canCommit(report({ valid_rows: 0 }), 'valid_rows')).toBe(false);
  });
});

describe('messages', () => {
  it('counts bad rows once however many errors they have, and speaks Chinese first', () => {
    const r = report();
    const [checksum, education] = r.errors;
    expect(badRowCount(r)).toBe(1);
    expect(checksum && rowMessage(checksum)).toBe('身份证号校验位不正确');
    expect(education && rowMessage(education)).toBe('unknown education');
    expect(jobKindOf('orgs')).toBe('import.orgs');
    expect(jobErrorMessage({ error: { code: 'job_interrupted', messages: { 'zh-CN': '任务中断', en: 'interrupted' } } })).toBe('任务中断');
    expect(jobErrorMessage({ error: null })).toBeNull();
  });
});
