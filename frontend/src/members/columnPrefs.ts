/** Which optional columns of the member list are shown, remembered in localStorage per browser. */

export const MEMBER_COLUMNS = [
  'gender',
  'age',
  'birthDate',
  'ethnicity',
  'idNumber',
  'phone',
  'education',
  'occupation',
  'category',
  'stage',
  'probationaryOn',
  'org',
  'status',
] as const;

export type MemberColumn = (typeof MEMBER_COLUMNS)[number];

export const DEFAULT_COLUMNS: MemberColumn[] = ['gender', 'age', 'idNumber', 'education', 'category', 'stage', 'probationaryOn', 'org'];

const STORAGE_KEY = 'vanguard.members.columns';

export function loadColumns(): MemberColumn[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(parsed)) {
      const known = new Set<string>(MEMBER_COLUMNS);
      return MEMBER_COLUMNS.filter((column) => known.has(column) && parsed.includes(column));
    }
  } catch {
    // A corrupt entry falls back to the defaults.
  }
  return DEFAULT_COLUMNS;
}

export function saveColumns(columns: MemberColumn[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(columns));
}
