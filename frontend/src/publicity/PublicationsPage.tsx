import { ExportOutlined, NotificationOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Form, Input, Popconfirm, Select, Space, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { listPublications, publishPublication, withdrawPublication, type PublicationKind, type PublicationRead, type PublicationState } from '../api';
import { useCan } from '../auth/permissions';
import { FormDialog } from '../components/FormDialog';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDate } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { optionsOf } from '../members/labels';
import { FeedbackDrawer } from './FeedbackDrawer';
import { etagOf, KINDS, publicPagePath, STATE_COLORS } from './labels';
import { PublicationDialog } from './PublicationDialog';

const p = t.publicity;
const f = p.fields;
const empty = t.common.empty;

const STATES: readonly PublicationState[] = ['draft', 'published', 'withdrawn'];
const isKind = (value: string | null): value is PublicationKind => KINDS.includes(value as PublicationKind);
const isState = (value: string | null): value is PublicationState => STATES.includes(value as PublicationState);

type Editing = { item?: PublicationRead } | null;

/**
 * 党务公开: an organisation's items by kind and state (filters in the address bar), drafts written with
 * only the fields their kind may publish, published with If-Match and withdrawn with a reason; each
 * item's feedback in a drawer, where open objections are answered.
 */
export function PublicationsPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan('members:write');
  const { message } = App.useApp();
  const org = Number(params.get('org')) || undefined;
  const kindParam = params.get('kind');
  const stateParam = params.get('state');
  const kind = isKind(kindParam) ? kindParam : undefined;
  const state = isState(stateParam) ? stateParam : undefined;
  const [reloadKey, setReloadKey] = useState(0);
  const paged = usePaged<PublicationRead>(
    (limit, cursor) => listPublications({ query: { org_id: org, kind, state, limit, cursor } }).then(({ data }) => data),
    `${String(org)}|${String(kind)}|${String(state)}|${String(reloadKey)}`,
  );
  const items = paged.items;
  const orgNames = useOrgNames(items.map((item) => item.org_id));
  const [editing, setEditing] = useState<Editing>(null);
  const [withdrawing, setWithdrawing] = useState<PublicationRead | null>(null);
  const [feedbackOf, setFeedbackOf] = useState<PublicationRead | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const apply = (changes: { org?: number; kind?: PublicationKind; state?: PublicationState }) => {
    const merged = { org, kind, state, ...changes };
    const next = new URLSearchParams();
    if (merged.org) next.set('org', String(merged.org));
    if (merged.kind) next.set('kind', merged.kind);
    if (merged.state) next.set('state', merged.state);
    setParams(next);
  };
  const reload = () => {
    setReloadKey((n) => n + 1);
  };

  const publish = async (item: PublicationRead) => {
    setActionError(null);
    try {
      await publishPublication({ path: { publication_id: item.id }, headers: { 'if-match': etagOf(item.version) } });
      void message.success(p.publishedDone);
      paged.page.reload();
    } catch (caught) {
      const stale = caught instanceof ApiError && caught.status === 412;
      setActionError(stale ? p.staleReloaded : errorMessage(caught));
      if (stale || (caught instanceof ApiError && caught.status === 409)) paged.page.reload();
    }
  };

  const columns: TableProps<PublicationRead>['columns'] = [
    { key: 'id', title: f.id, width: 72, render: (_, item) => <span className="mono">#{item.id}</span> },
    {
      key: 'title',
      title: f.title,
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{item.title}</Typography.Text>
          {item.withdraw_reason ? <Typography.Text type="secondary">{p.withdrawnBecause(item.withdraw_reason)}</Typography.Text> : null}
        </Space>
      ),
    },
    { key: 'kind', title: f.kind, render: (_, item) => p.kinds[item.kind] },
    { key: 'state', title: f.state, render: (_, item) => <Tag color={STATE_COLORS[item.state]}>{p.states[item.state]}</Tag> },
    { key: 'audience', title: f.audience, render: (_, item) => p.audiences[item.audience] },
    { key: 'period', title: f.period, render: (_, item) => `${formatDate(item.starts_on)} – ${formatDate(item.ends_on)}` },
    { key: 'org', title: f.org, render: (_, item) => orgNames[item.org_id] ?? empty },
    {
      key: 'feedback',
      title: f.feedback,
      render: (_, item) =>
        item.state === 'draft' ? (
          empty
        ) : (
          <Space size={4} wrap>
            <Button
              size="small"
              type="link"
              style={{ padding: 0 }}
              onClick={() => {
                setFeedbackOf(item);
              }}
            >
              {p.feedbackCount(item.feedback_count)}
            </Button>
            {item.objections_open > 0 ? <Badge status="error" text={<Typography.Text type="danger">{p.openObjections(item.objections_open)}</Typography.Text>} /> : null}
          </Space>
        ),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: t.common.actions,
            fixed: 'right' as const,
            render: (_: unknown, item: PublicationRead) => (
              <Space size={4}>
                {item.state === 'draft' ? (
                  <>
                    <Button
                      size="small"
                      onClick={() => {
                        setEditing({ item });
                      }}
                    >
                      {p.actions.edit}
                    </Button>
                    <Popconfirm title={p.confirmPublish(item.title)} okText={p.actions.publish} cancelText={t.common.cancel} onConfirm={() => void publish(item)}>
                      <Button size="small" type="primary">
                        {p.actions.publish}
                      </Button>
                    </Popconfirm>
                  </>
                ) : null}
                {item.state === 'published' ? (
                  <Button
                    size="small"
                    danger
                    onClick={() => {
                      setWithdrawing(item);
                    }}
                  >
                    {p.actions.withdraw}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          <NotificationOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {p.title}
        </Space>
      }
      extra={
        <Space>
          {org ? (
            <Button icon={<ExportOutlined />} href={publicPagePath(org)} target="_blank" rel="noopener">
              {p.publicPage}
            </Button>
          ) : (
            <Tooltip title={p.publicPageHint}>
              <Button icon={<ExportOutlined />} disabled>
                {p.publicPage}
              </Button>
            </Tooltip>
          )}
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing({});
              }}
            >
              {p.create}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <OrgPicker
          aria-label={f.org}
          value={org ?? null}
          onChange={(next) => {
            apply({ org: next ?? undefined });
          }}
        />
        <Select<PublicationKind>
          aria-label={f.kind}
          placeholder={f.kind}
          allowClear
          value={kind}
          onChange={(next: PublicationKind | undefined) => {
            apply({ kind: next });
          }}
          options={KINDS.map((value) => ({ value, label: p.kinds[value] }))}
          style={{ width: 200 }}
          popupMatchSelectWidth={false}
        />
        <Select<PublicationState>
          aria-label={f.state}
          placeholder={f.state}
          allowClear
          value={state}
          onChange={(next: PublicationState | undefined) => {
            apply({ state: next });
          }}
          options={optionsOf(p.states)}
          style={{ width: 120 }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            setParams(new URLSearchParams());
          }}
        >
          {t.common.reset}
        </Button>
      </Space>
      {actionError ? <Alert type="error" showIcon title={actionError} style={{ marginBottom: 16 }} role="alert" closable={{ onClose: () => { setActionError(null); } }} /> : null}
      <PagedTable<PublicationRead>
        paged={paged}
        columns={columns}
        rowKey="id"
        emptyText={p.noItems}
        testId="publication-table"
        rowClassName={(item) => (item.objections_open > 0 ? 'row-overdue' : '')}
        info={p.onPage(items.length)}
      />
      {editing ? (
        <PublicationDialog
          item={editing.item}
          orgId={org}
          onClose={() => {
            setEditing(null);
          }}
          onDone={() => {
            setEditing(null);
            reload();
          }}
          onStale={() => {
            setEditing(null);
            setActionError(p.staleReloaded);
            paged.page.reload();
          }}
        />
      ) : null}
      {withdrawing ? (
        <FormDialog<{ reason: string }>
          title={`${p.actions.withdraw} · ${withdrawing.title}`}
          successMessage={p.withdrawnDone}
          staleMessage={p.staleReloaded}
          danger
          onClose={() => {
            setWithdrawing(null);
          }}
          onDone={() => {
            setWithdrawing(null);
            paged.page.reload();
          }}
          onStale={() => {
            setWithdrawing(null);
            setActionError(p.staleReloaded);
            paged.page.reload();
          }}
          submit={(values) =>
            withdrawPublication({ path: { publication_id: withdrawing.id }, headers: { 'if-match': etagOf(withdrawing.version) }, body: { reason: values.reason.trim() } })
          }
        >
          <Form.Item name="reason" label={p.withdrawReason} rules={[{ required: true, whitespace: true, message: p.required }, { min: 2, message: p.public.tooShort }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </FormDialog>
      ) : null}
      {feedbackOf ? (
        <FeedbackDrawer
          item={feedbackOf}
          onClose={() => {
            setFeedbackOf(null);
          }}
          onChanged={paged.page.reload}
        />
      ) : null}
    </Card>
  );
}
