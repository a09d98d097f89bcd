import type { Grade, PublicBallot, PublicSheetMember } from '../api';

/** The grade chosen for each member so far (members left out are not rated). */
export type Grades = Partial<Record<number, Grade>>;

/** The sheet's ballots: one per rated member, in the sheet's order; members the rater left out are skipped. */
export function toBallots(members: readonly PublicSheetMember[], grades: Grades): PublicBallot[] {
  return members.flatMap(({ member_id }) => {
    const grade = grades[member_id];
    return grade ? [{ member_id, grade }] : [];
  });
}

/** The address of a token's ballot sheet, to hand to the masses (a link or a QR code). */
export function sheetLink(origin: string, token: string): string {
  return `${origin}/public/scoring/sheets/${encodeURIComponent(token)}`;
}
