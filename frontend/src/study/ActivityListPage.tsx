import { BookOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Select, Space, Table, Tag, type TableProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { listActivities, type ActivityKind, type ActivityRead, type PageActivityRead } from '../api';
import { useAuth } from '../auth/authContext';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { ActivityForm } from './ActivityForm';
import { KIND_COLORS } from './kinds';

const s = t.study;
const empty = t.common.empty;

/** Study activities of an organisation's subtree, newest first, with filters in the address bar. */
export function ActivityListPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { user } = useAuth();
  const canWrite = useCan('members:write');
  const [creating, setCreating] = useState(false);
  const [pageSize, setPageSize] = useState(20);

  const org = params.get('org') ? Number(params.get('org')) : undefined;
  const kind = (params.get('kind') ?? undefined) as ActivityKind | undefined;
  const start = params.get('start') ?? undefined;
  const end = params.get('end') ?? undefined;
  const queryKey = `${params.toString()}|${pageSize}`;
  const keyset = useKeyset(queryKey);

  const page = useLoader<PageActivityRead>(
    () =>
      listActivities({ query: { org_id: org, kind, start, end, limit: pageSize, cursor: keyset.cursor } }).then(({ data }) => data),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const items = page.data?.items ?? [];
  const orgNames = useOrgNames(items.map((activity) => activity.org_id));

  const update = (changes: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === null || value === '') next.delete(name);
      else next.set(name, String(value));
    }
    setParams(next);
  };

  const columns: TableProps<ActivityRead>['columns'] = [
    { key: 'startsAt', title: s.fields.startsAt, width: 170, render: (_, a) => formatDateTime(a.starts_at) },
    { key: 'kind', title: s.fields.kind, render: (_, a) => <Tag color={KIND_COLORS[a.kind]}>{s.kinds[a.kind]}</Tag> },
    { key: 'topic', title: s.fields.topic, render: (_, a) => <Link to={`/study/${a.id}`}>{a.topic}</Link> },
    { key: 'org', title: s.fields.org, render: (_, a) => orgNames[a.org_id] ?? empty },
    { key: 'place', title: s.fields.place, render: (_, a) => a.place ?? empty },
    { key: 'presenter', title: s.fields.presenter, render: (_, a) => a.presenter ?? empty },
    { key: 'hours', title: s.fields.hours, align: 'right', render: (_, a) => a.hours },
    {
      key: 'actions',
      title: t.common.actions,
      fixed: 'right',
      render: (_, a) => <Link to={`/study/${a.id}`}>{s.attendance}</Link>,
    },
  ];

  return (
    <Card
      title={
        <Space>
          <BookOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {s.listTitle}
        </Space>
      }
      extra={
        canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setCreating(true);
            }}
          >
            {s.create}
          </Button>
        ) : null
      }
    >
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <OrgPicker aria-label={s.fields.org} value={org ?? null} onChange={(value) => {
            update({ org: value });
          }} />
        <Select
          aria-label={s.kindFilter}
          allowClear
          placeholder={s.kindFilter}
          value={kind}
          onChange={(value: ActivityKind | undefined) => {
            update({ kind: value });
          }}
          options={optionsOf(s.kinds)}
          style={{ width: 160 }}
        />
        <DatePicker.RangePicker
          aria-label={s.dateRange}
          value={[start ? dayjs(start) : null, end ? dayjs(end) : null]}
          onChange={(range) => {
            update({ start: range?.[0]?.format('YYYY-MM-DD') ?? null, end: range?.[1]?.format('YYYY-MM-DD') ?? null });
          }}
          allowEmpty={[true, true]}
        />
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} /> : null}
      <Table<ActivityRead>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={page.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: s.noActivities }}
      />
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {creating ? (
        <ActivityForm
          defaultOrgId={org ?? user?.org_id ?? null}
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(activity) => {
            setCreating(false);
            void navigate(`/study/${activity.id}`);
          }}
        />
      ) : null}
    </Card>
  );
}
