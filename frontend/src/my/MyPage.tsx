import { IdcardOutlined } from '@ant-design/icons';
import { Alert, Card, Result, Skeleton, Space } from 'antd';
import { getMember, getScoringResult, type MemberRead, type ResultRead } from '../api';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { useLoader } from '../lib/useLoader';
import { MemberRecord } from '../members/MemberRecord';
import { StudyArchiveTab } from '../members/StudyArchiveTab';
import { ResultSummary } from '../scoring/ExplanationDrawer';

const m = t.my;

/** The latest published score of the signed-in member, explained; before publishing, a plain "not yet". */
function MyScore({ memberId }: { memberId: number }) {
  const loaded = useLoader<ResultRead>(() => getScoringResult({ path: { member_id: memberId } }).then(({ data }) => data), String(memberId));
  let body: React.ReactNode;
  if (loaded.error instanceof ApiError && loaded.error.status === 404) {
    body = <Result status="info" title={m.notPublished} subTitle={m.notPublishedDetail} data-testid="my-score-pending" />;
  } else if (loaded.error) {
    body = <Alert type="error" showIcon title={errorMessage(loaded.error)} />;
  } else if (!loaded.data) {
    body = <Skeleton active />;
  } else {
    body = <ResultSummary result={loaded.data} />;
  }
  return (
    <Card title={m.scoreTitle} data-testid="my-score">
      {body}
    </Card>
  );
}

/** The member's own record, masked as the API gives it to a caller without `pii`. */
function MyRecord({ memberId }: { memberId: number }) {
  const loaded = useLoader<MemberRead>(() => getMember({ path: { member_id: memberId } }).then(({ data }) => data), String(memberId));
  return (
    <Card title={m.recordTitle} data-testid="my-record">
      {loaded.error ? <Alert type="error" showIcon title={errorMessage(loaded.error)} /> : loaded.data ? <MemberRecord member={loaded.data} /> : <Skeleton active />}
    </Card>
  );
}

/** A member's own page (账号关联了党员档案): their score once published, their record and their study archive. */
export function MyPage() {
  const { user } = useAuth();
  const memberId = user?.member_id ?? null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <h2 className="page-title">
        <Space>
          <IdcardOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {user ? `${m.title} · ${user.display_name}` : m.title}
        </Space>
      </h2>
      {memberId === null ? (
        <Result status="info" title={m.notLinked} />
      ) : (
        <>
          <MyScore memberId={memberId} />
          <MyRecord memberId={memberId} />
          <Card title={m.studyTitle} data-testid="my-study">
            <StudyArchiveTab memberId={memberId} />
          </Card>
        </>
      )}
    </Space>
  );
}
