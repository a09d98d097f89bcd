import { Alert, Result, Skeleton } from 'antd';
import { getScoringResult, type ResultRead } from '../api';
import { ApiError, errorMessage } from '../lib/apiError';
import { useLoader } from '../lib/useLoader';
import { ResultSummary } from '../scoring/ExplanationDrawer';

/**
 * A member's latest score, explained line by line; `none` (a title and a detail) when there is no result
 * the caller may see yet (404: not computed, or — for the member themself — not published).
 */
export function MemberScore({ memberId, none }: { memberId: number; none: { title: string; detail?: string } }) {
  const loaded = useLoader<ResultRead>(() => getScoringResult({ path: { member_id: memberId } }).then(({ data }) => data), String(memberId));
  if (loaded.error instanceof ApiError && loaded.error.status === 404) {
    return <Result status="info" title={none.title} subTitle={none.detail} data-testid="member-score-none" />;
  }
  if (loaded.error) return <Alert type="error" showIcon title={errorMessage(loaded.error)} />;
  if (!loaded.data) return <Skeleton active />;
  return <ResultSummary result={loaded.data} />;
}
