import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Divider, Drawer, Grid, Rate, Result, Skeleton, Space, Tag, Timeline, Tooltip, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { getComplaint, getComplaintTimeline, getUser, type ComplaintRead, type ComplaintTimelineEvent } from '../api';
import { useCan } from '../auth/permissions';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { ActionDialog } from './ActionDialog';
import { DeadlineText } from './DeadlineText';
import { actorLabel, EVENT_COLORS, STATUS_COLORS, URGENCY_COLORS } from './labels';
import { isOverdue, isReassignment, offeredActions, type ComplaintAction } from './workflow';

const c = t.complaints;
const f = c.fields;
const empty = t.common.empty;

interface Loaded {
  item: ComplaintRead;
  etag: string | null;
  timeline: ComplaintTimelineEvent[];
}

/** A person's display name (the responsible person is an id on the item). */
function useUserName(id: number | null): string | null {
  const canRead = useCan('users:read');
  const loaded = useLoader<string | null>(
    () => (id !== null && canRead ? getUser({ path: { user_id: id } }).then(({ data }) => data.display_name) : Promise.resolve(null)),
    `${id ?? ''}|${canRead}`,
  );
  if (id === null) return null;
  return loaded.data ?? `#${id}`;
}

function Reporter({ item }: { item: ComplaintRead }) {
  const anonymous = !item.reporter_name && !item.reporter_phone && !item.reporter_email;
  if (anonymous) return <Typography.Text type="secondary">{f.anonymous}</Typography.Text>;
  return (
    <Space size={8} wrap>
      {[item.reporter_name, item.reporter_phone, item.reporter_email]
        .filter((part): part is string => Boolean(part))
        .map((part) => (
          <span key={part} className="mono">
            {part}
          </span>
        ))}
      {item.reporter_masked ? (
        <Tooltip title={c.maskedHint}>
          <LockOutlined aria-label={c.maskedHint} style={{ color: 'rgba(0,0,0,0.45)' }} />
        </Tooltip>
      ) : null}
    </Space>
  );
}

function details(
  item: ComplaintRead,
  names: { category: string; org: string; responsible: string | null; escalatedTo: string | null },
  now: Date,
  onOpen: (id: number) => void,
): DescriptionsProps['items'] {
  const optional = (key: string, label: string, value: React.ReactNode, when: unknown) => (when ? [{ key, label, children: value }] : []);
  const location = [item.location_text, item.village].filter(Boolean).join(' · ');
  return [
    {
      key: 'code',
      label: f.trackingCode,
      children: (
        <Typography.Text className="mono" copyable={{ tooltips: [c.copyCode, t.publicComplaints.copied] }}>
          {item.tracking_code}
        </Typography.Text>
      ),
    },
    { key: 'category', label: f.category, children: names.category },
    { key: 'channel', label: f.channel, children: c.channels[item.channel] },
    { key: 'urgency', label: f.urgency, children: <Tag color={URGENCY_COLORS[item.urgency]}>{c.urgencies[item.urgency]}</Tag> },
    { key: 'received', label: f.receivedAt, children: formatDateTime(item.received_at) },
    { key: 'due', label: f.dueAt, children: <DeadlineText item={item} now={now} /> },
    { key: 'org', label: f.org, children: names.org },
    { key: 'responsible', label: f.responsible, children: names.responsible ?? empty },
    { key: 'location', label: f.location, span: 'filled', children: location || empty },
    ...optional('coordinates', f.coordinates, `${String(item.latitude)}, ${String(item.longitude)}`, item.latitude !== null && item.longitude !== null),
    { key: 'reporter', label: f.reporter, span: 'filled', children: <Reporter item={item} /> },
    {
      key: 'description',
      label: f.description,
      span: 'filled',
      children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{item.description}</Typography.Paragraph>,
    },
    ...optional('rejection', f.rejectionReason, item.rejection_reason, item.rejection_reason),
    ...optional('promise', f.promise, item.promise, item.promise),
    ...optional('promisedBy', f.promisedBy, item.promised_by ? formatDateTime(item.promised_by) : empty, item.promised_by),
    ...optional('extension', f.extension, c.extended(item.extension_days, item.extension_reason ?? ''), item.extension_days > 0),
    ...optional('result', f.result, item.result, item.result),
    ...optional(
      'closure',
      f.closureReason,
      <Space size={8}>
        {item.closure_reason ? c.closureReasons[item.closure_reason] : empty}
        {item.duplicate_of_id ? (
          <Button
            type="link"
            size="small"
            onClick={() => {
              if (item.duplicate_of_id) onOpen(item.duplicate_of_id);
            }}
          >
            {f.duplicateOf} #{item.duplicate_of_id}
          </Button>
        ) : null}
      </Space>,
      item.closure_reason,
    ),
    ...optional(
      'rating',
      f.rating,
      <Space size={8} wrap>
        <Rate disabled value={item.rating ?? 0} aria-label={c.stars(item.rating ?? 0)} />
        {item.rating_comment ? <span>{item.rating_comment}</span> : null}
      </Space>,
      item.rating !== null,
    ),
    ...optional(
      'escalated',
      f.escalated,
      item.escalated_at ? c.escalatedTo(names.escalatedTo ?? empty, formatDateTime(item.escalated_at)) : empty,
      item.escalated_at,
    ),
    ...optional('reopened', f.reopenCount, item.reopen_count, item.reopen_count > 0),
  ];
}

