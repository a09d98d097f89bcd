import type { Category, Education, Gender, ListMembersData, MemberSort, MemberStatus, Stage } from '../api';

/** The member list's filters, as kept in the address bar (so a reload or Back restores them). */
export interface MemberFilters {
  org?: number;
  q?: string;
  category?: Category;
  stage?: Stage;
  gender?: Gender;
  education?: Education;
  status?: MemberStatus;
  ageMin?: number;
  ageMax?: number;
  joinYear?: number;
  sort?: MemberSort;
  desc?: boolean;
}

const nonBlank = (text: string | undefined): string | undefined => {
  const trimmed = text?.trim();
  return trimmed === '' ? undefined : trimmed;
};

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isInteger(parsed) ? parsed : undefined;
};

export function filtersFromParams(params: URLSearchParams): MemberFilters {
  const text = (name: string) => params.get(name) ?? undefined;
  return {
    org: num(params.get('org')),
    q: text('q'),
    category: text('category') as Category | undefined,
    stage: text('stage') as Stage | undefined,
    gender: text('gender') as Gender | undefined,
    education: text('education') as Education | undefined,
    status: text('status') as MemberStatus | undefined,
    ageMin: num(params.get('age_min')),
    ageMax: num(params.get('age_max')),
    joinYear: num(params.get('join_year')),
    sort: text('sort') as MemberSort | undefined,
    desc: params.get('desc') === '1' ? true : undefined,
  };
}

export function filtersToParams(filters: MemberFilters): URLSearchParams {
  const entries: [string, string | number | boolean | undefined][] = [
    ['org', filters.org],
    ['q', nonBlank(filters.q)],
    ['category', filters.category],
    ['stage', filters.stage],
    ['gender', filters.gender],
    ['education', filters.education],
    ['status', filters.status],
    ['age_min', filters.ageMin],
    ['age_max', filters.ageMax],
    ['join_year', filters.joinYear],
    ['sort', filters.sort],
    ['desc', filters.desc ? '1' : undefined],
  ];
  const params = new URLSearchParams();
  for (const [name, value] of entries) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params;
}

/** The `GET /members` query for these filters, one page. */
export function toQuery(filters: MemberFilters, limit: number, cursor: string | undefined): NonNullable<ListMembersData['query']> {
  return {
    org_id: filters.org,
    q: nonBlank(filters.q),
    category: filters.category,
    stage: filters.stage,
    gender: filters.gender,
    education: filters.education,
    status: filters.status,
    age_min: filters.ageMin,
    age_max: filters.ageMax,
    join_year: filters.joinYear,
    sort: filters.sort,
    descending: filters.desc,
    limit,
    cursor,
  };
}
