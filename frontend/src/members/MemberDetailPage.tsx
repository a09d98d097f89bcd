import { ArrowLeftOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Avatar, Badge, Button, Card, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { getMember, type MemberRead } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { DevelopmentPanel } from './DevelopmentPanel';
import { STAGE_COLORS } from './labels';
import { MemberRecord } from './MemberRecord';
import { MemberScore } from './MemberScore';
import { DuesTab, PostsTab, TransfersTab } from './MemberTabs';
import { PairingTab } from './PairingTab';
import { StudyArchiveTab } from './StudyArchiveTab';

interface Loaded {
  member: MemberRead;
  etag: string | null;
}

/** One member: the record, the development timeline with its next step, transfers, dues and posts. */
export function MemberDetailPage() {
  const { memberId } = useParams();
  const navigate = useNavigate();
  const canReadScores = useCan('scoring:read');
  const id = Number(memberId);
  const loaded = useLoader<Loaded>(
    () =>
      getMember({ path: { member_id: id } }).then(({ data, response }) => ({
        member: data,
        etag: response.headers.get('ETag'),
      })),
    String(id),
  );

  const back = (
    <Button
      icon={<ArrowLeftOutlined />}
      onClick={() => {
        void navigate(-1);
      }}
    >
      {t.common.back}
    </Button>
  );

  if (loaded.error) {
    const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
    return notFound ? (
      <Result status="404" title={t.common.notFound} extra={back} />
    ) : (
      <Alert type="error" showIcon title={errorMessage(loaded.error)} action={back} />
    );
  }
  if (!loaded.data) {
    return (
      <Card>
        <Skeleton active avatar />
      </Card>
    );
  }
  const { member, etag } = loaded.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div className="page-title">
          {back}
          <Avatar size={48} icon={<UserOutlined />} style={{ background: 'var(--ant-color-primary)' }} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="member-name">
              {member.name}
            </Typography.Title>
            <Space wrap size={8} style={{ marginTop: 4 }}>
              <Tag color={STAGE_COLORS[member.stage]} data-testid="member-stage">
                {t.member.stages[member.stage]}
              </Tag>
              <Badge status={member.status === 'normal' ? 'success' : 'default'} text={t.member.statuses[member.status]} />
              <Typography.Text type="secondary">{member.org_name}</Typography.Text>
              <Typography.Text type="secondary">· {formatDateTime(member.updated_at)}</Typography.Text>
            </Space>
          </div>
        </div>
      </Card>
      <Card>
        <Tabs
          defaultActiveKey="development"
          items={[
            {
              key: 'record',
              label: t.member.tabs.record,
              children: <MemberRecord member={member} />,
            },
            {
              key: 'development',
              label: t.member.tabs.development,
              children: <DevelopmentPanel member={member} etag={etag} onChanged={loaded.reload} />,
            },
            { key: 'study', label: t.member.tabs.study, children: <StudyArchiveTab memberId={member.id} /> },
            { key: 'transfers', label: t.member.tabs.transfers, children: <TransfersTab memberId={member.id} /> },
            { key: 'dues', label: t.member.tabs.dues, children: <DuesTab memberId={member.id} /> },
            { key: 'posts', label: t.member.tabs.posts, children: <PostsTab memberId={member.id} /> },
            { key: 'pairing', label: t.member.tabs.pairing, children: <PairingTab memberId={member.id} /> },
            ...(canReadScores
              ? [
                  {
                    key: 'score',
                    label: t.member.tabs.score,
                    children: <MemberScore memberId={member.id} none={{ title: t.member.noScore, detail: t.member.noScoreDetail }} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
