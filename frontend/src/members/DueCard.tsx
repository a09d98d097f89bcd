import { BellOutlined } from '@ant-design/icons';
import { Card, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { listDevelopmentDue, type DueItem } from '../api';
import { t } from '../i18n';
import { formatDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { STAGE_COLORS } from './labels';

const d = t.development;
const WITHIN_DAYS = 30;

/** Who in the organisation's subtree is due for a development step soon, the overdue first; hidden when nobody is. */
export function DueCard({ orgId }: { orgId: number | undefined }) {
  const due = useLoader(
    () => listDevelopmentDue({ query: { org_id: orgId, within_days: WITHIN_DAYS, limit: 50 } }).then(({ data }) => data),
    String(orgId ?? ''),
  );
  const items = [...(due.data?.items ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue));
  if (items.length === 0) {
    return null;
  }
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Space>
          <BellOutlined style={{ color: 'var(--ant-color-warning)' }} />
          {d.dueTitle(WITHIN_DAYS)}
          <Tag>{d.dueCount(items.length)}{due.data?.next_cursor ? '+' : ''}</Tag>
        </Space>
      }
      data-testid="development-due"
    >
      <Table<DueItem>
        rowKey={(item) => `${item.member_id}-${item.rule}`}
        size="small"
        dataSource={items}
        pagination={items.length > 5 ? { pageSize: 5, showSizeChanger: false, size: 'small' } : false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'member', title: d.member, render: (_, item) => <Link to={`/members/${item.member_id}`}>{item.member_name}</Link> },
          { key: 'stage', title: t.member.fields.stage, render: (_, item) => <Tag color={STAGE_COLORS[item.stage]}>{t.member.stages[item.stage]}</Tag> },
          { key: 'org', title: t.member.fields.org, render: (_, item) => item.org_name },
          { key: 'rule', title: d.rule, render: (_, item) => d.rules[item.rule] },
          {
            key: 'due',
            title: d.dueOn,
            render: (_, item) =>
              item.overdue ? (
                <Tag color="red">{d.overdue(item.days_overdue)}</Tag>
              ) : item.deadline ? (
                d.dueBy(formatDate(item.due_on))
              ) : (
                d.eligibleFrom(formatDate(item.due_on))
              ),
          },
        ]}
      />
    </Card>
  );
}
