import { Alert, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { getDuesStatement, listMemberPosts, listMemberTransfers, type PostRead, type StatementMonth, type TransferRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDateTime, formatOptionalDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { pickerToday } from '../lib/dates';

const empty = t.common.empty;

export function TransfersTab({ memberId }: { memberId: number }) {
  const transfers = useLoader(
    () => listMemberTransfers({ path: { member_id: memberId }, query: { limit: 100 } }).then(({ data }) => data.items),
    String(memberId),
  );
  if (transfers.error) return <Alert type="error" showIcon title={errorMessage(transfers.error)} />;
  return (
    <Table<TransferRead>
      rowKey="id"
      size="small"
      loading={transfers.loading}
      dataSource={transfers.data ?? []}
      pagination={false}
      locale={{ emptyText: t.transfer.empty }}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'at', title: t.transfer.requestedAt, render: (_, r) => formatDateTime(r.requested_at) },
        { key: 'from', title: t.transfer.from, render: (_, r) => r.from_org_name },
        { key: 'to', title: t.transfer.to, render: (_, r) => r.to_org_name ?? r.external_org_name ?? empty },
        { key: 'reason', title: t.transfer.reason, render: (_, r) => r.reason },
        { key: 'state', title: t.transfer.state, render: (_, r) => <Tag>{t.transfer.states[r.state]}</Tag> },
      ]}
    />
  );
}

export function DuesTab({ memberId }: { memberId: number }) {
  const thisYear = pickerToday().year();
  const [year, setYear] = useState(thisYear);
  const statement = useLoader(
    () => getDuesStatement({ path: { member_id: memberId }, query: { year } }).then(({ data }) => data),
    `${memberId}|${year}`,
  );
  const money = (value: string | null) => (value === null ? empty : `¥${value}`);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap size={32} align="end">
        <Select
          aria-label={t.dues.year}
          value={year}
          onChange={setYear}
          options={[0, 1, 2, 3, 4].map((back) => ({ value: thisYear - back, label: String(thisYear - back) }))}
          style={{ width: 100 }}
        />
        {statement.data ? (
          <>
            <Statistic title={t.dues.paid} value={money(statement.data.totals.paid)} />
            <Statistic title={t.dues.outstanding} value={money(statement.data.totals.outstanding)} />
            <Statistic title={t.dues.arrears} value={money(statement.data.arrears.amount)} />
          </>
        ) : null}
      </Space>
      {statement.data?.arrears.lapse_warning ? <Alert type="warning" showIcon title={t.dues.lapseWarning} /> : null}
      {statement.error ? <Alert type="error" showIcon title={errorMessage(statement.error)} /> : null}
      <Table<StatementMonth>
        rowKey="month"
        size="small"
        loading={statement.loading}
        dataSource={statement.data?.months ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'month', title: t.dues.month, render: (_, m) => m.month },
          { key: 'status', title: t.dues.status, render: (_, m) => t.dues.statuses[m.status] },
          { key: 'due', title: t.dues.due, align: 'right', render: (_, m) => money(m.due) },
          { key: 'payable', title: t.dues.payable, align: 'right', render: (_, m) => money(m.payable) },
          { key: 'paid', title: t.dues.paid, align: 'right', render: (_, m) => money(m.paid) },
          {
            key: 'balance',
            title: t.dues.balance,
            align: 'right',
            render: (_, m) =>
              m.balance !== null && Number(m.balance) > 0 ? <Typography.Text type="danger">{money(m.balance)}</Typography.Text> : money(m.balance),
          },
        ]}
      />
    </Space>
  );
}

export function PostsTab({ memberId }: { memberId: number }) {
  const posts = useLoader(
    () => listMemberPosts({ path: { member_id: memberId }, query: { limit: 100 } }).then(({ data }) => data.items),
    String(memberId),
  );
  if (posts.error) return <Alert type="error" showIcon title={errorMessage(posts.error)} />;
  return (
    <Table<PostRead>
      rowKey="id"
      size="small"
      loading={posts.loading}
      dataSource={posts.data ?? []}
      pagination={false}
      locale={{ emptyText: t.posts.empty }}
      columns={[
        { key: 'title', title: t.posts.title, render: (_, p) => p.title },
        { key: 'duties', title: t.posts.duties, render: (_, p) => p.duties },
        { key: 'from', title: t.posts.startedOn, render: (_, p) => formatOptionalDate(p.started_on, empty) },
        {
          key: 'until',
          title: t.posts.endedOn,
          render: (_, p) => (p.active ? <Tag color="green">{t.posts.active}</Tag> : formatOptionalDate(p.ended_on, empty)),
        },
      ]}
    />
  );
}
