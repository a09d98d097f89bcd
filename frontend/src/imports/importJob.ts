import type { ImportKind, ImportMode, JobRead, JobSummary, Permission } from '../api';
import { t } from '../i18n';

/** Every import kind the API offers, with the permission it demands (backend imports/<kind>.py). */
export const IMPORT_KINDS: readonly { kind: ImportKind; permission: Permission }[] = [
  { kind: 'members', permission: 'members:write' },
  { kind: 'orgs', permission: 'orgs:write' },
  { kind: 'attendance', permission: 'members:write' },
  { kind: 'pairing', permission: 'members:write' },
  { kind: 'complaints', permission: 'complaints:write' },
];

/** The kinds a caller holding `permissions` may import, in menu order. */
export function allowedKinds(permissions: readonly string[]): ImportKind[] {
  return IMPORT_KINDS.filter(({ permission }) => permissions.includes(permission)).map(({ kind }) => kind);
}

/** The job kind an import of `kind` runs as (`GET /jobs?kind=`). */
export const jobKindOf = (kind: ImportKind): string => `import.${kind}`;

/** One bad row's problem, as the report lists it. */
export interface RowError {
  row: number;
  column: string | null;
  code: string;
  messages: Partial<Record<string, string>>;
}

/** The import report a finished import job carries as its `result` (backend imports/schemas.py). */
export interface ImportReport {
  kind: string;
  dry_run: boolean;
  mode: ImportMode;
  committed: boolean;
  total_rows: number;
  valid_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  columns: Record<string, string>;
  ignored_columns: string[];
  errors: RowError[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The import report of a job, once it has one (a finished import); null otherwise. */
export function reportOf(job: Pick<JobRead, 'result'> | null): ImportReport | null {
  const result: unknown = job?.result;
  if (!isObject(result) || typeof result.total_rows !== 'number' || !Array.isArray(result.errors)) return null;
  return result as unknown as ImportReport;
}

/** Whether a job has ended, one way or another. */
export const isFinished = (job: Pick<JobSummary, 'state'>): boolean => job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';

/** The percentage for a progress bar: 0 while the total is unknown, 100 once the job has ended. */
export function percentOf(job: Pick<JobSummary, 'state' | 'progress'>): number {
  if (isFinished(job)) return 100;
  return Math.min(100, Math.max(0, Math.floor((job.progress ?? 0) * 100)));
}

/** A short "time left" for the ETA, or null when the server gave none. */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || seconds < 0) return null;
  if (seconds < 60) return t.imports.seconds(Math.max(1, Math.round(seconds)));
  return t.imports.minutes(Math.ceil(seconds / 60));
}

/** How many distinct rows are bad (a row may have several errors). */
export const badRowCount = (report: ImportReport): number => new Set(report.errors.map((error) => error.row)).size;

/**
 * Whether committing the checked file in `mode` would write anything: some row must be valid, and
 * under all_or_nothing no row may be bad (the server would roll everything back).
 */
export function canCommit(report: ImportReport, mode: ImportMode): boolean {
  if (report.valid_rows === 0) return false;
  return mode === 'valid_rows' || report.errors.length === 0;
}

/** A row error's message in the UI language (zh-CN), falling back to any message, then the code. */
export function rowMessage(error: RowError): string {
  return error.messages['zh-CN'] ?? Object.values(error.messages).find((message) => message) ?? error.code;
}

/** A failed job's error message in the UI language, when it gave one. */
export function jobErrorMessage(job: Pick<JobRead, 'error'>): string | null {
  const error: unknown = job.error;
  if (!isObject(error) || !isObject(error.messages)) return null;
  const zh = error.messages['zh-CN'];
  return typeof zh === 'string' ? zh : null;
}
