import { AuditOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Progress, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { getCompliance, type ComplianceReport, type GetComplianceData, type KindCompliance, type OrgCompliance } from '../api';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDate } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { orgKindColor, orgKindLabel } from '../orgs/kinds';
import { KIND_COLORS } from './kinds';
import { pickerToday } from '../lib/dates';

const c = t.compliance;
type Sort = NonNullable<NonNullable<GetComplianceData['query']>['sort']>;
const SORTABLE: Record<string, Sort> = { name: 'name', missed: 'missed_count', attendance: 'attendance_rate', hours: 'under_min_hours' };

const percent = (rate: number | null | undefined) => (rate == null ? t.common.empty : `${Math.round(rate * 1000) / 10}%`);

const PERIOD_COLORS = { met: 'green', missed: 'red', running: 'blue', not_required: 'default' } as const;

function KindPeriods({ kind }: { kind: KindCompliance }) {
  return (
    <Space wrap size={[4, 4]}>
      <Tag color={KIND_COLORS[kind.kind]}>{t.study.kinds[kind.kind]}</Tag>
      <Typography.Text type="secondary">{c.perPeriod(kind.required_per_period, c.frequency[kind.frequency])}</Typography.Text>
      {kind.periods.map((period) => (
        <Tooltip key={period.period} title={`${c.periodStatuses[period.status]} · ${period.held}`}>
          <Tag color={PERIOD_COLORS[period.status]} variant="outlined">
            {period.period}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/** 三会一课 compliance of the organisations in a subtree, those falling behind first. */
export function CompliancePage() {
  const [params, setParams] = useSearchParams();
  const thisYear = pickerToday().year();
  const org = params.get('org') ? Number(params.get('org')) : undefined;
  const year = params.get('year') ? Number(params.get('year')) : thisYear;
  const sort = (params.get('sort') ?? 'missed_count') as Sort;
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const [pageSize, setPageSize] = useState(50);
  const queryKey = `${params.toString()}|${pageSize}`;
  const keyset = useKeyset(queryKey);

  const report = useLoader<ComplianceReport>(
    () => getCompliance({ query: { org, year, sort, order, limit: pageSize, cursor: keyset.cursor } }).then(({ data }) => data),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );

  const update = (changes: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === null || value === '') next.delete(name);
      else next.set(name, String(value));
    }
    setParams(next);
  };

  const sortOrder = (key: string) => (SORTABLE[key] === sort ? (order === 'asc' ? 'ascend' : 'descend') : null);
  const columns: TableProps<OrgCompliance>['columns'] = [
    {
      key: 'name',
      title: c.org,
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (_, o) => (
        <Space size={6}>
          {o.name}
          <Tag color={orgKindColor(o.kind)}>{orgKindLabel(o.kind)}</Tag>
        </Space>
      ),
    },
    {
      key: 'status',
      title: c.status,
      render: (_, o) => <Tag color={o.met ? 'green' : 'red'}>{o.met ? c.met : c.notMet}</Tag>,
    },
    { key: 'missed', title: c.missedCount, align: 'right', sorter: true, sortOrder: sortOrder('missed'), render: (_, o) => o.missed_count },
    {
      key: 'missedPeriods',
      title: c.missed,
      width: 320,
      render: (_, o) => {
        const missed = o.kinds.filter((kind) => kind.missed.length > 0);
        return missed.length === 0 ? (
          <Typography.Text type="secondary">{c.none}</Typography.Text>
        ) : (
          <Space wrap size={[4, 4]}>
            {missed.map((kind) => (
              <Tooltip key={kind.kind} title={kind.missed.join('、')}>
                <Tag color="red" variant="outlined">
                  {c.missedKind(t.study.kinds[kind.kind], kind.missed.length)}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        );
      },
    },
    {
      key: 'attendance',
      title: c.attendanceRate,
      sorter: true,
      sortOrder: sortOrder('attendance'),
      width: 160,
      render: (_, o) =>
        o.attendance.rate == null ? (
          t.common.empty
        ) : (
          <Progress percent={Math.round(o.attendance.rate * 100)} size="small" status={o.attendance.rate < 0.8 ? 'exception' : 'normal'} />
        ),
    },
    { key: 'members', title: c.members, align: 'right', render: (_, o) => o.members },
    {
      key: 'hours',
      title: c.underMinHours,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('hours'),
      render: (_, o) => (o.under_min_hours > 0 ? <Typography.Text type="danger">{o.under_min_hours}</Typography.Text> : 0),
    },
  ];

  const onChange: TableProps<OrgCompliance>['onChange'] = (_p, _f, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = typeof one?.columnKey === 'string' ? one.columnKey : '';
    const chosen = SORTABLE[key];
    if (!one?.order || !chosen) {
      update({ sort: null, order: null });
      return;
    }
    update({ sort: chosen, order: one.order === 'ascend' ? 'asc' : 'desc' });
  };

  const data = report.data;
  return (
    <Card
      title={
        <Space>
          <AuditOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {c.title}
        </Space>
      }
    >
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <OrgPicker
          aria-label={c.org}
          value={org ?? null}
          onChange={(value) => {
            update({ org: value });
          }}
        />
        <Select
          aria-label={c.year}
          value={year}
          onChange={(value) => {
            update({ year: value });
          }}
          options={[0, 1, 2, 3].map((back) => ({ value: thisYear - back, label: t.archive.year(thisYear - back) }))}
          style={{ width: 110 }}
        />
        {data ? (
          <Typography.Text type="secondary">
            {c.asOf(formatDate(data.as_of))} · {c.minHours(data.min_annual_hours)}
          </Typography.Text>
        ) : null}
      </Space>
      {report.error ? <Alert type="error" showIcon title={errorMessage(report.error)} style={{ marginBottom: 16 }} /> : null}
      {data ? (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title={c.orgsMet} value={data.summary.orgs_met} suffix={`/ ${data.summary.orgs_considered}`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={c.missedCount} value={data.summary.missed_count} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={c.attendanceRate} value={percent(data.summary.attendance.rate)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={c.underMinHours} value={data.summary.under_min_hours} suffix={`/ ${data.summary.members}`} />
          </Col>
        </Row>
      ) : null}
      <Table<OrgCompliance>
        rowKey="org_id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={report.loading}
        pagination={false}
        onChange={onChange}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: c.noOrgs }}
        expandable={{
          expandedRowRender: (o) => (
            <Space orientation="vertical" size={8}>
              {o.kinds.map((kind) => (
                <KindPeriods key={kind.kind} kind={kind} />
              ))}
            </Space>
          ),
          rowExpandable: (o) => o.kinds.length > 0,
        }}
      />
      <Pager keyset={keyset} nextCursor={data?.next_cursor} loading={report.loading} pageSize={pageSize} onPageSize={setPageSize} />
    </Card>
  );
}
