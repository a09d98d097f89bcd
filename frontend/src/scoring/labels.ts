import type { CaseStatus, ItemState, RoundStatus, SchemeStatus } from '../api';
import { t } from '../i18n';

/** The facts a rule may count (`scoring.models.Source`); the API refuses any other (422 `unknown_source`). */
export const SOURCES = [
  'study_hours',
  'training_hours',
  'meetings_attended',
  'meetings_absent',
  'exams_passed',
  'study_report_filed',
  'study_report_grade',
  'pairing_visits',
  'must_visits_on_time',
  'must_visits_missed',
  'dues_months_on_time',
  'dues_months_late',
  'pledges_kept',
  'pledges_not_kept',
  'posts_held',
  'complaints_on_time',
  'complaints_late',
  'complaints_satisfied',
  'complaints_dissatisfied',
] as const;

/** A rule's source in words (an unknown one as it is). */
export function sourceLabel(source: string): string {
  const labels: Record<string, string> = t.scoring.sources;
  return labels[source] ?? source;
}

export const SCHEME_STATUS_COLORS: Record<SchemeStatus, string> = { draft: 'blue', published: 'green' };
export const ROUND_STATUS_COLORS: Record<RoundStatus, string> = { open: 'processing', closed: 'default' };
export const ITEM_STATE_COLORS: Record<ItemState, string> = { requested: 'gold', approved: 'green', rejected: 'default' };
export const CASE_STATUS_COLORS: Record<CaseStatus, string> = { open: 'red', improving: 'orange', decided: 'blue', closed: 'default' };

/** 2026年度 or 2026年第4季度. */
export function periodLabel({ year, quarter }: { year: number; quarter: number | null }): string {
  return quarter ? t.scoring.quarterPeriod(year, quarter) : t.scoring.yearPeriod(year);
}

/** The If-Match for a row: the API's ETag is the row's version. */
export const etagOf = (version: number): string => `"${version}"`;
