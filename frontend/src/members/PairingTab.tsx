import { Alert, Table, Tag, type TableProps } from 'antd';
import { Link } from 'react-router';
import { listBeneficiaries, listPairs, type PairRead } from '../api';
import { useCan } from '../auth/permissions';
import { useMemberNames } from '../components/useNames';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatOptionalDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { PAIR_STATUS_COLORS } from '../pairing/labels';
import { helperLabel, LOADING, useBeneficiaryNames, useUserNames } from '../pairing/useNames';

const p = t.pairing;
const mp = t.member.pairing;
const empty = t.common.empty;
/** More pairs than anyone has in a ledger's lifetime (a helper has at most a handful at once). */
const MOST = 100;

interface MemberPair {
  pair: PairRead;
  role: 'helps' | 'helped';
}

/** The member's pairs: those where they help, then those where they are the member in hardship helped. */
async function pairsOf(memberId: number): Promise<MemberPair[]> {
  const [helping, record] = await Promise.all([
    listPairs({ query: { helper_member_id: memberId, limit: MOST } }),
    listBeneficiaries({ query: { member_id: memberId, limit: 1 } }),
  ]);
  const beneficiary = record.data.items[0];
  const helped = beneficiary ? (await listPairs({ query: { beneficiary_id: beneficiary.id, limit: MOST } })).data.items : [];
  return [...helping.data.items.map((pair) => ({ pair, role: 'helps' as const })), ...helped.map((pair) => ({ pair, role: 'helped' as const }))];
}

/** 结对帮扶 on a member's page: whom they help and who helps them, each linking to the pair's ledger page. */
export function PairingTab({ memberId }: { memberId: number }) {
  const canReadUsers = useCan('users:read');
  const loaded = useLoader(() => pairsOf(memberId), String(memberId));
  const rows = loaded.data ?? [];
  const beneficiaries = useBeneficiaryNames(rows.filter(({ role }) => role === 'helps').map(({ pair }) => pair.beneficiary_id));
  const helpers = rows.filter(({ role }) => role === 'helped').map(({ pair }) => pair);
  const members = useMemberNames(helpers.map((pair) => pair.helper_member_id));
  const users = useUserNames(
    helpers.map((pair) => pair.helper_user_id),
    canReadUsers,
  );

  const columns: TableProps<MemberPair>['columns'] = [
    { key: 'role', title: mp.role, render: (_, { role }) => <Tag color={role === 'helps' ? 'red' : 'gold'}>{mp.roles[role]}</Tag> },
    {
      key: 'other',
      title: mp.counterpart,
      render: (_, { pair, role }) => (
        <Link to={`/pairing/pairs/${String(pair.id)}`}>{role === 'helps' ? (beneficiaries[pair.beneficiary_id] ?? LOADING) : helperLabel(pair, members, users)}</Link>
      ),
    },
    { key: 'kind', title: p.fields.kind, render: (_, { pair }) => p.kinds[pair.kind] },
    { key: 'started', title: p.fields.startedOn, render: (_, { pair }) => formatOptionalDate(pair.started_on, empty) },
    { key: 'ends', title: p.fields.endsOn, render: (_, { pair }) => formatOptionalDate(pair.ends_on, empty) },
    { key: 'status', title: p.fields.status, render: (_, { pair }) => <Tag color={PAIR_STATUS_COLORS[pair.status]}>{p.statuses[pair.status]}</Tag> },
  ];

  if (loaded.error) return <Alert type="error" showIcon title={errorMessage(loaded.error)} />;
  return (
    <Table<MemberPair>
      data-testid="member-pairs"
      rowKey={({ pair, role }) => `${role}-${String(pair.id)}`}
      size="small"
      columns={columns}
      dataSource={rows}
      loading={loaded.loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: mp.none }}
    />
  );
}
