import { ApiOutlined, DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined, SendOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Select, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  deleteWebhook,
  listServiceAccounts,
  listWebhookEventTypes,
  listWebhooks,
  pingWebhook,
  rotateWebhookSecret,
  type ServiceAccountRead,
  type VanguardWebhooksModelsEventType as EventType,
  type WebhookRead,
} from '../api';
import { useAuth } from '../auth/authContext';
import { Pager } from '../components/Pager';
import { ShownOnceModal } from '../components/ShownOnceModal';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { etagOf } from '../scoring/labels';
import { DeliveriesDrawer } from './DeliveriesDrawer';
import { WebhookDialog } from './WebhookDialog';

const w = t.webhooks;
const empty = t.common.empty;

interface Page {
  items: WebhookRead[];
  next_cursor: string | null;
}

interface Choices {
  eventTypes: EventType[];
  accounts: ServiceAccountRead[];
}

type Dialog = { kind: 'create' } | { kind: 'edit'; webhook: WebhookRead } | { kind: 'deliveries'; webhook: WebhookRead } | { kind: 'secret'; secret: string };

/** Outside systems' event subscriptions in the caller's subtree, filtered by service account in the address bar. */
export function WebhooksPage() {
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const accountId = Number(params.get('account')) || null;
  const [pageSize, setPageSize] = useState(20);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const queryKey = `${String(accountId ?? '')}|${String(pageSize)}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<Page>(
    () =>
      listWebhooks({ query: { service_account_id: accountId, cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const choices = useLoader<Choices>(async () => {
    const [types, accounts] = await Promise.all([listWebhookEventTypes(), listServiceAccounts({ query: { limit: 500 } })]);
    return { eventTypes: types.data, accounts: accounts.data.items };
  }, 'choices');
  const items = page.data?.items ?? [];
  const orgNames = useOrgNames(items.map((webhook) => webhook.org_id));
  const accountNames = Object.fromEntries((choices.data?.accounts ?? []).map((account) => [account.id, account.name]));
  const close = () => {
    setDialog(null);
  };

  const filter = (next: number | null) => {
    setParams(next ? { account: String(next) } : {});
  };

  const failed = (caught: unknown) => {
    void message.error(caught instanceof ApiError && caught.status === 412 ? w.stale : errorMessage(caught));
    page.reload();
  };

  const ping = async (webhook: WebhookRead) => {
    try {
      await pingWebhook({ path: { webhook_id: webhook.id } });
      void message.success(w.pinged);
    } catch (caught) {
      failed(caught);
    }
  };

  const rotate = (webhook: WebhookRead) => {
    modal.confirm({
      title: w.rotateConfirmTitle,
      content: w.rotateConfirm,
      okText: w.rotate,
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          const { data } = await rotateWebhookSecret({ path: { webhook_id: webhook.id }, headers: { 'if-match': etagOf(webhook.version) } });
          setDialog({ kind: 'secret', secret: data.secret });
          page.reload();
        } catch (caught) {
          failed(caught);
        }
      },
    });
  };

  const remove = (webhook: WebhookRead) => {
    modal.confirm({
      title: w.removeConfirmTitle,
      content: w.removeConfirm(webhook.url),
      okText: w.remove,
      okButtonProps: { danger: true },
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await deleteWebhook({ path: { webhook_id: webhook.id } });
          void message.success(w.removed);
          page.reload();
        } catch (caught) {
          failed(caught);
        }
      },
    });
  };

  const columns: TableProps<WebhookRead>['columns'] = [
    {
      key: 'url',
      title: w.url,
      render: (_, webhook) => (
        <div style={{ maxWidth: 360 }}>
          <Typography.Text className="mono" style={{ overflowWrap: 'anywhere' }}>
            {webhook.url}
          </Typography.Text>
          {webhook.description ? <div style={{ color: 'rgba(0,0,0,0.55)' }}>{webhook.description}</div> : null}
        </div>
      ),
    },
    { key: 'org', title: w.org, render: (_, webhook) => orgNames[webhook.org_id] ?? empty },
    {
      key: 'account',
      title: w.account,
      render: (_, webhook) => (webhook.service_account_id ? (accountNames[webhook.service_account_id] ?? `#${String(webhook.service_account_id)}`) : empty),
    },
    {
      key: 'events',
      title: w.eventTypes,
      render: (_, webhook) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 320 }}>
          {webhook.event_types.map((type) => (
            <Tag key={type}>{w.events[type]}</Tag>
          ))}
        </Space>
      ),
    },
    {
      key: 'status',
      title: w.status,
      render: (_, webhook) => <Tag color={webhook.active ? 'success' : 'default'}>{webhook.active ? w.enabled : w.disabled}</Tag>,
    },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, webhook) => (
        <Space size={4} wrap>
          <Button size="small" icon={<UnorderedListOutlined />} onClick={() => { setDialog({ kind: 'deliveries', webhook }); }}>
            {w.deliveries}
          </Button>
          <Button size="small" icon={<SendOutlined />} onClick={() => void ping(webhook)}>
            {w.ping}
          </Button>
          <Tooltip title={w.edit}>
            <Button size="small" aria-label={w.edit} icon={<EditOutlined />} onClick={() => { setDialog({ kind: 'edit', webhook }); }} />
          </Tooltip>
          <Tooltip title={w.rotate}>
            <Button size="small" aria-label={w.rotate} icon={<KeyOutlined />} onClick={() => { rotate(webhook); }} />
          </Tooltip>
          <Tooltip title={w.remove}>
            <Button size="small" danger aria-label={w.remove} icon={<DeleteOutlined />} onClick={() => { remove(webhook); }} />
          </Tooltip>
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space>
          <ApiOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {w.title}
        </Space>
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { setDialog({ kind: 'create' }); }} disabled={!choices.data}>
          {w.create}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{w.hint}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select<number>
          aria-label={w.filterAccount}
          value={accountId ?? undefined}
          onChange={(next: number | undefined) => { filter(next ?? null); }}
          allowClear
          placeholder={w.allAccounts}
          style={{ minWidth: 220 }}
          options={(choices.data?.accounts ?? []).map((account) => ({ value: account.id, label: account.name }))}
        />
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 12 }} /> : null}
      {choices.error ? <Alert type="error" showIcon title={errorMessage(choices.error)} style={{ marginBottom: 12 }} /> : null}
      <div data-testid="webhook-table">
        <Table<WebhookRead>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          locale={{ emptyText: w.noWebhooks }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && choices.data ? (
        <WebhookDialog
          webhook={dialog.kind === 'edit' ? dialog.webhook : null}
          orgId={user?.org_id ?? null}
          eventTypes={choices.data.eventTypes}
          accounts={choices.data.accounts}
          onClose={close}
          onCreated={(created) => {
            setDialog({ kind: 'secret', secret: created.secret });
            void message.success(w.created);
            page.reload();
          }}
          onSaved={() => {
            close();
            void message.success(w.saved);
            page.reload();
          }}
          onStale={() => {
            close();
            void message.error(w.stale);
            page.reload();
          }}
        />
      ) : null}
      {dialog?.kind === 'deliveries' ? <DeliveriesDrawer webhook={dialog.webhook} onClose={close} /> : null}
      {dialog?.kind === 'secret' ? (
        <ShownOnceModal title={w.secretTitle} secret={dialog.secret} warning={w.secretWarning} doneText={w.secretDone} onClose={close} />
      ) : null}
    </Card>
  );
}
