import { ArrowLeftOutlined, CheckOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Result, Skeleton, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { getBeneficiary, getPair, listVisits, setFollowUp, type BeneficiaryRead, type PairRead, type VisitRead } from '../api';
import { useCan } from '../auth/permissions';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { todayInChina } from '../lib/dates';
import { formatOptionalDate } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { EndPairDialog, VisitDialog } from './dialogs';
import { PAIR_STATUS_COLORS } from './labels';
import { etagOf, followUpOverdue, yuan } from './pairingQuery';
import { beneficiaryName, helperLabel, useUserNames } from './useNames';
import { useMemberNames } from '../components/useNames';

const p = t.pairing;
const f = p.fields;
const empty = t.common.empty;

interface Loaded {
  pair: PairRead;
  beneficiary: BeneficiaryRead;
}

interface VisitPage {
  items: VisitRead[];
  next_cursor: string | null;
}

function FollowUpCell({ visit, pairId, today, canWrite, onChanged }: { visit: VisitRead; pairId: number; today: string; canWrite: boolean; onChanged: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!visit.follow_up) return <>{empty}</>;
  const overdue = followUpOverdue(visit, today);
  const mark = async (done: boolean) => {
    setBusy(true);
    try {
      await setFollowUp({ path: { pair_id: pairId, visit_id: visit.id }, headers: { 'if-match': etagOf(visit.version) }, body: { done } });
      void message.success(p.created);
    } catch (error) {
      void message.error(error instanceof ApiError && error.status === 412 ? p.staleReloaded : errorMessage(error));
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  return (
    <Space orientation="vertical" size={2}>
      <span>{visit.follow_up}</span>
      <Space size={4} wrap>
        {visit.follow_up_due_on ? <Typography.Text type={overdue ? 'danger' : 'secondary'}>{`${f.followUpDue}：${formatOptionalDate(visit.follow_up_due_on, empty)}`}</Typography.Text> : null}
        {overdue ? <Tag color="red">{p.overdueTag}</Tag> : null}
        {visit.follow_up_done_on ? <Tag color="green">{`${f.followUpDone} ${formatOptionalDate(visit.follow_up_done_on, empty)}`}</Tag> : null}
        {canWrite ? (
          visit.follow_up_done_on ? (
            <Button size="small" type="link" icon={<UndoOutlined />} loading={busy} onClick={() => void mark(false)}>
              {f.reopen}
            </Button>
          ) : (
            <Button size="small" type="link" icon={<CheckOutlined />} loading={busy} onClick={() => void mark(true)}>
              {f.markDone}
            </Button>
          )
        ) : null}
      </Space>
    </Space>
  );
}

/** One pair: who helps whom, the 三包 goals, and its visits (paged) with their follow-ups; overdue follow-ups in red. */
export function PairDetailPage() {
  const pairId = Number(useParams().pairId);
  const canWrite = useCan('members:write');
  const canReadUsers = useCan('users:read');
  const [today] = useState(() => todayInChina());
  const [dialog, setDialog] = useState<'visit' | 'end' | null>(null);
  const loaded = useLoader<Loaded>(async () => {
    const { data: pair } = await getPair({ path: { pair_id: pairId } });
    const { data: beneficiary } = await getBeneficiary({ path: { beneficiary_id: pair.beneficiary_id } });
    return { pair, beneficiary };
  }, String(pairId));
  const [pageSize, setPageSize] = useState(20);
  const [visitsKey, setVisitsKey] = useState(0);
  const keyset = useKeyset(`${String(pairId)}|${String(pageSize)}|${String(visitsKey)}`);
  const visits = useLoader<VisitPage>(
    () => listVisits({ path: { pair_id: pairId }, query: { limit: pageSize, cursor: keyset.cursor } }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    `${String(pairId)}|${String(pageSize)}|${String(visitsKey)}|${keyset.cursor ?? ''}`,
  );
  const pair = loaded.data?.pair;
  const beneficiary = loaded.data?.beneficiary;
  const members = useMemberNames([pair?.helper_member_id]);
  const users = useUserNames([pair?.helper_user_id], canReadUsers);
  const orgNames = useOrgNames(pair ? [pair.org_id] : []);

  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t.common.notFound : errorMessage(loaded.error)}
        extra={
          <Link to="/pairing">
            <Button>{t.common.back}</Button>
          </Link>
        }
      />
    );
  }
  if (!pair || !beneficiary) return <Skeleton active />;

  const helper = helperLabel(pair, members, users);
  const label = `${helper} → ${beneficiaryName(beneficiary)}`;
  const reloadAll = () => {
    loaded.reload();
    setVisitsKey((n) => n + 1);
  };

  const columns: TableProps<VisitRead>['columns'] = [
    { key: 'date', title: f.visitedOn, render: (_, v) => formatOptionalDate(v.visited_on, empty) },
    { key: 'type', title: f.visitType, render: (_, v) => <Tag color={v.type === 'routine' ? 'default' : 'volcano'}>{p.visitTypes[v.type]}</Tag> },
    { key: 'work', title: f.workDone, render: (_, v) => <Typography.Paragraph style={{ margin: 0, maxWidth: 360, whiteSpace: 'pre-wrap' }}>{v.work_done}</Typography.Paragraph> },
    {
      key: 'help',
      title: `${f.money} / ${f.goods}`,
      render: (_, v) => (v.money_given || v.goods_value ? `${yuan(v.money_given)} / ${yuan(v.goods_value)}` : empty),
    },
    { key: 'jobs', title: f.jobs, render: (_, v) => v.jobs_found || empty },
    { key: 'skills', title: f.skills, render: (_, v) => v.skills ?? empty },
    {
      key: 'followUp',
      title: f.followUp,
      render: (_, v) => <FollowUpCell visit={v} pairId={pair.id} today={today} canWrite={canWrite} onChanged={() => {
            setVisitsKey((n) => n + 1);
          }} />,
    },
  ];

  const active = pair.status === 'active';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/pairing" aria-label={t.common.back}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="pair-title">{label}</span>
            <Tag color={PAIR_STATUS_COLORS[pair.status]}>{p.statuses[pair.status]}</Tag>
          </Space>
        }
        extra={
          canWrite && active ? (
            <Space>
              <Button
                danger
                onClick={() => {
                  setDialog('end');
                }}
              >
                {p.endPair}
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => {
                  setDialog('visit');
                }}
              >
                {p.recordVisit}
              </Button>
            </Space>
          ) : null
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'helper', label: f.helper, children: helper },
            { key: 'beneficiary', label: f.beneficiary, children: `${beneficiaryName(beneficiary)}（${p.beneficiaryKinds[beneficiary.kind]}）` },
            { key: 'kind', label: f.kind, children: p.kinds[pair.kind] },
            { key: 'org', label: f.org, children: orgNames[pair.org_id] ?? empty },
            { key: 'started', label: f.startedOn, children: formatOptionalDate(pair.started_on, empty) },
            { key: 'ends', label: active ? f.endsOn : f.endedOn, children: formatOptionalDate(pair.ends_on, empty) },
            ...(pair.end_reason ? [{ key: 'reason', label: f.endReason, children: pair.end_reason }] : []),
            {
              key: 'phone',
              label: f.phone,
              children: beneficiary.contact_phone ? (
                <Tooltip title={beneficiary.contact_masked ? p.maskedHint : undefined}>
                  <span className="mono">{beneficiary.contact_phone}</span>
                </Tooltip>
              ) : (
                empty
              ),
            },
            { key: 'address', label: f.address, children: beneficiary.address ?? empty },
            { key: 'situation', label: f.situation, span: 'filled', children: beneficiary.situation ?? empty },
            { key: 'needs', label: f.needs, span: 'filled', children: beneficiary.needs ?? empty },
            {
              key: 'goals',
              label: f.goals,
              span: 'filled',
              children: pair.goals.length ? (
                <Space orientation="vertical" size={2} data-testid="pair-goals">
                  {pair.goals.map((goal, i) => (
                    <span key={i}>
                      <Tag color="red">{p.goalTags[goal.tag]}</Tag>
                      {goal.target}
                    </span>
                  ))}
                </Space>
              ) : (
                empty
              ),
            },
          ]}
        />
      </Card>
      <Card title={p.visitsTitle} size="small">
        {visits.error ? <Alert type="error" showIcon title={errorMessage(visits.error)} style={{ marginBottom: 16 }} /> : null}
        <div data-testid="visit-table">
          <Table<VisitRead>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={visits.data?.items ?? []}
            loading={visits.loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowClassName={(v) => (followUpOverdue(v, today) ? 'row-overdue' : '')}
            locale={{ emptyText: p.noVisits }}
          />
        </div>
        <Pager keyset={keyset} nextCursor={visits.data?.next_cursor} loading={visits.loading} pageSize={pageSize} onPageSize={setPageSize} info={p.onPage(visits.data?.items.length ?? 0)} />
      </Card>
      {dialog === 'visit' ? (
        <VisitDialog
          pair={pair}
          label={label}
          onClose={() => {
            setDialog(null);
          }}
          onDone={() => {
            setDialog(null);
            setVisitsKey((n) => n + 1);
          }}
        />
      ) : null}
      {dialog === 'end' ? (
        <EndPairDialog
          pair={pair}
          label={label}
          onClose={() => {
            setDialog(null);
          }}
          onDone={() => {
            setDialog(null);
            reloadAll();
          }}
          onStale={loaded.reload}
        />
      ) : null}
    </Space>
  );
}
