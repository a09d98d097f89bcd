import type { Stage } from '../api';
import { t } from '../i18n';

/** Tag colours along the development pipeline, from applicant to full member. */
export const STAGE_COLORS: Record<Stage, string> = {
  applicant: 'default',
  activist: 'blue',
  candidate: 'cyan',
  probationary: 'orange',
  full: 'red',
};

/** `{ value, label }` options for a Select over an enum's labels, in the labels' order. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export const stageLabel = (stage: Stage): string => t.member.stages[stage];
