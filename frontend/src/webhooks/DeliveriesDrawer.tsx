import { ReloadOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Grid, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { listWebhookDeliveries, retryWebhookDelivery, type DeliveryRead, type DeliveryStatus, type WebhookRead } from '../api';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { canRetry } from './webhookForm';

const w = t.webhooks;
const empty = t.common.empty;
const STATUS_COLORS: Record<DeliveryStatus, string> = { pending: 'processing', delivered: 'success', failed: 'error' };
const STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed'];

interface Page {
  items: DeliveryRead[];
  next_cursor: string | null;
}

/** A webhook's delivery log, newest first: status, attempts, the last error and when it is tried next; a failed one can be sent again. */
export function DeliveriesDrawer({ webhook, onClose }: { webhook: WebhookRead; onClose: () => void }) {
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [pageSize, setPageSize] = useState(20);
  const queryKey = `${String(webhook.id)}|${status ?? ''}|${String(pageSize)}`;
  const keyset = useKeyset(queryKey);
  const deliveries = useLoader<Page>(
    () =>
      listWebhookDeliveries({ path: { webhook_id: webhook.id }, query: { status, cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );

  const retry = async (delivery: DeliveryRead) => {
    try {
      await retryWebhookDelivery({ path: { delivery_id: delivery.id } });
      void message.success(w.retried);
    } catch (caught) {
      void message.error(errorMessage(caught));
    }
    deliveries.reload();
  };

  const columns: TableProps<DeliveryRead>['columns'] = [
    { key: 'created', title: w.createdAt, render: (_, d) => formatDateTime(d.created_at) },
    { key: 'event', title: w.event, render: (_, d) => (d.event_type in w.events ? w.events[d.event_type as keyof typeof w.events] : d.event_type) },
    { key: 'status', title: w.deliveryStatus, render: (_, d) => <Tag color={STATUS_COLORS[d.status]}>{w.deliveryStatuses[d.status]}</Tag> },
    { key: 'attempts', title: w.attempts, align: 'right', render: (_, d) => d.attempts },
    { key: 'code', title: w.lastCode, render: (_, d) => d.last_status_code ?? empty },
    {
      key: 'error',
      title: w.lastError,
      render: (_, d) => (d.last_error ? <Typography.Text type="danger" style={{ overflowWrap: 'anywhere' }}>{d.last_error}</Typography.Text> : empty),
    },
    { key: 'next', title: w.nextAttempt, render: (_, d) => (d.status === 'pending' ? formatDateTime(d.next_attempt_at) : empty) },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, d) =>
        canRetry(d) ? (
          <Button size="small" icon={<RedoOutlined />} onClick={() => void retry(d)}>
            {w.retry}
          </Button>
        ) : null,
    },
  ];

  return (
    <Drawer open title={w.deliveriesTitle(webhook.url)} size={screens.lg ? 960 : '100%'} onClose={onClose} destroyOnHidden>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<DeliveryStatus>
          aria-label={w.deliveryStatus}
          value={status ?? undefined}
          onChange={(next: DeliveryStatus | undefined) => { setStatus(next ?? null); }}
          allowClear
          placeholder={t.common.all}
          style={{ width: 140 }}
          options={STATUSES.map((value) => ({ value, label: w.deliveryStatuses[value] }))}
        />
        <Button icon={<ReloadOutlined />} onClick={deliveries.reload}>
          {w.refresh}
        </Button>
      </Space>
      {deliveries.error ? <Alert type="error" showIcon title={errorMessage(deliveries.error)} style={{ marginBottom: 12 }} /> : null}
      <div data-testid="delivery-table">
        <Table<DeliveryRead>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={deliveries.data?.items ?? []}
          loading={deliveries.loading}
          pagination={false}
          locale={{ emptyText: w.noDeliveries }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={deliveries.data?.next_cursor} loading={deliveries.loading} pageSize={pageSize} onPageSize={setPageSize} />
    </Drawer>
  );
}
