import { Descriptions, Drawer, Grid, Table, Tag, Typography } from 'antd';
import type { AuditEventRead } from '../api';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { fieldChanges, showValue, type FieldChange } from './auditQuery';

const a = t.admin.audit;
const empty = t.common.empty;

interface Props {
  event: AuditEventRead;
  orgName: string | undefined;
  onClose: () => void;
}

/** One audit event: who, when, what, and its before/after snapshots field by field, as the API gave them. */
export function AuditDrawer({ event, orgName, onClose }: Props) {
  const screens = Grid.useBreakpoint();
  const changes = fieldChanges(event.before, event.after);
  return (
    <Drawer open title={a.detailTitle(event.id)} size={screens.md ? 720 : '100%'} onClose={onClose} destroyOnHidden>
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'time', label: a.time, children: formatDateTime(event.occurred_at) },
          { key: 'actor', label: a.actor, children: `${event.actor_name}（${a.actorKinds[event.actor_kind] ?? event.actor_kind}${event.actor_id === null ? '' : ` #${String(event.actor_id)}`}）` },
          { key: 'entity', label: a.entity, children: <span className="mono">{`${event.entity} #${event.entity_id}`}</span> },
          { key: 'action', label: a.action, children: a.actions[event.action] ?? event.action },
          { key: 'org', label: a.org, children: event.org_id === null ? empty : (orgName ?? `#${String(event.org_id)}`) },
          { key: 'request', label: a.requestId, children: <span className="mono">{event.request_id ?? empty}</span> },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {a.detail}
      </Typography.Title>
      <div data-testid="audit-changes">
        <Table<FieldChange>
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={changes}
          locale={{ emptyText: a.noChanges }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              key: 'field',
              title: a.field,
              render: (_, row) => (
                <span className="mono">
                  {row.field} {row.changed && event.before && event.after ? <Tag color="orange">{a.changed}</Tag> : null}
                </span>
              ),
            },
            { key: 'before', title: a.before, render: (_, row) => <span className="mono audit-value">{showValue(row.before, empty)}</span> },
            { key: 'after', title: a.after, render: (_, row) => <span className="mono audit-value">{showValue(row.after, empty)}</span> },
          ]}
        />
      </div>
      <details style={{ marginTop: 16 }}>
        <summary>{a.raw}</summary>
        <pre className="mono" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {JSON.stringify({ before: event.before, after: event.after }, null, 2)}
        </pre>
      </details>
    </Drawer>
  );
}