function EventTimeline({ events }: { events: ComplaintTimelineEvent[] }) {
  if (!events.length) return <Typography.Text type="secondary">{c.noTimeline}</Typography.Text>;
  return (
    <div data-testid="complaint-timeline">
      <Timeline
        items={events.map((event) => ({
          key: event.id,
          color: EVENT_COLORS[event.kind],
          content: (
            <div>
              <Space size={8} wrap>
                <Typography.Text strong>{c.events[event.kind]}</Typography.Text>
                <Tag color={STATUS_COLORS[event.to_status]}>{c.statuses[event.to_status]}</Tag>
                <Typography.Text type="secondary">
                  {actorLabel(event.actor_kind, event.actor_name)} · {formatDateTime(event.at)}
                </Typography.Text>
              </Space>
              {event.public_note ? (
                <div>
                  <Typography.Text type="secondary">{c.publicNote}：</Typography.Text>
                  {event.public_note}
                </div>
              ) : null}
              {event.note ? (
                <div>
                  <Typography.Text type="secondary">{c.internalNote}：</Typography.Text>
                  {event.note}
                </div>
              ) : null}
            </div>
          ),
        }))}
      />
    </div>
  );
}

interface Props {
  id: number;
  categoryNames: Record<number, string>;
  onClose: () => void;
  /** A step changed the item: the list behind should reload. */
  onChanged: () => void;
  /** Open another item (a duplicate's original). */
  onOpen: (id: number) => void;
}

/** One complaint: the item, its location, the reporter (masked unless the caller handles it), the timeline, and the steps the caller may take now. */
export function ComplaintDrawer({ id, categoryNames, onClose, onChanged, onOpen }: Props) {
  const screens = Grid.useBreakpoint();
  const [acting, setActing] = useState<ComplaintAction | null>(null);
  const [now, setNow] = useState(() => new Date());
  const loaded = useLoader<Loaded>(
    () =>
      Promise.all([getComplaint({ path: { complaint_id: id } }), getComplaintTimeline({ path: { complaint_id: id } })]).then(([item, timeline]) => ({
        item: item.data,
        etag: item.response.headers.get('ETag'),
        timeline: timeline.data,
      })),
    String(id),
  );
  const item = loaded.data?.item;
  const orgNames = useOrgNames(item ? [item.org_id, ...(item.escalated_to_org_id ? [item.escalated_to_org_id] : [])] : []);
  const responsible = useUserName(item?.responsible_user_id ?? null);

  const reload = () => {
    setNow(new Date());
    loaded.reload();
  };

  let body: React.ReactNode;
  if (loaded.error) {
    body =
      loaded.error instanceof ApiError && loaded.error.status === 404 ? (
        <Result status="404" title={t.common.notFound} />
      ) : (
        <Alert type="error" showIcon title={errorMessage(loaded.error)} />
      );
  } else if (!loaded.data || !item) {
    body = <Skeleton active />;
  } else {
    const offered = offeredActions(item);
    body = (
      <>
        <Space size={8} wrap style={{ marginBottom: 12 }}>
          <Tag color={STATUS_COLORS[item.status]} data-testid="complaint-status">
            {c.statuses[item.status]}
          </Tag>
          {isOverdue(item, now) ? <Tag color="red">{c.overdueTag}</Tag> : null}
          {item.escalated_at ? <Tag color="volcano">{c.escalatedTag}</Tag> : null}
        </Space>
        {offered.length ? (
          <Space wrap size={8} style={{ marginBottom: 16 }} data-testid="complaint-actions">
            {offered.map(({ action, waitUntil }, index) => {
              const label = action === 'assign' && isReassignment(item) ? c.actions.reassign : c.actions[action];
              const button = (
                <Button
                  key={action}
                  type={index === 0 && !waitUntil ? 'primary' : 'default'}
                  danger={action === 'reject' || action === 'escalate'}
                  disabled={Boolean(waitUntil)}
                  onClick={() => {
                    setActing(action);
                  }}
                >
                  {label}
                </Button>
              );
              return waitUntil ? (
                <Tooltip key={action} title={c.closeWaits(formatDateTime(waitUntil.toISOString()))}>
                  <span>{button}</span>
                </Tooltip>
              ) : (
                button
              );
            })}
          </Space>
        ) : null}
        <Descriptions
          size="small"
          bordered
          column={screens.md ? 2 : 1}
          items={details(
            item,
            {
              category: categoryNames[item.category_id] ?? item.category_code,
              org: orgNames[item.org_id] ?? empty,
              responsible,
              escalatedTo: item.escalated_to_org_id ? (orgNames[item.escalated_to_org_id] ?? null) : null,
            },
            now,
            onOpen,
          )}
        />
        <Divider titlePlacement="start">{c.timeline}</Divider>
        <EventTimeline events={loaded.data.timeline} />
        {acting ? (
          <ActionDialog
            action={acting}
            item={item}
            etag={loaded.data.etag}
            onClose={() => {
              setActing(null);
            }}
            onDone={() => {
              setActing(null);
              reload();
              onChanged();
            }}
            onStale={reload}
          />
        ) : null}
      </>
    );
  }

  return (
    <Drawer
      open
      title={item ? `${c.detailTitle(id)} · ${item.title}` : c.detailTitle(id)}
      size={screens.md ? 760 : '100%'}
      rootClassName="complaint-drawer"
      onClose={onClose}
      destroyOnHidden
    >
      {body}
    </Drawer>
  );
}
