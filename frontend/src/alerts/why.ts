import type { AlertRead, AttentionReason } from '../api';
import { LOCALE, t } from '../i18n';

const a = t.alerts;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
/** At most two decimals, without trailing zeros: 2.5, 7, 3.14. */
const short = (value: number): string => String(Math.round(value * 100) / 100);
const percent = (value: number): string => `${Math.round(value * 100)}%`;

export interface WhyText {
  /** The sentence: what was observed against what was expected. */
  text: string;
  /** How the bar was set, in words. */
  detail: string | null;
}

/** The server's own sentence, for an alert whose numbers are not all there. */
const serverReason = (alert: AlertRead): WhyText => ({ text: (LOCALE as string) === 'en' ? alert.reason_en : alert.reason_zh, detail: null });

/**
 * Why an alert fired, in plain words built from its `why` numbers: a surge's count on the day against
 * its baseline and threshold; a duplicate group's size and how similar its closest pair is.
 */
export function whyText(alert: AlertRead, categoryName: string | undefined): WhyText {
  const why = alert.why;
  if (alert.kind === 'surge') {
    const observed = num(why.observed);
    const mean = num(why.baseline_mean);
    const threshold = num(why.threshold);
    const days = num(why.baseline_days);
    if (observed === null || mean === null || threshold === null || days === null) return serverReason(alert);
    const std = num(why.baseline_std);
    const z = num(why.z);
    const minCount = num(why.min_count);
    return {
      text: a.surgeWhy(alert.day, categoryName ?? a.anyCategory, observed, days, short(mean), short(threshold)),
      detail: std !== null && z !== null && minCount !== null ? a.surgeDetail(short(std), short(z), minCount) : null,
    };
  }
  const size = num(why.size);
  const days = num(why.window_days);
  const closest = num(why.closest_pair_jaccard);
  const newOnDay = num(why.new_on_day);
  if (size === null || days === null || closest === null || newOnDay === null) return serverReason(alert);
  const bar = num(why.jaccard_threshold);
  return { text: a.duplicatesWhy(size, days, percent(closest), newOnDay), detail: bar !== null ? a.duplicatesDetail(percent(bar)) : null };
}

/** A surge's daily counts: the baseline days (oldest first) and the day itself, or null without a series. */
export function surgeSeries(alert: AlertRead): { days: string[]; counts: number[]; threshold: number } | null {
  if (alert.kind !== 'surge') return null;
  const baseline = alert.why.baseline;
  const observed = num(alert.why.observed);
  const threshold = num(alert.why.threshold);
  if (!Array.isArray(baseline) || observed === null || threshold === null || !baseline.every((n) => typeof n === 'number')) return null;
  const counts = [...baseline, observed];
  const end = new Date(`${alert.day}T00:00:00Z`);
  const days = counts.map((_, i) => {
    const day = new Date(end);
    day.setUTCDate(end.getUTCDate() - (counts.length - 1 - i));
    return day.toISOString().slice(0, 10);
  });
  return { days, counts, threshold };
}

const at = t.alerts.attention;

/** A member's reason for attention as a short tag (its full sentence goes in the tooltip). */
export function reasonTag(reason: AttentionReason): string {
  const d = reason.details;
  switch (reason.code) {
    case 'no_study': {
      const months = num(d.months);
      if (months !== null) return at.reasonTags.no_study(months);
      break;
    }
    case 'dues_arrears': {
      const months = num(d.months_unpaid);
      if (months !== null) return at.reasonTags.dues_arrears(months);
      break;
    }
    case 'pledge_not_kept':
      if (Array.isArray(d.pledge_ids)) return at.reasonTags.pledge_not_kept(d.pledge_ids.length);
      break;
    case 'low_grade':
      if (typeof d.grade === 'string') return at.reasonTags.low_grade(at.grades[d.grade] ?? d.grade);
      break;
  }
  return reasonMessage(reason);
}

export const reasonMessage = (reason: AttentionReason): string => ((LOCALE as string) === 'en' ? reason.message_en : reason.message_zh);

export const REASON_COLORS: Record<string, string> = { no_study: 'orange', dues_arrears: 'red', pledge_not_kept: 'volcano', low_grade: 'purple' };
