import { PlusOutlined, ReloadOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Select, Space, Tabs, Tag, Tooltip, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listBeneficiaries, listPairs, overdueFollowUps, type BeneficiaryRead, type FollowUpRead, type PairRead } from '../api';
import { useAuth } from '../auth/authContext';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { PagedTable } from '../components/PagedTable';
import { t } from '../i18n';
import { formatOptionalDate } from '../lib/format';
import { usePaged, type KeysetPage } from '../lib/usePaged';
import { CoverageSummary } from './CoverageSummary';
import { BeneficiaryDialog, EndPairDialog, PairCreateDialog } from './dialogs';
import { PAIR_STATUS_COLORS } from './labels';
import { LEDGER_TABS, ledgerFromParams, ledgerToParams, pairsQuery, type LedgerFilters, type LedgerTab } from './pairingQuery';
import { MemberSelect } from './pickers';
import { beneficiaryName, helperLabel, LOADING, useBeneficiaryNames, useUserNames } from './useNames';
import { useMemberNames } from '../components/useNames';

const p = t.pairing;
const f = p.fields;
const empty = t.common.empty;

function PairsTab({ filters, apply, reloadKey }: { filters: LedgerFilters; apply: (changes: Partial<LedgerFilters>) => void; reloadKey: number }) {
  const { user } = useAuth();
  const canWrite = useCan('members:write');
  const canReadUsers = useCan('users:read');
  const query = pairsQuery(filters, user?.id);
  const paged = usePaged<PairRead>(
    (limit, cursor) =>
      filters.mine && !user
        ? new Promise<KeysetPage<PairRead>>(() => undefined) // "only mine" waits for the caller to be known
        : listPairs({ query: { ...query, limit, cursor } }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    `${JSON.stringify(query)}|${String(reloadKey)}`,
  );
  const { items } = paged;
  const beneficiaries = useBeneficiaryNames(items.map((pair) => pair.beneficiary_id));
  const members = useMemberNames(items.map((pair) => pair.helper_member_id));
  const users = useUserNames(
    items.map((pair) => pair.helper_user_id),
    canReadUsers,
  );
  const [ending, setEnding] = useState<PairRead | null>(null);
  const label = (pair: PairRead) => `${helperLabel(pair, members, users)} → ${beneficiaries[pair.beneficiary_id] ?? LOADING}`;

  const columns: TableProps<PairRead>['columns'] = [
    { key: 'id', title: f.id, width: 72, render: (_, pair) => <span className="mono">#{pair.id}</span> },
    {
      key: 'beneficiary',
      title: f.beneficiary,
      render: (_, pair) => <Link to={`/pairing/pairs/${String(pair.id)}`}>{beneficiaries[pair.beneficiary_id] ?? LOADING}</Link>,
    },
    { key: 'helper', title: f.helper, render: (_, pair) => helperLabel(pair, members, users) },
    { key: 'kind', title: f.kind, render: (_, pair) => p.kinds[pair.kind] },
    {
      key: 'goals',
      title: f.goals,
      render: (_, pair) =>
        pair.goals.length ? (
          <Space size={4} wrap>
            {pair.goals.map((goal, i) => (
              <Tooltip key={i} title={goal.target}>
                <Tag color="red">{p.goalTags[goal.tag]}</Tag>
              </Tooltip>
            ))}
          </Space>
        ) : (
          empty
        ),
    },
    { key: 'started', title: f.startedOn, render: (_, pair) => formatOptionalDate(pair.started_on, empty) },
    { key: 'ends', title: f.endsOn, render: (_, pair) => formatOptionalDate(pair.ends_on, empty) },
    { key: 'status', title: f.status, render: (_, pair) => <Tag color={PAIR_STATUS_COLORS[pair.status]}>{p.statuses[pair.status]}</Tag> },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, pair) => (
        <Space size={4}>
          <Link to={`/pairing/pairs/${String(pair.id)}`}>{t.common.view}</Link>
          {canWrite && pair.status === 'active' ? (
            <Button
              type="link"
              size="small"
              danger
              onClick={() => {
                setEnding(pair);
              }}
            >
              {p.endPair}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Select
          aria-label={p.statusFilter}
          value={filters.status ?? 'active'}
          onChange={(status: LedgerFilters['status']) => {
            apply({ status: status === 'active' ? undefined : status });
          }}
          options={[...Object.entries(p.statuses).map(([value, label]) => ({ value, label })), { value: 'all', label: t.common.all }]}
          style={{ width: 120 }}
        />
        <div style={{ width: 220 }}>
          <MemberSelect
            aria-label={p.helperFilter}
            value={filters.helper ?? null}
            orgId={filters.org}
            onChange={(helper) => {
              apply({ helper: helper ?? undefined });
            }}
          />
        </div>
        {user?.kind === 'user' ? (
          <Checkbox
            checked={filters.mine ?? false}
            onChange={(event) => {
              apply({ mine: event.target.checked || undefined });
            }}
          >
            {p.mine}
          </Checkbox>
        ) : null}
      </Space>
      <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={p.noPairs} testId="pair-table" info={p.onPage(paged.items.length)} />
      {ending ? (
        <EndPairDialog
          pair={ending}
          label={label(ending)}
          onClose={() => {
            setEnding(null);
          }}
          onDone={() => {
            setEnding(null);
            paged.page.reload();
          }}
          onStale={paged.page.reload}
        />
      ) : null}
    </>
  );
}

function BeneficiariesTab({ filters, reloadKey }: { filters: LedgerFilters; reloadKey: number }) {
  const paged = usePaged<BeneficiaryRead>(
    (limit, cursor) => listBeneficiaries({ query: { org_id: filters.org, limit, cursor } }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    `${String(filters.org)}|${String(reloadKey)}`,
  );
  const columns: TableProps<BeneficiaryRead>['columns'] = [
    { key: 'id', title: f.id, width: 72, render: (_, b) => <span className="mono">#{b.id}</span> },
    { key: 'name', title: f.beneficiary, render: (_, b) => beneficiaryName(b) },
    { key: 'kind', title: f.beneficiaryKind, render: (_, b) => p.beneficiaryKinds[b.kind] },
    { key: 'village', title: f.village, render: (_, b) => b.village ?? empty },
    { key: 'size', title: f.householdSize, render: (_, b) => b.household_size ?? empty },
    {
      key: 'phone',
      title: f.phone,
      render: (_, b) =>
        b.contact_phone ? (
          <Tooltip title={b.contact_masked ? p.maskedHint : undefined}>
            <span className="mono">{b.contact_phone}</span>
          </Tooltip>
        ) : (
          empty
        ),
    },
    { key: 'address', title: f.address, render: (_, b) => b.address ?? empty },
    { key: 'situation', title: f.situation, render: (_, b) => b.situation ?? empty },
    { key: 'needs', title: f.needs, render: (_, b) => b.needs ?? empty },
  ];
  return <PagedTable paged={paged} columns={columns} rowKey="id" emptyText={p.noBeneficiaries} testId="beneficiary-table" info={p.onPage(paged.items.length)} />;
}

function FollowUpsTab({ filters }: { filters: LedgerFilters }) {
  const canReadUsers = useCan('users:read');
  const paged = usePaged<FollowUpRead>(
    (limit, cursor) => overdueFollowUps({ query: { org_id: filters.org, limit, cursor } }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    String(filters.org),
  );
  const { items } = paged;
  const beneficiaries = useBeneficiaryNames(items.map((row) => row.beneficiary_id));
  const members = useMemberNames(items.map((row) => row.helper_member_id));
  const users = useUserNames(
    items.map((row) => row.helper_user_id),
    canReadUsers,
  );
  const columns: TableProps<FollowUpRead>['columns'] = [
    {
      key: 'pair',
      title: f.beneficiary,
      render: (_, row) => <Link to={`/pairing/pairs/${String(row.pair_id)}`}>{beneficiaries[row.beneficiary_id] ?? LOADING}</Link>,
    },
    { key: 'helper', title: f.helper, render: (_, row) => helperLabel(row, members, users) },
    { key: 'visited', title: f.visitedOn, render: (_, row) => formatOptionalDate(row.visited_on, empty) },
    { key: 'followUp', title: f.followUp, render: (_, row) => row.follow_up },
    { key: 'due', title: f.followUpDue, render: (_, row) => formatOptionalDate(row.follow_up_due_on, empty) },
    { key: 'late', title: f.daysOverdue, render: (_, row) => <Tag color="red">{p.overdueDays(row.days_overdue)}</Tag> },
  ];
  return <PagedTable paged={paged} columns={columns} rowKey="visit_id" emptyText={p.noFollowUps} testId="follow-up-table" rowClassName={() => 'row-overdue'} info={p.onPage(paged.items.length)} />;
}

/**
 * 结对帮扶台账: the quarter's coverage figures on top, then the pairs (active by default), the
 * beneficiaries and the overdue follow-ups, each paged on the server, with the filters in the address bar.
 */
export function PairingLedgerPage() {
  const [params, setParams] = useSearchParams();
  const { user } = useAuth();
  const canWrite = useCan('members:write');
  const filters = ledgerFromParams(params);
  const [dialog, setDialog] = useState<'pair' | 'beneficiary' | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const coverageOrg = filters.org ?? user?.org_id ?? null;

  const apply = (changes: Partial<LedgerFilters>) => {
    setParams(ledgerToParams({ ...filters, ...changes }));
  };
  const done = () => {
    setDialog(null);
    setReloadKey((n) => n + 1);
  };

  return (
    <Card
      title={
        <Space>
          <TeamOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {p.ledgerTitle}
        </Space>
      }
      extra={
        <Space>
          <Link to="/pairing/tasks">{p.tasksTitle}</Link>
          {canWrite ? (
            <>
              <Button
                icon={<UserAddOutlined />}
                onClick={() => {
                  setDialog('beneficiary');
                }}
              >
                {p.newBeneficiary}
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  setDialog('pair');
                }}
              >
                {p.newPair}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      {coverageOrg !== null ? <CoverageSummary key={`${String(coverageOrg)}|${String(reloadKey)}`} orgId={coverageOrg} /> : null}
      <Space wrap size={12} style={{ marginBottom: 8 }}>
        <OrgPicker
          aria-label={f.org}
          value={filters.org ?? null}
          onChange={(org) => {
            apply({ org: org ?? undefined, helper: undefined });
          }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            setParams(ledgerToParams({ tab: filters.tab }));
          }}
        >
          {t.common.reset}
        </Button>
      </Space>
      <Tabs
        activeKey={filters.tab}
        onChange={(tab) => {
          apply({ tab: tab as LedgerTab });
        }}
        items={LEDGER_TABS.map((tab) => ({ key: tab, label: p.tabs[tab] }))}
      />
      {filters.tab === 'pairs' ? <PairsTab filters={filters} apply={apply} reloadKey={reloadKey} /> : null}
      {filters.tab === 'beneficiaries' ? <BeneficiariesTab filters={filters} reloadKey={reloadKey} /> : null}
      {filters.tab === 'followUps' ? <FollowUpsTab filters={filters} /> : null}
      {dialog === 'pair' ? (
        <PairCreateDialog
          orgId={filters.org}
          onClose={() => {
            setDialog(null);
          }}
          onDone={done}
        />
      ) : null}
      {dialog === 'beneficiary' ? (
        <BeneficiaryDialog
          orgId={filters.org ?? user?.org_id ?? undefined}
          onClose={() => {
            setDialog(null);
          }}
          onDone={done}
        />
      ) : null}
    </Card>
  );
}
