import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Skeleton, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { getDevelopmentTimeline, type MemberRead, type NextStepRead, type StepRead, type TimelineRead } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDate, formatOptionalDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { StepDialog, type DialogKind } from './StepDialog';

const d = t.development;
const empty = t.common.empty;

const APPROVAL_COLORS: Record<StepRead['approval_status'], string> = {
  not_required: 'default',
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  lapsed: 'default',
};

function StageSteps({ timeline }: { timeline: TimelineRead }) {
  const stages = [
    { title: d.stageDates.applied, date: timeline.applied_on },
    { title: d.stageDates.activist, date: timeline.activist_on },
    { title: d.stageDates.candidate, date: timeline.candidate_on },
    { title: d.stageDates.probationary, date: timeline.probationary_on },
    { title: d.stageDates.full, date: timeline.full_member_on },
  ];
  const current = ['applicant', 'activist', 'candidate', 'probationary', 'full'].indexOf(timeline.stage);
  return (
    <Steps
      size="small"
      current={current}
      status={timeline.stage === 'full' ? 'finish' : 'process'}
      items={stages.map(({ title, date }) => ({ title, content: formatOptionalDate(date, empty) }))}
      responsive
    />
  );
}

function NextStepCard({ next, canWrite, onAct }: { next: NextStepRead | null; canWrite: boolean; onAct: (kind: DialogKind) => void }) {
  if (!next) {
    return <Alert type="success" showIcon icon={<CheckCircleOutlined />} title={d.noNextStep} />;
  }
  const when = next.due_on ? (next.deadline ? d.dueBy(formatDate(next.due_on)) : d.eligibleFrom(formatDate(next.due_on))) : null;
  const overdue = next.days_overdue > 0;
  return (
    <Alert
      data-testid="next-step"
      type={overdue ? 'warning' : 'info'}
      showIcon
      icon={overdue ? <ExclamationCircleOutlined /> : <ClockCircleOutlined />}
      title={
        <Space wrap>
          <strong>
            {d.nextStep}：{d.steps[next.kind]}
          </strong>
          {overdue ? <Tag color="red">{d.overdue(next.days_overdue)}</Tag> : null}
        </Space>
      }
      description={
        <Space orientation="vertical" size={2}>
          {next.rule ? <span>{d.rules[next.rule]}</span> : null}
          {when ? <Typography.Text type="secondary">{when}</Typography.Text> : null}
        </Space>
      }
      action={
        canWrite ? (
          <Space orientation="vertical">
            <Button
              type="primary"
              onClick={() => {
                onAct(next.kind);
              }}
            >
              {d.advance}：{d.steps[next.kind]}
            </Button>
            {next.alternatives.map((kind) => (
              <Button
                key={kind}
                onClick={() => {
                  onAct(kind);
                }}
              >
                {d.steps[kind]}
              </Button>
            ))}
          </Space>
        ) : null
      }
    />
  );
}

function describeStep(step: StepRead): React.ReactNode {
  const people = step.people.map((p) => `${d.personRoles[p.role]}：${p.name}`).join('；');
  return (
    <Space orientation="vertical" size={2}>
      <Space wrap>
        <strong>{d.steps[step.kind]}</strong>
        {step.decided_by ? <Tag>{d.decisionBodies[step.decided_by]}</Tag> : null}
        {step.approval_status !== 'not_required' ? (
          <Tag color={APPROVAL_COLORS[step.approval_status]}>{d.approvalStatuses[step.approval_status]}</Tag>
        ) : null}
      </Space>
      {step.approved_by ? (
        <Typography.Text type="secondary">
          {step.approved_by} {formatOptionalDate(step.approved_on, '')}
        </Typography.Text>
      ) : null}
      {people ? <Typography.Text type="secondary">{people}</Typography.Text> : null}
      {step.note ? <Typography.Text type="secondary">{step.note}</Typography.Text> : null}
    </Space>
  );
}

interface Props {
  member: MemberRead;
  etag: string | null;
  /** Called after a step is recorded: the member record (stage, version) has changed. */
  onChanged: () => void;
}

/** The member's road through the development pipeline: stages, the next step due, and every step recorded. */
export function DevelopmentPanel({ member, etag, onChanged }: Props) {
  const canWrite = useCan('members:write');
  const [acting, setActing] = useState<DialogKind | null>(null);
  const timeline = useLoader(
    () => getDevelopmentTimeline({ path: { member_id: member.id } }).then(({ data }) => data),
    `${member.id}|${member.version}`,
  );

  // The dialog outlives a reload of the record (after a 412), so it is kept apart from the content.
  const dialog = acting ? (
    <StepDialog
      kind={acting}
      member={member}
      etag={etag}
      onClose={() => {
        setActing(null);
      }}
      onDone={() => {
        setActing(null);
        onChanged();
      }}
      onStale={onChanged}
    />
  ) : null;

  return (
    <>
      {timeline.error ? (
        <Alert type="error" showIcon title={errorMessage(timeline.error)} />
      ) : timeline.data ? (
        <TimelineView timeline={timeline.data} member={member} canWrite={canWrite} onAct={setActing} />
      ) : (
        <Skeleton active />
      )}
      {dialog}
    </>
  );
}

interface ViewProps {
  timeline: TimelineRead;
  member: MemberRead;
  canWrite: boolean;
  onAct: (kind: DialogKind) => void;
}

function TimelineView({ timeline: data, member, canWrite, onAct }: ViewProps) {
  const next = data.next;
  return (
    <Space orientation="vertical" size={20} style={{ width: '100%' }}>
      <Card size="small">
        <StageSteps timeline={data} />
        {data.probation_ends_on && data.stage === 'probationary' ? (
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
            {d.probationEnds(formatDate(data.probation_ends_on))}
          </Typography.Paragraph>
        ) : null}
      </Card>
      {member.status === 'normal' ? (
        <NextStepCard next={next} canWrite={canWrite} onAct={onAct} />
      ) : (
        <Alert type="warning" showIcon title={d.notActive} />
      )}
      {data.steps.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noSteps} />
      ) : (
        <Timeline
          mode="start"
          items={[...data.steps].reverse().map((step) => ({
            key: step.id,
            title: formatDate(step.decided_on),
            color: step.approval_status === 'pending' ? 'gold' : 'red',
            content: describeStep(step),
          }))}
        />
      )}
    </Space>
  );
}
