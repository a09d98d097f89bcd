import type { PetitionCreate, PetitionKind, SubjectKind } from '../api';

/** What the filing form holds; only the fields of the chosen kind (and target) are sent. */
export interface FileValues {
  kind: PetitionKind;
  title: string;
  content: string;
  contact_phone?: string;
  subject_kind?: SubjectKind;
  subject_id?: number | null;
  /** A report is about a member or an organisation. */
  target?: 'member' | 'org';
  concerned_member_id?: number | null;
  concerned_org_id?: number | null;
}

/**
 * The body of `POST /petitions`: an appeal names the decision only, a report a member or an org
 * (exactly one), a criticism an org; the phone only when given.
 */
export function fileBody(values: FileValues): PetitionCreate {
  const phone = values.contact_phone?.trim();
  const body: PetitionCreate = { kind: values.kind, title: values.title.trim(), content: values.content.trim() };
  if (phone) body.contact_phone = phone;
  if (values.kind === 'appeal') {
    body.subject_kind = values.subject_kind ?? null;
    body.subject_id = values.subject_id ?? null;
  } else if (values.kind === 'report' && values.target === 'member') {
    body.concerned_member_id = values.concerned_member_id ?? null;
  } else {
    body.concerned_org_id = values.concerned_org_id ?? null;
  }
  return body;
}
