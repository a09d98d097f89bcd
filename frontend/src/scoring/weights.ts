import type { RaterGroup } from '../api';
import { t } from '../i18n';

/** The rater groups in the order the scheme and the explanation list them. */
export const RATER_GROUPS: RaterGroup[] = ['self', 'fellow', 'committee', 'superior', 'masses'];

/** The two parts of the composite score. */
export const COMPONENTS = ['points', 'evaluation'] as const;
export type Component = (typeof COMPONENTS)[number];

/** Weights as a form holds them: a number per key, possibly not filled in yet. */
export type WeightValues<K extends string = string> = Partial<Record<K, number | null | undefined>>;

// Weights carry at most four decimals (the API's `decimal_places=4`): add them as whole ten-thousandths,
// so that 0.1 + 0.2 is exactly 0.3 and a sum of 1 is never 0.9999999999999999.
const SCALE = 10_000;

/** The sum of the weights filled in (blanks count as 0), exact to four decimals. */
export function weightSum(values: WeightValues): number {
  const units = Object.values(values).reduce<number>((total, value) => total + Math.round((value ?? 0) * SCALE), 0);
  return units / SCALE;
}

/** Whether the weights add up to exactly 1, as the API requires (else 422 `weights_not_one`). */
export function sumsToOne(values: WeightValues): boolean {
  return Math.round(weightSum(values) * SCALE) === SCALE;
}

/** A sum as people write it: `1`, `0.95`, `1.05` (no trailing zeros, no float noise). */
export function formatWeight(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** A form rule: the weights must add up to 1 (the API says the same with a 422). */
export const weightsRule = {
  validator: (_: unknown, value: WeightValues | undefined) =>
    sumsToOne(value ?? {}) ? Promise.resolve() : Promise.reject(new Error(t.scoring.form.weightsNotOne(formatWeight(weightSum(value ?? {}))))),
};
