import type { RaterGroup } from '../api';
import { t } from '../i18n';
import { sourceLabel } from './labels';

/** One line of a result's explanation, as `scoring/engine.py` writes it. Every line has a `contribution`. */
export type ExplanationLine =
  | {
      kind: 'rule';
      source: string;
      label: string | null;
      points_per_unit: string;
      cap: string | null;
      windows: { window: string; units: string; raw_points: string; points: string }[];
      points: string;
      contribution: string;
    }
  | { kind: 'manual'; item_id: number; type: 'bonus' | 'deduction'; reason: string; points: string; contribution: string }
  | { kind: 'points_cap' | 'points_floor'; points: string; contribution: string }
  | { kind: 'evaluation'; group: RaterGroup; ballots: number; average: string; weight: string; share: string; contribution: string }
  | { kind: 'other'; contribution: string; raw: Record<string, unknown> };

const KNOWN = new Set(['rule', 'manual', 'points_cap', 'points_floor', 'evaluation']);

/** The API's untyped explanation as typed lines; a kind this UI does not know is kept (its contribution still counts). */
export function parseExplanation(raw: Record<string, unknown>[]): ExplanationLine[] {
  return raw.map((line) => {
    const contribution = typeof line.contribution === 'string' ? line.contribution : typeof line.contribution === 'number' ? String(line.contribution) : '0';
    if (typeof line.kind === 'string' && KNOWN.has(line.kind)) {
      return { ...line, contribution } as ExplanationLine;
    }
    return { kind: 'other', contribution, raw: line };
  });
}

/**
 * A decimal string with at most two decimals (`"54.38"`, `"-1.5"`, `"3"`) as whole cents, parsed as text so
 * that no float rounding creeps in.
 */
export function toCents(decimal: string): number {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(decimal);
  if (!match) throw new Error(`not a decimal: ${decimal}`);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > 2) throw new Error(`more than two decimals: ${decimal}`);
  const cents = Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return sign === '-' ? -cents : cents;
}

/** Cents as a two-decimal string (`5438` → `"54.38"`, `-50` → `"-0.50"`). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The sum of the lines' contributions, in cents. */
export function contributionCents(lines: ExplanationLine[]): number {
  return lines.reduce((total, line) => total + toCents(line.contribution), 0);
}

/** Whether the contributions add up to the score exactly (the API promises they do). */
export function addsUp(lines: ExplanationLine[], score: string): boolean {
  return contributionCents(lines) === toCents(score);
}

/** A rule's window in words: the whole period, or `2026-Q2` as 2026年第2季度. */
export function windowLabel(window: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(window);
  if (quarter) return t.scoring.quarterPeriod(Number(quarter[1]), Number(quarter[2]));
  return window === 'scheme' ? t.scoring.windows.scheme : window;
}

/** What a line is and the facts behind its points, in words. */
export function describeLine(line: ExplanationLine): { title: string; detail: string } {
  const x = t.scoring.explanation;
  switch (line.kind) {
    case 'rule':
      return {
        title: line.label ?? sourceLabel(line.source),
        detail: [
          ...line.windows.map((w) =>
            x.window(windowLabel(w.window), w.units, line.points_per_unit, w.raw_points, w.points !== w.raw_points ? w.points : null),
          ),
          x.rulePoints(line.points, line.cap),
        ].join('；'),
      };
    case 'manual':
      return { title: `${t.scoring.itemKinds[line.type]} · ${line.reason}`, detail: x.manualPoints(line.points, line.item_id) };
    case 'points_cap':
    case 'points_floor':
      return { title: x[line.kind], detail: x.adjustPoints(line.points) };
    case 'evaluation':
      return { title: t.scoring.raterGroups[line.group], detail: x.evaluation(line.ballots, line.average, line.weight, line.share) };
    case 'other':
      return { title: typeof line.raw.kind === 'string' ? line.raw.kind : '?', detail: '' };
  }
}
