import { AlertOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tabs, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listTasks, type TaskRead } from '../api';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { todayInChina } from '../lib/dates';
import { formatOptionalDate } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { CloseTaskDialog, EventDialog } from './dialogs';
import { TASK_STATUS_COLORS } from './labels';
import { daysBetween, loadOverdueFirst, taskOverdue } from './pairingQuery';
import { helperLabel, LOADING, useUserNames } from './useNames';
import { useMemberNames } from '../components/useNames';

const p = t.pairing;
const f = p.fields;
const empty = t.common.empty;

type TaskTab = 'all' | 'overdue';

interface TaskPage {
  items: TaskRead[];
  next_cursor: string | null;
}

function Deadline({ task, today }: { task: TaskRead; today: string }) {
  const date = formatOptionalDate(task.due_on, empty);
  if (task.status !== 'open') return <>{date}</>;
  const days = daysBetween(today, task.due_on);
  return (
    <Space size={4} wrap>
      <span>{date}</span>
      {days < 0 ? <Tag color="red">{p.overdueDays(-days)}</Tag> : <Typography.Text type="secondary">{p.dueIn(days)}</Typography.Text>}
    </Space>
  );
}

/**
 * 四必访任务: must-visit tasks opened by events (illness, hardship, dispute, wedding/funeral), overdue
 * ones first; a writer records an event (opening a task) or closes one by hand.
 */
export function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan('members:write');
  const canReadUsers = useCan('users:read');
  const tab: TaskTab = params.get('tab') === 'overdue' ? 'overdue' : 'all';
  const org = Number(params.get('org')) || undefined;
  const [today] = useState(() => todayInChina());
  const [pageSize, setPageSize] = useState(20);
  const [reloadKey, setReloadKey] = useState(0);
  const queryKey = `${tab}|${String(org)}|${String(pageSize)}|${String(reloadKey)}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<TaskPage>(() => {
    const fetchPage = (overdue: boolean, limit: number, cursor: string | undefined) =>
      listTasks({ query: { org_id: org, overdue, limit, cursor } }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null }));
    return tab === 'overdue' ? fetchPage(true, pageSize, keyset.cursor) : loadOverdueFirst(fetchPage, pageSize, keyset.cursor);
  }, `${queryKey}|${keyset.cursor ?? ''}`);
  const items = page.data?.items ?? [];
  const members = useMemberNames(items.flatMap((task) => [task.member_id, task.helper_member_id]));
  const users = useUserNames(
    items.map((task) => task.helper_user_id),
    canReadUsers,
  );
  const orgNames = useOrgNames(items.map((task) => task.org_id));
  const [closing, setClosing] = useState<TaskRead | null>(null);
  const [recording, setRecording] = useState(false);

  const apply = (next: { tab?: TaskTab; org?: number }) => {
    const merged = { tab, org, ...next };
    const search = new URLSearchParams();
    if (merged.tab === 'overdue') search.set('tab', 'overdue');
    if (merged.org) search.set('org', String(merged.org));
    setParams(search);
  };
  const label = (task: TaskRead) => `${members[task.member_id] ?? LOADING} · ${p.events[task.event]}`;

  const columns: TableProps<TaskRead>['columns'] = [
    { key: 'id', title: f.id, width: 72, render: (_, task) => <span className="mono">#{task.id}</span> },
    { key: 'member', title: f.member, render: (_, task) => <Link to={`/members/${String(task.member_id)}`}>{members[task.member_id] ?? LOADING}</Link> },
    { key: 'event', title: f.event, render: (_, task) => p.events[task.event] },
    { key: 'occurred', title: f.occurredOn, render: (_, task) => formatOptionalDate(task.occurred_on, empty) },
    { key: 'note', title: f.note, render: (_, task) => task.note ?? empty },
    { key: 'due', title: f.dueOn, render: (_, task) => <Deadline task={task} today={today} /> },
    {
      key: 'responsible',
      title: f.responsible,
      render: (_, task) => (task.pair_id ? <Link to={`/pairing/pairs/${String(task.pair_id)}`}>{helperLabel(task, members, users)}</Link> : helperLabel(task, members, users)),
    },
    { key: 'org', title: f.org, render: (_, task) => orgNames[task.org_id] ?? empty },
    {
      key: 'status',
      title: f.taskStatus,
      render: (_, task) => (
        <Space size={4} wrap>
          <Tag color={TASK_STATUS_COLORS[task.status]}>{p.taskStatuses[task.status]}</Tag>
          {taskOverdue(task, today) ? <Tag color="red">{p.overdueTag}</Tag> : null}
          {task.close_reason ? <Typography.Text type="secondary">{task.close_reason}</Typography.Text> : null}
        </Space>
      ),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: t.common.actions,
            fixed: 'right' as const,
            render: (_: unknown, task: TaskRead) =>
              task.status === 'open' ? (
                <Button
                  size="small"
                  onClick={() => {
                    setClosing(task);
                  }}
                >
                  {p.closeTask}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          <AlertOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {p.tasksTitle}
        </Space>
      }
      extra={
        <Space>
          <Link to="/pairing">{p.ledgerTitle}</Link>
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setRecording(true);
              }}
            >
              {p.recordEvent}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(next) => {
          apply({ tab: next as TaskTab });
        }}
        items={(['all', 'overdue'] as const).map((key) => ({ key, label: p.taskTabs[key] }))}
        style={{ marginTop: -12 }}
      />
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <OrgPicker
          aria-label={f.org}
          value={org ?? null}
          onChange={(next) => {
            apply({ org: next ?? undefined });
          }}
        />
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} /> : null}
      <div data-testid="task-table">
        <Table<TaskRead>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(task) => (taskOverdue(task, today) ? 'row-overdue' : '')}
          locale={{ emptyText: p.noTasks }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} info={p.onPage(items.length)} />
      {closing ? (
        <CloseTaskDialog
          task={closing}
          label={label(closing)}
          onClose={() => {
            setClosing(null);
          }}
          onDone={() => {
            setClosing(null);
            setReloadKey((n) => n + 1);
          }}
          onStale={page.reload}
        />
      ) : null}
      {recording ? (
        <EventDialog
          orgId={org}
          onClose={() => {
            setRecording(false);
          }}
          onDone={() => {
            setRecording(false);
            setReloadKey((n) => n + 1);
          }}
        />
      ) : null}
    </Card>
  );
}
