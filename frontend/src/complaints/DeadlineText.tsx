import { Space, Typography } from 'antd';
import type { ComplaintSummary } from '../api';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { deadline } from './workflow';

/** The deadline, and for an open item how long is left or how far past it is. */
export function DeadlineText({ item, now }: { item: Pick<ComplaintSummary, 'status' | 'due_at'>; now: Date }) {
  const left = deadline(item, now);
  return (
    <Space orientation="vertical" size={0}>
      <span>{formatDateTime(item.due_at)}</span>
      {left ? (
        <Typography.Text type={left.overdue ? 'danger' : left.days <= 3 ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
          {left.overdue ? t.complaints.overdueBy(left.days) : t.complaints.dueIn(left.days)}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
