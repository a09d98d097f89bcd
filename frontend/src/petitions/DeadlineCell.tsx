import { Space, Typography } from 'antd';
import type { PetitionRead } from '../api';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { currentDeadline, daysLeft } from './labels';

type Item = Pick<PetitionRead, 'state' | 'accept_due_at' | 'answer_due_at' | 'overdue'>;

/** The deadline that runs now (to accept, then to answer), and how long is left or how far past it is. */
export function DeadlineCell({ item, now }: { item: Item; now: Date }) {
  const due = currentDeadline(item);
  if (!due) return <>{t.common.empty}</>;
  const days = daysLeft(due, now);
  const label = item.state === 'filed' ? t.petitions.fields.acceptDue : t.petitions.fields.answerDue;
  return (
    <Space orientation="vertical" size={0}>
      <span>
        {label} {formatDateTime(due)}
      </span>
      <Typography.Text type={item.overdue ? 'danger' : days <= 3 ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
        {item.overdue ? t.petitions.overdueBy(Math.max(1, -days)) : t.petitions.dueIn(Math.max(0, days))}
      </Typography.Text>
    </Space>
  );
}
