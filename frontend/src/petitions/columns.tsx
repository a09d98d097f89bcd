import { Button, Space, Tag, type TableProps } from 'antd';
import type { PetitionRead } from '../api';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { DeadlineCell } from './DeadlineCell';
import { KIND_COLORS, STATE_COLORS } from './labels';

const p = t.petitions;
const f = p.fields;

/** The columns both lists share: number, title (opens the drawer), kind, state with overdue, filing time, deadline. */
export function petitionColumns(open: (id: number) => void, now: Date, orgNames: Record<number, string>): NonNullable<TableProps<PetitionRead>['columns']> {
  return [
    { key: 'id', title: f.id, width: 72, render: (_, item) => <span className="mono">#{item.id}</span> },
    {
      key: 'title',
      title: f.title,
      render: (_, item) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
          onClick={() => {
            open(item.id);
          }}
        >
          {item.title}
        </Button>
      ),
    },
    { key: 'kind', title: f.kind, render: (_, item) => <Tag color={KIND_COLORS[item.kind]}>{p.kinds[item.kind]}</Tag> },
    {
      key: 'state',
      title: f.state,
      render: (_, item) => (
        <Space size={4} wrap>
          <Tag color={STATE_COLORS[item.state]}>{p.states[item.state]}</Tag>
          {item.overdue ? <Tag color="red">{p.overdueTag}</Tag> : null}
        </Space>
      ),
    },
    { key: 'org', title: f.concernedOrg, render: (_, item) => orgNames[item.concerned_org_id] ?? `#${String(item.concerned_org_id)}` },
    { key: 'filed', title: f.filedAt, render: (_, item) => formatDateTime(item.filed_at) },
    { key: 'due', title: f.deadline, render: (_, item) => <DeadlineCell item={item} now={now} /> },
  ];
}
