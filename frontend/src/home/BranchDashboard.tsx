import { Alert, Card, Empty, Flex, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { getCompliance, listComplaints, listDevelopmentDue, listTasks, type ComplaintSummary, type DueItem, type OrgCompliance, type TaskRead } from '../api';
import { useCan } from '../auth/permissions';
import { useMemberNames } from '../components/useNames';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { todayInChina } from '../lib/dates';
import { formatDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { addDays, byUrgency, complaintEntries, developmentEntries, meetingEntries, pairingEntries, WEEK_DAYS, type DueEntry, type DueKind } from './dueThisWeek';

const h = t.home;
const LIMIT = 100;
const KIND_COLORS: Record<DueKind, string> = { development: 'purple', pairing: 'orange', complaint: 'blue', meeting: 'green' };

interface Sources {
  due: DueItem[];
  tasks: TaskRead[];
  complaints: ComplaintSummary[];
  compliance: OrgCompliance | undefined;
}

/** Everything the branch's lists need, in parallel; complaints only for callers who may read them. */
function loadSources(org: number, until: string, canComplaints: boolean): Promise<Sources> {
  const complaints = (overdue: boolean) =>
    canComplaints ? listComplaints({ query: { org_id: org, overdue, limit: LIMIT } }).then(({ data }) => data.items) : Promise.resolve([]);
  return Promise.all([
    listDevelopmentDue({ query: { org_id: org, within_days: WEEK_DAYS, limit: LIMIT } }).then(({ data }) => data.items),
    // Judged on the day after the week: open tasks due by its last day, the overdue ones included.
    listTasks({ query: { org_id: org, overdue: true, as_of: addDays(until, 1), limit: LIMIT } }).then(({ data }) => data.items),
    complaints(true),
    complaints(false),
    getCompliance({ query: { org, limit: 50 } }).then(({ data }) => data.items.find((item) => item.org_id === org)),
  ]).then(([due, tasks, overdue, rest, compliance]) => ({ due, tasks, complaints: [...overdue, ...rest], compliance }));
}

function DueRow({ entry }: { entry: DueEntry }) {
  return (
    <Flex component="li" data-testid="home-due-item" data-kind={entry.kind} justify="space-between" align="center" gap={12} style={{ padding: '12px 0', borderBottom: '1px solid var(--ant-color-split)' }}>
      <Space wrap size={8}>
        <Tag color={KIND_COLORS[entry.kind]}>{h.kinds[entry.kind]}</Tag>
        <Typography.Text strong>{entry.subject}</Typography.Text>
        <Typography.Text type="secondary">{entry.what}</Typography.Text>
        {entry.overdue ? <Tag color="red">{h.overdue}</Tag> : null}
        {entry.due ? <Typography.Text>{h.dueOn(formatDate(entry.due))}</Typography.Text> : <Tag>{h.thisPeriod}</Tag>}
      </Space>
      <Link to={entry.link} aria-label={`${t.common.view} ${entry.subject}`}>
        {t.common.view}
      </Link>
    </Flex>
  );
}

/** A branch secretary's week: development steps, must-visit tasks, complaints and meetings due, each linking to where it is handled. */
export function BranchDashboard({ org }: { org: number | null }) {
  const canComplaints = useCan('complaints:read');
  const [today] = useState(() => todayInChina());
  const until = addDays(today, WEEK_DAYS);
  const sources = useLoader<Sources | null>(() => (org ? loadSources(org, until, canComplaints) : Promise.resolve(null)), `${org ?? ''}|${until}|${canComplaints}`);
  const data = sources.data;
  const members = useMemberNames((data?.tasks ?? []).map((task) => task.member_id));
  const entries = data
    ? byUrgency([
        ...developmentEntries(data.due, t.development.rules),
        ...pairingEntries(data.tasks, t.pairing.events, members, today, until),
        ...complaintEntries(data.complaints, t.complaints.statuses, today, until),
        ...meetingEntries(data.compliance, t.study.kinds, h.meetingShortfall),
      ])
    : [];

  return (
    <Card title={h.branchTitle} data-testid="home-branch" extra={<Typography.Text type="secondary">{h.dueHint(formatDate(until))}</Typography.Text>}>
      {org ? null : <Alert type="warning" showIcon title={h.noBranch} />}
      {sources.error ? <Alert type="error" showIcon title={errorMessage(sources.error)} style={{ marginBottom: 16 }} /> : null}
      {sources.loading ? <Spin style={{ display: 'block', margin: '24px auto' }} /> : null}
      {data && entries.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={h.dueEmpty} /> : null}
      <ul aria-label={h.branchTitle} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {entries.map((entry) => (
          <DueRow key={entry.key} entry={entry} />
        ))}
      </ul>
    </Card>
  );
}
