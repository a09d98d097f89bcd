import { ArrowLeftOutlined, CheckOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Input, Radio, Result, Skeleton, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { getActivity, listAttendance, setAttendance, type ActivityRead, type AttendanceRead, type AttendanceStatus } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { draftFrom, missingReasons, rowErrors, tally, toEntries, type Draft } from './attendance';
import { KIND_COLORS } from './kinds';
import { MakeupDialog } from './MakeupDialog';

const s = t.study;
const a = t.attendanceTaking;
const empty = t.common.empty;
const STATUSES: AttendanceStatus[] = ['present', 'excused', 'absent'];

function ActivitySummary({ activity }: { activity: ActivityRead }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3 }}
      items={[
        { key: 'kind', label: s.fields.kind, children: <Tag color={KIND_COLORS[activity.kind]}>{s.kinds[activity.kind]}</Tag> },
        { key: 'time', label: s.fields.startsAt, children: formatDateTime(activity.starts_at) },
        { key: 'place', label: s.fields.place, children: activity.place ?? empty },
        { key: 'presenter', label: s.fields.presenter, children: activity.presenter ?? empty },
        { key: 'hours', label: s.fields.hours, children: activity.hours },
        ...(activity.content ? [{ key: 'content', label: s.fields.content, span: 3, children: activity.content }] : []),
        ...(activity.materials.length
          ? [
              {
                key: 'materials',
                label: s.fields.materials,
                span: 3,
                children: (
                  <Space orientation="vertical" size={0}>
                    {activity.materials.map((url) => (
                      <a key={url} href={url} target="_blank" rel="noreferrer noopener">
                        {url}
                      </a>
                    ))}
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

interface RollProps {
  activity: ActivityRead;
  rows: AttendanceRead[];
  onSaved: (rows: AttendanceRead[]) => void;
  /** A make-up was recorded for this member. */
  onMadeUp: (memberId: number) => void;
}

/** The roll of expected attendees, marked present / excused (with a reason) / absent and saved in one request. */
function AttendanceRoll({ activity, rows, onSaved, onMadeUp }: RollProps) {
  const { message } = App.useApp();
  const canWrite = useCan('members:write');
  const [draft, setDraft] = useState<Draft>(() => draftFrom(rows));
  const [errors, setErrors] = useState<Record<number, string[]>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [makingUp, setMakingUp] = useState<AttendanceRead | null>(null);
  const [openedAt] = useState(() => Date.now());
  const started = new Date(activity.starts_at).getTime() <= openedAt;
  const editable = canWrite && started;
  const counts = tally(rows, draft);

  const mark = (memberId: number, change: Partial<Draft[number]>) => {
    setDraft((current) => ({ ...current, [memberId]: { status: null, reason: '', ...current[memberId], ...change } }));
    setErrors((current) => {
      return Object.fromEntries(Object.entries(current).filter(([id]) => Number(id) !== memberId));
    });
  };

  const allPresent = () => {
    setDraft(Object.fromEntries(rows.map((row) => [row.member_id, { status: 'present' as const, reason: '' }])));
    setErrors({});
  };

  const save = async () => {
    setProblem(null);
    const missing = missingReasons(draft);
    if (missing.length > 0) {
      setErrors(Object.fromEntries(missing.map((memberId) => [memberId, [a.reasonRequired]])));
      setProblem(a.reasonRequired);
      return;
    }
    const entries = toEntries(rows, draft);
    if (entries.length === 0) {
      setProblem(a.nothingToSubmit);
      return;
    }
    setSaving(true);
    try {
      const { data } = await setAttendance({ path: { activity_id: activity.id }, body: { entries } });
      void message.success(a.saved);
      setErrors({});
      onSaved(data);
      setDraft(draftFrom(data));
    } catch (caught) {
      setProblem(errorMessage(caught));
      setErrors(rowErrors(caught, entries));
    } finally {
      setSaving(false);
    }
  };

  const columns: TableProps<AttendanceRead>['columns'] = [
    { key: 'no', title: '#', width: 56, render: (_, _row, index) => index + 1 },
    {
      key: 'name',
      title: t.member.fields.name,
      width: 140,
      render: (_, row) => (
        <Space size={6}>
          <Link to={`/members/${row.member_id}`}>{row.member_name}</Link>
          {row.made_up ? <Tag color="green">{a.madeUp}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'status',
      title: a.title,
      render: (_, row) => {
        const status = draft[row.member_id]?.status ?? null;
        return editable ? (
          <Radio.Group
            aria-label={`${row.member_name} ${a.title}`}
            optionType="button"
            buttonStyle="solid"
            value={status}
            onChange={(event) => {
              mark(row.member_id, { status: event.target.value as AttendanceStatus });
            }}
            options={STATUSES.map((value) => ({ value, label: a.statuses[value] }))}
          />
        ) : status ? (
          a.statuses[status]
        ) : (
          <Typography.Text type="secondary">{a.unrecorded}</Typography.Text>
        );
      },
    },
    {
      key: 'reason',
      title: a.reason,
      render: (_, row) => {
        const current = draft[row.member_id];
        const rowError = errors[row.member_id];
        return (
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            {current?.status === 'excused' && editable ? (
              <Input
                aria-label={`${row.member_name} ${a.reason}`}
                value={current.reason}
                status={rowError ? 'error' : undefined}
                placeholder={a.reasonPlaceholder}
                maxLength={200}
                onChange={(event) => {
                  mark(row.member_id, { reason: event.target.value });
                }}
              />
            ) : (
              (current?.status === 'excused' && current.reason) || null
            )}
            {rowError ? <Typography.Text type="danger">{rowError.join('；')}</Typography.Text> : null}
          </Space>
        );
      },
    },
    ...(canWrite
      ? [
          {
            key: 'makeup',
            title: t.common.actions,
            render: (_: unknown, row: AttendanceRead) =>
              // Only a recorded absence or leave can be made up, and only once.
              (row.status === 'absent' || row.status === 'excused') && !row.made_up ? (
                <Button
                  size="small"
                  onClick={() => {
                    setMakingUp(row);
                  }}
                >
                  {a.makeup}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space wrap>
          {a.title}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="attendance-tally">
            {a.summary(counts.present, counts.excused, counts.absent, counts.unrecorded)}
          </Typography.Text>
        </Space>
      }
      extra={
        editable ? (
          <Space>
            <Button icon={<CheckOutlined />} onClick={allPresent}>
              {a.allPresent}
            </Button>
            <Button type="primary" loading={saving} onClick={() => void save()}>
              {a.submit}
            </Button>
          </Space>
        ) : null
      }
    >
      {!started ? <Alert type="info" showIcon title={a.notStarted} style={{ marginBottom: 16 }} /> : null}
      {started && !canWrite ? <Alert type="info" showIcon title={a.readOnly} style={{ marginBottom: 16 }} /> : null}
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Table<AttendanceRead>
        rowKey="member_id"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        rowClassName={(row) => (errors[row.member_id] ? 'row-error' : '')}
        locale={{ emptyText: a.emptyRoll }}
        scroll={{ x: 'max-content' }}
      />
      {makingUp ? (
        <MakeupDialog
          activityId={activity.id}
          activityHours={activity.hours}
          row={makingUp}
          onClose={() => {
            setMakingUp(null);
          }}
          onDone={() => {
            setMakingUp(null);
            onMadeUp(makingUp.member_id);
          }}
        />
      ) : null}
    </Card>
  );
}

/** One study activity: what, when and where, and its attendance. */
export function ActivityPage() {
  const { activityId } = useParams();
  const navigate = useNavigate();
  const id = Number(activityId);
  const activity = useLoader(() => getActivity({ path: { activity_id: id } }).then(({ data }) => data), String(id));
  const roll = useLoader(() => listAttendance({ path: { activity_id: id } }).then(({ data }) => data), String(id));
  // Saved rows replace the loaded roll without another round trip.
  const [saved, setSaved] = useState<{ id: number; rows: AttendanceRead[] } | null>(null);
  const rows = saved?.id === id ? saved.rows : roll.data;

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
  const error: unknown = activity.error ?? roll.error;
  if (error) {
    return error instanceof ApiError && error.status === 404 ? (
      <Result status="404" title={t.common.notFound} extra={back} />
    ) : (
      <Alert type="error" showIcon title={errorMessage(error)} action={back} />
    );
  }
  if (!activity.data || !rows) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div className="page-title" style={{ marginBottom: 12 }}>
          {back}
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="activity-topic">
            {activity.data.topic}
          </Typography.Title>
        </div>
        <ActivitySummary activity={activity.data} />
      </Card>
      <AttendanceRoll
        key={id}
        activity={activity.data}
        rows={rows}
        onSaved={(next) => {
          setSaved({ id, rows: next });
        }}
        onMadeUp={(memberId) => {
          setSaved({ id, rows: rows.map((row) => (row.member_id === memberId ? { ...row, made_up: true } : row)) });
        }}
      />
    </Space>
  );
}
