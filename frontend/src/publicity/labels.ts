import type { PublicationKind, PublicationState } from '../api';

export const KINDS: readonly PublicationKind[] = ['meeting_resolution', 'candidate_notice', 'evaluation_results', 'dues_report', 'pledge_results'];

export const STATE_COLORS: Record<PublicationState, string> = { draft: 'default', published: 'green', withdrawn: 'orange' };

/** The ETag of a record at `version`, for If-Match. */
export const etagOf = (version: number): string => `"${String(version)}"`;

/** The public page of an organisation's items (no login). */
export const publicPagePath = (orgId: number): string => `/public/orgs/${String(orgId)}/publications`;
