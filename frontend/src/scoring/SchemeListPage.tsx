import { PlusOutlined, TrophyOutlined } from '@ant-design/icons';
import { Button, Card, InputNumber, Select, Space, Tag, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { listScoringSchemes, type SchemeRead, type SchemeStatus } from '../api';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { optionsOf } from '../members/labels';
import { CreateSchemeDialog } from './CreateSchemeDialog';
import { periodLabel, SCHEME_STATUS_COLORS } from './labels';

const s = t.scoring;
const f = s.fields;
const empty = t.common.empty;

/** 党员积分 schemes of the caller's subtree (and those above it that cover it), filtered by org, year and status in the address bar. */
export function SchemeListPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const canWrite = useCan('scoring:write');
  const orgId = Number(params.get('org')) || null;
  const year = Number(params.get('year')) || null;
  const status = (params.get('status') as SchemeStatus | null) ?? null;
  const [creating, setCreating] = useState(false);
  const paged = usePaged(
    (limit, cursor) =>
      listScoringSchemes({ query: { org_id: orgId ?? undefined, year: year ?? undefined, status: status ?? undefined, cursor, limit } }).then(({ data }) => data),
    `${orgId ?? ''}|${year ?? ''}|${status ?? ''}`,
  );
  const { items } = paged;
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
      <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={s.noSchemes} testId="scheme-table" />
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
