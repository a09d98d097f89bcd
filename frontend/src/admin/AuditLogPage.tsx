import { AuditOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { exportAudit, listAuditEvents, type AuditEventRead } from '../api';
import { ExportButtons } from '../components/ExportButtons';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { AuditDrawer } from './AuditDrawer';
import { ACTOR_KINDS, auditFiltersFromParams, auditFiltersToParams, auditQuery, type ActorKind } from './auditQuery';

const ad = t.admin;
const a = ad.audit;
const empty = t.common.empty;

interface FilterValues {
  org?: number | null;
  actorKind?: ActorKind;
  actorId?: number | null;
  entity?: string;
  entityId?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', delete: 'red', export: 'purple' };

/** 审计日志: every write in the caller's subtree, newest first, filtered on the server and paged by keyset. */
export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const filters = auditFiltersFromParams(params);
  const query = auditQuery(filters);
  const paged = usePaged(
    (limit, cursor) => listAuditEvents({ query: { ...query, limit, cursor } }).then(({ data }) => data),
    JSON.stringify(query),
  );
  const { items } = paged;
  const orgNames = useOrgNames(items.map((event) => event.org_id));
  const [open, setOpen] = useState<AuditEventRead | null>(null);
  const [form] = Form.useForm<FilterValues>();

  const initialValues: FilterValues = {
    org: filters.org ?? null,
    actorKind: filters.actorKind,
    actorId: filters.actorId ?? null,
    entity: filters.entity,
    entityId: filters.entityId,
    action: filters.action,
    range: filters.since || filters.until ? [filters.since ? dayjs(filters.since) : null, filters.until ? dayjs(filters.until) : null] : null,
  };

  const apply = (values: FilterValues) => {
    setParams(
      auditFiltersToParams({
        org: values.org ?? undefined,
        actorKind: values.actorKind,
        actorId: values.actorId ?? undefined,
        entity: values.entity,
        entityId: values.entityId,
        action: values.action,
        since: values.range?.[0]?.toISOString(),
        until: values.range?.[1]?.toISOString(),
      }),
    );
  };

  const columns: TableProps<AuditEventRead>['columns'] = [
    { key: 'time', title: a.time, render: (_, event) => formatDateTime(event.occurred_at) },
    {
      key: 'actor',
      title: a.actor,
      render: (_, event) => (
        <Space size={4}>
          <span>{event.actor_name}</span>
          <Typography.Text type="secondary">{a.actorKinds[event.actor_kind] ?? event.actor_kind}</Typography.Text>
        </Space>
      ),
    },
    { key: 'action', title: a.action, render: (_, event) => <Tag color={ACTION_COLORS[event.action]}>{a.actions[event.action] ?? event.action}</Tag> },
    { key: 'entity', title: a.entity, render: (_, event) => <span className="mono">{event.entity}</span> },
    { key: 'entityId', title: a.entityId, render: (_, event) => <span className="mono">{event.entity_id}</span> },
    { key: 'org', title: a.org, render: (_, event) => (event.org_id === null ? empty : (orgNames[event.org_id] ?? `#${String(event.org_id)}`)) },
    {
      key: 'detail',
      title: t.common.actions,
      fixed: 'right',
      render: (_, event) => (
        <Button
          size="small"
          data-testid={`audit-detail-${String(event.id)}`}
          aria-label={a.detailTitle(event.id)}
          onClick={() => {
            setOpen(event);
          }}
        >
          {a.detail}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space>
          <AuditOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {a.title}
        </Space>
      }
      extra={
        <ExportButtons
          basename="audit"
          labels={{ xlsx: ad.exportXlsx, csv: ad.exportCsv }}
          done={ad.exported}
          download={(format) => exportAudit({ query: { ...query, format }, parseAs: 'blob' })}
        />
      }
    >
      <Typography.Paragraph type="secondary">{a.hint}</Typography.Paragraph>
      <Form<FilterValues> form={form} layout="inline" initialValues={initialValues} onFinish={apply} style={{ rowGap: 12, marginBottom: 16 }} data-testid="audit-filters">
        <Form.Item name="org" label={a.org}>
          <OrgPicker aria-label={a.org} />
        </Form.Item>
        <Form.Item name="actorKind" label={a.actorKind}>
          <Select allowClear aria-label={a.actorKind} style={{ width: 130 }} options={ACTOR_KINDS.map((kind) => ({ value: kind, label: a.actorKinds[kind] }))} />
        </Form.Item>
        <Form.Item name="actorId" label={a.actorId}>
          <InputNumber aria-label={a.actorId} min={1} precision={0} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="entity" label={a.entity}>
          <Input aria-label={a.entity} placeholder={a.filterEntity} allowClear style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="entityId" label={a.entityId}>
          <Input aria-label={a.entityId} allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="action" label={a.action}>
          <Input aria-label={a.action} placeholder={a.filterAction} allowClear style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="range" label={a.range}>
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} placeholder={[a.rangeStart, a.rangeEnd]} aria-label={a.range} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t.common.search}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams());
              }}
            >
              {t.common.reset}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {filters.actorId && !filters.actorKind ? <Alert type="info" showIcon title={a.actorIdNeedsKind} style={{ marginBottom: 16 }} /> : null}
      <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={a.noEvents} testId="audit-table" info={ad.onPage(items.length)} />
      {open ? (
        <AuditDrawer
          event={open}
          orgName={open.org_id === null ? undefined : orgNames[open.org_id]}
          onClose={() => {
            setOpen(null);
          }}
        />
      ) : null}
    </Card>
  );
}
