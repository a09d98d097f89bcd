import { KeyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  closeScoringRound,
  createScoringRound,
  getScoringRound,
  issueScoringTokens,
  listScoringBallots,
  listScoringRounds,
  type BallotRead,
  type RoundRead,
  type SchemeRead,
} from '../api';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { sheetLink } from '../public/ballotSheet';
import { BallotDialog } from './BallotDialog';
import { gradeColor } from './grades';
import { etagOf, ROUND_STATUS_COLORS } from './labels';
import { showLocalizedFieldErrors } from './problemFields';
import { loadRoll, type RollMember } from './roll';

const s = t.scoring;
const r = s.rounds;
const empty = t.common.empty;

function OpenRoundDialog({ scheme, onClose, onOpened }: { scheme: SchemeRead; onClose: () => void; onOpened: (round: RoundRead) => void }) {
  const [form] = Form.useForm<{ org_id: number | null }>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const submit = async ({ org_id }: { org_id: number | null }) => {
    setSubmitting(true);
    setError(null);
    try {
      const { data } = await createScoringRound({ path: { scheme_id: scheme.id }, body: { org_id: org_id ?? 0 } });
      onOpened(data);
    } catch (caught) {
      setError(errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal open title={r.openTitle} okText={r.open} cancelText={t.common.cancel} onCancel={onClose} onOk={() => { form.submit(); }} confirmLoading={submitting} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form form={form} layout="vertical" initialValues={{ org_id: scheme.org_id }} onFinish={(values) => void submit(values)}>
        <Form.Item name="org_id" label={r.org} rules={[{ required: true, message: s.form.required }]} extra={r.orgHint}>
          <OrgPicker aria-label={r.org} allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TokensDialog({ round, onClose, onIssued }: { round: RoundRead; onClose: () => void; onIssued: () => void }) {
  const [count, setCount] = useState<number | null>(10);
  const [tokens, setTokens] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const links = (tokens ?? []).map((token) => sheetLink(window.location.origin, token));
  const issue = async () => {
    setSubmitting(true);
    setError(null);
    try {
      const { data } = await issueScoringTokens({ path: { round_id: round.id }, body: { count: count ?? 1 } });
      setTokens(data.tokens);
      onIssued();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal
      open
      title={r.tokensTitle}
      okText={tokens ? r.done : r.issue}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        if (tokens) onClose();
        else void issue();
      }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      {tokens ? (
        <>
          <Alert type="warning" showIcon title={r.tokensOnce} style={{ marginBottom: 12 }} />
          <Typography.Paragraph>{r.sheetLinks}</Typography.Paragraph>
          <Input.TextArea readOnly rows={8} value={links.join('\n')} className="mono" data-testid="sheet-links" aria-label={r.sheetLinks} />
          <Space style={{ marginTop: 8 }} wrap>
            <Typography.Text copyable={{ text: links.join('\n') }}>{r.copyLinks}</Typography.Text>
            <Typography.Text copyable={{ text: tokens.join('\n') }}>{r.copyAll}</Typography.Text>
          </Space>
        </>
      ) : (
        <Space>
          {r.tokenCount}
          <InputNumber<number> aria-label={r.tokenCount} min={1} max={500} precision={0} value={count} onChange={setCount} />
        </Space>
      )}
    </Modal>
  );
}

interface Loaded {
  round: RoundRead;
  roll: RollMember[];
}

/** One round: its ballots (raters never shown), recording more, tokens for the masses, closing. */
function RoundPanel({ roundId, locked, onChanged }: { roundId: number; locked: boolean; onChanged: () => void }) {
  const canWrite = useCan('scoring:write');
  const { message, modal } = App.useApp();
  const [dialog, setDialog] = useState<'ballot' | 'tokens' | null>(null);
  const loaded = useLoader<Loaded>(async () => {
    const { data: round } = await getScoringRound({ path: { round_id: roundId } });
    return { round, roll: await loadRoll(round.org_id) };
  }, String(roundId));
  const [pageSize, setPageSize] = useState(20);
  const keyset = useKeyset(`${roundId}|${pageSize}`);
  const ballots = useLoader<{ items: BallotRead[]; next_cursor: string | null }>(
    () =>
      listScoringBallots({ path: { round_id: roundId }, query: { cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${roundId}|${pageSize}|${keyset.cursor ?? ''}`,
  );
  const orgNames = useOrgNames(loaded.data ? [loaded.data.round.org_id] : []);

  if (loaded.error) return <Alert type="error" showIcon title={errorMessage(loaded.error)} />;
  if (!loaded.data) return <Card loading />;
  const { round, roll } = loaded.data;
  const names = Object.fromEntries(roll.map((m) => [m.id, m.name]));
  const open = round.status === 'open' && !locked;
  const refresh = () => {
    loaded.reload();
    ballots.reload();
    onChanged();
  };

  const close = () => {
    modal.confirm({
      title: r.closeConfirmTitle,
      content: r.closeConfirm(round.ballots),
      okText: r.close,
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await closeScoringRound({ path: { round_id: round.id }, headers: { 'if-match': etagOf(round.version) } });
          void message.success(r.closed);
        } catch (caught) {
          void message.error(caught instanceof ApiError && caught.status === 412 ? s.staleReloaded : errorMessage(caught));
        }
        refresh();
      },
    });
  };

  const columns: TableProps<BallotRead>['columns'] = [
    { key: 'member', title: r.member, render: (_, ballot) => names[ballot.member_id] ?? `#${ballot.member_id}` },
    { key: 'group', title: r.group, render: (_, ballot) => s.raterGroups[ballot.rater_group] },
    {
      key: 'value',
      title: r.value,
      render: (_, ballot) =>
        ballot.grade ? <Tag color={gradeColor({ grade: ballot.grade, probationary: false })}>{s.grades[ballot.grade]}</Tag> : (ballot.score ?? empty),
    },
    { key: 'comment', title: r.comment, render: (_, ballot) => ballot.comment ?? empty },
    { key: 'at', title: r.at, render: (_, ballot) => formatDateTime(ballot.created_at) },
  ];

  return (
    <Card
      size="small"
      data-testid="round-panel"
      title={
        <Space>
          {r.roundOf(orgNames[round.org_id] ?? empty)}
          <Tag color={ROUND_STATUS_COLORS[round.status]}>{s.roundStatuses[round.status]}</Tag>
        </Space>
      }
      extra={
        canWrite && open ? (
          <Space wrap>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => { setDialog('ballot'); }}>
              {r.recordBallot}
            </Button>
            <Button icon={<KeyOutlined />} onClick={() => { setDialog('tokens'); }}>
              {r.issueTokens}
            </Button>
            <Button danger icon={<StopOutlined />} onClick={close}>
              {r.close}
            </Button>
          </Space>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">
        {r.summary(roll.length, round.ballots, round.tokens_issued, round.tokens_used)} {r.anonymity}
      </Typography.Paragraph>
      {ballots.error ? <Alert type="error" showIcon title={errorMessage(ballots.error)} style={{ marginBottom: 12 }} /> : null}
      <div data-testid="ballot-table">
        <Table<BallotRead>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={ballots.data?.items ?? []}
          loading={ballots.loading}
          pagination={false}
          locale={{ emptyText: r.noBallots }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={ballots.data?.next_cursor} loading={ballots.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {dialog === 'ballot' ? (
        <BallotDialog
          round={round}
          roll={roll}
          onClose={() => { setDialog(null); }}
          onRecorded={() => {
            setDialog(null);
            refresh();
          }}
        />
      ) : null}
      {dialog === 'tokens' ? <TokensDialog round={round} onClose={() => { setDialog(null); }} onIssued={loaded.reload} /> : null}
    </Card>
  );
}

/** 民主评议 rounds of the scheme: one per org; open one, pick one to see and record its ballots. */
export function RoundsTab({ scheme }: { scheme: SchemeRead }) {
  const canWrite = useCan('scoring:write');
  const [params, setParams] = useSearchParams();
  const [opening, setOpening] = useState(false);
  const locked = scheme.status === 'published';
  const rounds = useLoader<RoundRead[]>(
    () => listScoringRounds({ path: { scheme_id: scheme.id }, query: { limit: 500 } }).then(({ data }) => data.items),
    String(scheme.id),
  );
  const items = rounds.data ?? [];
  const orgNames = useOrgNames(items.map((round) => round.org_id));
  const selected = Number(params.get('round')) || (items.length === 1 ? (items[0]?.id ?? null) : null);
  const select = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('round', String(id));
    setParams(next, { replace: true });
  };

  const columns: TableProps<RoundRead>['columns'] = [
    { key: 'org', title: r.org, render: (_, round) => orgNames[round.org_id] ?? empty },
    { key: 'status', title: r.status, render: (_, round) => <Tag color={ROUND_STATUS_COLORS[round.status]}>{s.roundStatuses[round.status]}</Tag> },
    { key: 'ballots', title: r.ballots, render: (_, round) => round.ballots },
    { key: 'tokens', title: r.tokens, render: (_, round) => `${round.tokens_used} / ${round.tokens_issued}` },
    { key: 'closed', title: r.closedAt, render: (_, round) => (round.closed_at ? formatDateTime(round.closed_at) : empty) },
    {
      key: 'view',
      title: t.common.actions,
      render: (_, round) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => { select(round.id); }}>
          {t.common.view}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary">{r.hint}</Typography.Text>
        {canWrite && !locked ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setOpening(true); }}>
            {r.open}
          </Button>
        ) : null}
      </Space>
      {rounds.error ? <Alert type="error" showIcon title={errorMessage(rounds.error)} /> : null}
      <div data-testid="round-table">
        <Table<RoundRead>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          loading={rounds.loading}
          pagination={false}
          locale={{ emptyText: r.noRounds }}
          rowClassName={(round) => (round.id === selected ? 'ant-table-row-selected' : '')}
        />
      </div>
      {selected ? <RoundPanel key={selected} roundId={selected} locked={locked} onChanged={rounds.reload} /> : null}
      {opening ? (
        <OpenRoundDialog
          scheme={scheme}
          onClose={() => { setOpening(false); }}
          onOpened={(round) => {
            setOpening(false);
            rounds.reload();
            select(round.id);
          }}
        />
      ) : null}
    </Space>
  );
}
