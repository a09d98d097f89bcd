import { Space, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { listAttentionMembers, type AttentionMember } from '../api';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { usePaged } from '../lib/usePaged';
import { AlertsFrame } from './AlertsFrame';
import { REASON_COLORS, reasonMessage, reasonTag } from './why';

const at = t.alerts.attention;
const empty = t.common.empty;

/**
 * 需关注党员: the members on the roll in the chosen org's subtree (default: the caller's) who need their
 * branch's attention, each with the reasons as tags (the full sentence on hover), linking to the member.
 */
export function AttentionPage() {
  const [params, setParams] = useSearchParams();
  const org = Number(params.get('org')) || undefined;
  const paged = usePaged<AttentionMember>(
    (limit, cursor) => listAttentionMembers({ query: { org_id: org, limit, cursor } }).then(({ data }) => data),
    String(org ?? ''),
  );
  const orgNames = useOrgNames(paged.items.map((member) => member.org_id));

  const columns: TableProps<AttentionMember>['columns'] = [
    {
      key: 'member',
      title: at.member,
      render: (_, member) => <Link to={`/members/${String(member.member_id)}`}>{member.member_name}</Link>,
    },
    { key: 'branch', title: at.branch, render: (_, member) => orgNames[member.org_id] ?? empty },
    {
      key: 'reasons',
      title: at.reasons,
      render: (_, member) => (
        <Space size={[4, 4]} wrap data-testid={`reasons-${String(member.member_id)}`}>
          {member.reasons.map((reason) => (
            <Tooltip key={reason.code} title={reasonMessage(reason)}>
              <Tag color={REASON_COLORS[reason.code]}>{reasonTag(reason)}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <AlertsFrame active="attention">
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <OrgPicker
          aria-label={at.org}
          value={org ?? null}
          onChange={(value) => {
            setParams(value ? { org: String(value) } : {});
          }}
        />
        <Typography.Text type="secondary">{at.shortPage}</Typography.Text>
      </Space>
      <PagedTable<AttentionMember> paged={paged} columns={columns} rowKey="member_id" emptyText={at.none} testId="attention-table" />
    </AlertsFrame>
  );
}
