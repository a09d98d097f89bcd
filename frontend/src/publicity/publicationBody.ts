import type { Dayjs } from 'dayjs';
import type { Audience, Grade, PublicationCreate, PublicationKind, PublicationUpdate } from '../api';

/**
 * The fields each kind may carry besides the common title, body, audience and period — the backend's
 * allow-list (`KIND_FIELDS`). The dialog offers these and nothing else, and the body sends only these.
 */
export const KIND_FIELDS: Record<PublicationKind, readonly KindField[]> = {
  meeting_resolution: ['meeting_on'],
  candidate_notice: ['member_id'],
  evaluation_results: ['year', 'grades'],
  dues_report: ['year', 'totals'],
  pledge_results: ['year', 'pledges'],
};

export type KindField = 'meeting_on' | 'member_id' | 'year' | 'grades' | 'totals' | 'pledges';

export interface GradeValue {
  member_id?: number | null;
  grade?: Grade;
}

export interface PledgeValue {
  member_id?: number | null;
  pledge?: string;
  kept?: boolean;
}

export interface TotalsValue {
  collected?: number | null;
  remitted?: number | null;
  spent?: number | null;
  balance?: number | null;
}

export interface PublicationValues {
  org_id?: number | null;
  kind?: PublicationKind;
  audience?: Audience;
  title?: string;
  body?: string;
  starts_on?: Dayjs | null;
  ends_on?: Dayjs | null;
  meeting_on?: Dayjs | null;
  member_id?: number | null;
  year?: number | null;
  grades?: GradeValue[];
  pledges?: PledgeValue[];
  totals?: TotalsValue;
}

const day = (value: Dayjs | null | undefined): string | undefined => value?.format('YYYY-MM-DD');

/** The kind's own fields from the form, nothing of another kind's. */
function kindFields(kind: PublicationKind, values: PublicationValues): Partial<PublicationCreate> {
  const body: Partial<PublicationCreate> = {};
  for (const field of KIND_FIELDS[kind]) {
    switch (field) {
      case 'meeting_on':
        body.meeting_on = day(values.meeting_on) ?? null;
        break;
      case 'member_id':
        body.member_id = values.member_id ?? null;
        break;
      case 'year':
        body.year = values.year ?? null;
        break;
      case 'grades':
        body.grades = (values.grades ?? []).map((row) => ({ member_id: row.member_id ?? 0, grade: row.grade ?? 'qualified' }));
        break;
      case 'pledges':
        body.pledges = (values.pledges ?? []).map((row) => ({ member_id: row.member_id ?? 0, pledge: row.pledge?.trim() ?? '', kept: row.kept ?? false }));
        break;
      case 'totals': {
        const totals = values.totals ?? {};
        body.totals = { collected: totals.collected ?? 0, remitted: totals.remitted ?? 0, spent: totals.spent ?? 0, balance: totals.balance ?? 0 };
        break;
      }
    }
  }
  return body;
}

function common(values: PublicationValues) {
  return {
    audience: values.audience ?? 'members',
    title: values.title?.trim() ?? '',
    body: values.body?.trim() ? values.body.trim() : null,
    starts_on: day(values.starts_on) ?? '',
    ends_on: day(values.ends_on) ?? '',
  };
}

/** A new draft: org, kind, the common fields and the kind's own. */
export function toCreateBody(values: PublicationValues): PublicationCreate {
  const kind = values.kind ?? 'meeting_resolution';
  return { org_id: values.org_id ?? 0, kind, ...common(values), ...kindFields(kind, values) };
}

/** A draft's changes: org and kind are fixed; the common fields and the kind's own. */
export function toUpdateBody(kind: PublicationKind, values: PublicationValues): PublicationUpdate {
  return { ...common(values), ...kindFields(kind, values) };
}
