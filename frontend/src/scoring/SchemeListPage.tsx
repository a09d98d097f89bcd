import { PlusOutlined, TrophyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, InputNumber, Select, Space, Table, Tag, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { listScoringSchemes, type SchemeRead, type SchemeStatus } from '../api';
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
import { CreateSchemeDialog } from './CreateSchemeDialog';
import { periodLabel, SCHEME_STATUS_COLORS } from './labels';

const s = t.scoring;
const f = s.fields;
const empty = t.common.empty;

interface Page {
  items: SchemeRead[];
  next_cursor: string | null;
}

/** 党员积分 schemes of the caller's subtree (and those above it that cover it), filtered by org, year and status in the address bar. */
export function SchemeListPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const canWrite = useCan('scoring:write');
  const orgId = Number(params.get('org')) || null;
  const year = Number(params.get('year')) || null;
  const status = (params.get('status') as SchemeStatus | null) ?? null;
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const queryKey = `${orgId ?? ''}|${year ?? ''}|${status ?? ''}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<Page>(
    () =>
      listScoringSchemes({
        query: { org_id: orgId ?? undefined, year: year ?? undefined, status: status ?? undefined, cursor: keyset.cursor, limit: pageSize },
      }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const items = page.data?.items ?? [];
  const orgNames = useOrgNames(items.map((scheme) => scheme.org_id));

  const apply = (changes: Record<string, string | number | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next);
  };

  const columns: TableProps<SchemeRead>['columns'] = [
    { key: 'name', title: f.name, render: (_, scheme) => <Link to={`/scoring/schemes/${scheme.id}`}>{scheme.name}</Link> },
    { key: 'org', title: f.org, render: (_, scheme) => orgNames[scheme.org_id] ?? empty },
    { key: 'period', title: f.period, render: (_, scheme) => periodLabel(scheme) },
    {
      key: 'status',
      title: f.status,
      render: (_, scheme) => <Tag color={SCHEME_STATUS_COLORS[scheme.status]}>{s.statuses[scheme.status]}</Tag>,
    },
    { key: 'rules', title: f.rules, render: (_, scheme) => scheme.rules.length },
    { key: 'version', title: f.version, render: (_, scheme) => `v${scheme.version}` },
    { key: 'computed', title: f.computedAt, render: (_, scheme) => (scheme.computed_at ? formatDateTime(scheme.computed_at) : empty) },
    { key: 'published', title: f.publishedAt, render: (_, scheme) => (scheme.published_at ? formatDateTime(scheme.published_at) : empty) },
  ];

  return (
    <Card
      title={
        <Space>
          <TrophyOutlined style={{ color: 'var(--ant-color-primary)' }} />
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
        <OrgPicker
          aria-label={f.org}
          value={orgId}
          onChange={(org) => {
            apply({ org });
          }}
        />
        <InputNumber<number>
          aria-label={f.year}
          placeholder={f.year}
          min={2000}
          max={2100}
          precision={0}
          value={year}
          onChange={(value) => {
            apply({ year: value });
          }}
          style={{ width: 110 }}
        />
        <Select<SchemeStatus>
          aria-label={f.status}
          placeholder={f.status}
          allowClear
          value={status ?? undefined}
          onChange={(value: SchemeStatus | undefined) => {
            apply({ status: value });
          }}
          options={optionsOf(s.statuses)}
          style={{ width: 120 }}
        />
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} /> : null}
      <div data-testid="scheme-table">
        <Table<SchemeRead>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: s.noSchemes }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {creating ? (
        <CreateSchemeDialog
          orgId={orgId}
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(scheme) => {
            setCreating(false);
            void navigate(`/scoring/schemes/${scheme.id}`);
          }}
        />
      ) : null}
    </Card>
  );
}
