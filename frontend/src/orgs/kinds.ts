import type { OrgKind } from '../api';
import { t } from '../i18n';

/** Tag colours by rank, from committee (red) down to group. */
const KIND_COLORS: Record<OrgKind, string> = {
  committee: 'red',
  working_committee: 'volcano',
  general_branch: 'orange',
  branch: 'gold',
  group: 'blue',
};

/** Kinds from the top of the hierarchy down, for listing counts in a stable order. */
export const ORG_KINDS = Object.keys(KIND_COLORS) as OrgKind[];

export function orgKindLabel(kind: OrgKind): string {
  return t.org.kinds[kind];
}

export function orgKindColor(kind: OrgKind): string {
  return KIND_COLORS[kind];
}
