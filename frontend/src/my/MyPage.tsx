import { IdcardOutlined } from '@ant-design/icons';
import { Alert, Card, Result, Skeleton, Space } from 'antd';
import { getMember, type MemberRead } from '../api';
import { useAuth } from '../auth/authContext';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useLoader } from '../lib/useLoader';
import { MemberRecord } from '../members/MemberRecord';
import { MemberScore } from '../members/MemberScore';
import { StudyArchiveTab } from '../members/StudyArchiveTab';

const m = t.my;

/** The latest published score of the signed-in member, explained; before publishing, a plain "not yet". */
function MyScore({ memberId }: { memberId: number }) {
  return (
    <Card title={m.scoreTitle} data-testid="my-score">
      <MemberScore memberId={memberId} none={{ title: m.notPublished, detail: m.notPublishedDetail }} />
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
