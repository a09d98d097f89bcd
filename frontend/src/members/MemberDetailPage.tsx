import { ArrowLeftOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Avatar, Badge, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Tooltip, Typography, type DescriptionsProps } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { getMember, type MemberRead } from '../api';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime, formatOptionalDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { DevelopmentPanel } from './DevelopmentPanel';
import { STAGE_COLORS } from './labels';
import { DuesTab, PostsTab, TransfersTab } from './MemberTabs';
import { StudyArchiveTab } from './StudyArchiveTab';

const f = t.member.fields;
const empty = t.common.empty;

function Masked({ value, masked }: { value: string | null; masked: boolean }) {
  if (value === null) return empty;
  return (
    <Space size={4}>
      <span className="mono">{value}</span>
      {masked ? (
        <Tooltip title={t.member.maskedHint}>
          <LockOutlined aria-label={t.member.maskedHint} style={{ color: 'rgba(0,0,0,0.45)' }} />
        </Tooltip>
      ) : null}
    </Space>
  );
}

function record(member: MemberRead): DescriptionsProps['items'] {
  const date = (value: string | null) => formatOptionalDate(value, empty);
  return [
    { key: 'name', label: f.name, children: member.name },
    { key: 'gender', label: f.gender, children: t.member.genders[member.gender] },
    { key: 'ethnicity', label: f.ethnicity, children: member.ethnicity },
    { key: 'birth', label: f.birthDate, children: `${date(member.birth_date)}${member.age === null ? '' : `（${member.age}）`}` },
    { key: 'id', label: f.idNumber, children: <Masked value={member.id_number} masked={member.id_number_masked} /> },
    { key: 'phone', label: f.phone, children: <Masked value={member.phone} masked={member.id_number_masked} /> },
    { key: 'education', label: f.education, children: member.education ? t.member.educations[member.education] : empty },
    { key: 'occupation', label: f.occupation, children: member.occupation ?? empty },
    { key: 'category', label: f.category, children: t.member.categories[member.category] },
    { key: 'org', label: f.org, children: member.org_name },
    { key: 'applied', label: f.appliedOn, children: date(member.applied_on) },
    { key: 'activist', label: f.activistOn, children: date(member.activist_on) },
    { key: 'candidate', label: f.candidateOn, children: date(member.candidate_on) },
    { key: 'probationary', label: f.probationaryOn, children: date(member.probationary_on) },
    { key: 'full', label: f.fullMemberOn, children: date(member.full_member_on) },
    ...(member.left_on
      ? [
          { key: 'left', label: f.leftOn, children: date(member.left_on) },
          { key: 'leftReason', label: f.leftReason, children: member.left_reason ?? empty },
        ]
      : []),
  ];
}

interface Loaded {
  member: MemberRead;
  etag: string | null;
}

/** One member: the record, the development timeline with its next step, transfers, dues and posts. */
export function MemberDetailPage() {
  const { memberId } = useParams();
  const navigate = useNavigate();
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
              children: <Descriptions items={record(member)} column={{ xs: 1, sm: 2, xl: 3 }} bordered size="small" />,
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
          ]}
        />
      </Card>
    </Space>
  );
}
