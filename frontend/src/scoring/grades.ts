import type { Grade } from '../api';
import { t } from '../i18n';

/** The grades, best first, as a ballot offers them. */
export const GRADES: readonly Grade[] = ['excellent', 'qualified', 'basic', 'unqualified'];

/** Tag colours of the grades: 优秀 in the Party's red, 不合格 plain grey. */
export const GRADE_COLORS: Record<Grade, string> = {
  excellent: 'red',
  qualified: 'green',
  basic: 'gold',
  unqualified: 'default',
};

interface Graded {
  grade: Grade | null;
  probationary: boolean;
}

/**
 * What a result row shows for the grade: probationary members take part and are ranked but are never
 * graded (民主评议: 预备党员不评定等次), whatever the row's `grade` says.
 */
export function gradeLabel({ grade, probationary }: Graded): string {
  if (probationary) return t.scoring.grades.notGraded;
  return grade ? t.scoring.grades[grade] : t.common.empty;
}

/** The tag colour for a row (probationary: none). */
export function gradeColor({ grade, probationary }: Graded): string | undefined {
  return probationary || !grade ? undefined : GRADE_COLORS[grade];
}

/** Why a grade is what it is, when the API says (`excellent_cap`, `excellent_cap_tie`, `probationary`). */
export function gradeNoteLabel(note: string | null | undefined): string | null {
  if (!note) return null;
  const notes: Record<string, string> = t.scoring.gradeNotes;
  return notes[note] ?? note;
}
