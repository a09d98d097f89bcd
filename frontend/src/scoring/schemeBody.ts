import type { Category, RaterGroup, RuleWindow, SchemeCreate, SchemeRead, SchemeUpdate } from '../api';
import { COMPONENTS, RATER_GROUPS, type Component } from './weights';

/** One automatic rule as the form edits it. */
export interface RuleValues {
  source?: string;
  points_per_unit?: number | null;
  cap?: number | null;
  period?: RuleWindow;
  label?: string | null;
  /** Member categories the rule is limited to (not edited here, but kept). */
  categories?: Category[];
}

/** A scheme as the form edits it: numbers, not the API's decimal strings. */
export interface SchemeValues {
  org_id?: number | null;
  name?: string;
  year?: number;
  quarter?: number | null;
  rules?: RuleValues[];
  component_weights?: Partial<Record<Component, number | null>>;
  rater_weights?: Partial<Record<RaterGroup, number | null>>;
  full_points?: number | null;
  grade_thresholds?: { excellent?: number | null; qualified?: number | null; basic?: number | null };
  excellent_cap?: [number | null, number | null];
}

/** The defaults of `core/policy.py` (SCORING_*), for a new scheme's form. */
export const DEFAULT_VALUES: SchemeValues = {
  rules: [{ source: 'study_hours', points_per_unit: 0.5, cap: 20, period: 'scheme' }],
  component_weights: { points: 0.4, evaluation: 0.6 },
  rater_weights: { self: 0.1, fellow: 0.25, committee: 0.2, superior: 0.15, masses: 0.3 },
  full_points: 100,
  grade_thresholds: { excellent: 90, qualified: 70, basic: 60 },
  excellent_cap: [1, 3],
};

// Decimals go to the API as strings: 0.1 stays "0.1", never a binary fraction.
const dec = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : String(value));

function weightsOf<K extends string>(keys: readonly K[], values: Partial<Record<K, number | null>> | undefined): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, dec(values?.[key] ?? 0) ?? '0'])) as Record<K, string>;
}

function rulesOf(rules: RuleValues[] | undefined): NonNullable<SchemeCreate['rules']> {
  return (rules ?? []).map((rule) => ({
    source: rule.source ?? '',
    points_per_unit: dec(rule.points_per_unit) ?? '',
    cap: dec(rule.cap),
    period: rule.period ?? 'scheme',
    label: rule.label?.trim() ? rule.label.trim() : null,
    categories: rule.categories ?? [],
  }));
}

function parameters(values: SchemeValues) {
  const thresholds = values.grade_thresholds ?? {};
  const [numerator, denominator] = values.excellent_cap ?? [null, null];
  return {
    rules: rulesOf(values.rules),
    component_weights: weightsOf(COMPONENTS, values.component_weights) as SchemeCreate['component_weights'],
    rater_weights: weightsOf(RATER_GROUPS, values.rater_weights) as SchemeCreate['rater_weights'],
    full_points: dec(values.full_points),
    grade_thresholds:
      thresholds.excellent != null && thresholds.qualified != null && thresholds.basic != null
        ? { excellent: String(thresholds.excellent), qualified: String(thresholds.qualified), basic: String(thresholds.basic) }
        : null,
    excellent_cap: numerator != null && denominator != null ? ([numerator, denominator] as [number, number]) : null,
  };
}

/** The body of `POST /scoring/schemes`. */
export function createBody(values: SchemeValues): SchemeCreate {
  return {
    org_id: values.org_id ?? 0,
    name: values.name?.trim() ?? '',
    year: values.year ?? 0,
    quarter: values.quarter ?? null,
    ...parameters(values),
  };
}

/** The body of `PATCH /scoring/schemes/{id}`: the scheme's next version (its org and period never change). */
export function updateBody(values: SchemeValues): SchemeUpdate {
  return { name: values.name?.trim() ?? null, ...parameters(values) };
}

const num = (value: string | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

/** A stored scheme as form values, to edit its next version. */
export function valuesFromScheme(scheme: SchemeRead): SchemeValues {
  return {
    org_id: scheme.org_id,
    name: scheme.name,
    year: scheme.year,
    quarter: scheme.quarter,
    rules: scheme.rules.map((rule) => ({
      source: rule.source,
      points_per_unit: Number(rule.points_per_unit),
      cap: num(rule.cap),
      period: rule.period,
      label: rule.label,
      categories: rule.categories,
    })),
    component_weights: Object.fromEntries(COMPONENTS.map((key) => [key, num(scheme.component_weights[key])])),
    rater_weights: Object.fromEntries(RATER_GROUPS.map((key) => [key, num(scheme.rater_weights[key])])),
    full_points: Number(scheme.full_points),
    grade_thresholds: {
      excellent: num(scheme.grade_thresholds.excellent),
      qualified: num(scheme.grade_thresholds.qualified),
      basic: num(scheme.grade_thresholds.basic),
    },
    excellent_cap: [scheme.excellent_cap[0], scheme.excellent_cap[1]],
  };
}
