import { CalculatorOutlined } from '@ant-design/icons';
import { Alert, App, Button, Progress, Space, Switch, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { listScoringRankings, recomputeScoringScheme, type JobRead, type RankingRow, type SchemeRead } from '../api';
import { useCan } from '../auth/permissions';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { useOrgNames } from '../components/useNames';
import { LOCALE, t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { ExplanationDrawer } from './ExplanationDrawer';
import { gradeColor, gradeLabel } from './grades';
import { useJob } from './useJob';

const s = t.scoring;
const rs = s.results;
const empty = t.common.empty;

/** The job's error as the app shows API errors: `messages` in the UI language when present. */
function jobErrorText(job: JobRead): string {
  const messages = job.error?.messages as Partial<Record<string, string>> | undefined;
  return messages?.[LOCALE] ?? (typeof job.error?.code === 'string' ? job.error.code : t.errors.unknown);
}

/** The recompute job's progress bar, followed until it ends. */
function RecomputeProgress({ start, onDone }: { start: JobRead; onDone: (job: JobRead) => void }) {
  const { job, error } = useJob(start, onDone);
  if (error) return <Alert type="error" showIcon title={errorMessage(error)} />;
  if (!job) return null;
  const percent = Math.round((job.progress ?? 0) * 100);
  const status = job.state === 'failed' || job.state === 'cancelled' ? 'exception' : job.state === 'succeeded' ? 'success' : 'active';
  return (
    <div data-testid="recompute-progress">
      <Space size={12} wrap>
        <Typography.Text>{s.jobStates[job.state]}</Typography.Text>
        <Typography.Text type="secondary">
          {job.total !== null ? rs.jobCount(job.done, job.total) : null}
          {job.eta_seconds !== null && job.state === 'running' ? ` · ${rs.eta(job.eta_seconds)}` : null}
        </Typography.Text>
      </Space>
      <Progress percent={job.state === 'succeeded' ? 100 : percent} status={status} />
      {job.error ? <Alert type="error" showIcon title={jobErrorText(job)} /> : null}
    </div>
  );
}

/** Recompute (a job with progress), then the rankings with grades; a row opens the member's explanation. */
export function ResultsTab({ scheme, onComputed }: { scheme: SchemeRead; onComputed: () => void }) {
  const canWrite = useCan('scoring:write');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [job, setJob] = useState<JobRead | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [orgId, setOrgId] = useState<number | null>(null);
  const [subtree, setSubtree] = useState(true);
  const [pageSize, setPageSize] = useState(20);
  const queryKey = `${scheme.id}|${scheme.computed_at ?? ''}|${orgId ?? ''}|${subtree}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<{ items: RankingRow[]; next_cursor: string | null }>(
    () =>
      listScoringRankings({
        path: { scheme_id: scheme.id },
        query: { org_id: orgId ?? undefined, subtree, cursor: keyset.cursor, limit: pageSize },
      }).then(({ data }) => ({ items: data.items, next_cursor: data.next_cursor ?? null })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const items = page.data?.items ?? [];
  const orgNames = useOrgNames(items.map((row) => row.org_id));
  const memberId = Number(params.get('member')) || null;
  const locked = scheme.status === 'published';

  const openMember = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id === null) next.delete('member');
    else next.set('member', String(id));
    setParams(next, { replace: true });
  };

  const recompute = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const { data } = await recomputeScoringScheme({ path: { scheme_id: scheme.id } });
      setJob(data);
    } catch (caught) {
      setStartError(errorMessage(caught));
    } finally {
      setStarting(false);
    }
  };

  const finished = (done: JobRead) => {
    setJob(done);
    if (done.state === 'succeeded') {
      const members = typeof done.result?.members === 'number' ? done.result.members : done.done;
      void message.success(rs.computed(members));
      onComputed();
      page.reload();
    } else {
      void message.error(jobErrorText(done));
    }
  };

  const columns: TableProps<RankingRow>['columns'] = [
    { key: 'rank', title: rs.rank, width: 64, render: (_, row) => row.rank },
    {
      key: 'name',
      title: rs.member,
      render: (_, row) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => { openMember(row.member_id); }}>
          {row.member_name}
        </Button>
      ),
    },
    { key: 'org', title: rs.org, render: (_, row) => orgNames[row.org_id] ?? empty },
    { key: 'score', title: rs.score, render: (_, row) => <span className="mono">{row.score}</span> },
    {
      key: 'grade',
      title: rs.grade,
      render: (_, row) => (
        <Tag color={gradeColor(row)} data-testid="grade-tag">
          {gradeLabel(row)}
        </Tag>
      ),
    },
  ];

  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary">{scheme.computed_at ? rs.hint : s.notComputed}</Typography.Text>
        {canWrite && !locked ? (
          <Button type="primary" icon={<CalculatorOutlined />} loading={starting || running} onClick={() => void recompute()}>
            {rs.recompute}
          </Button>
        ) : null}
      </Space>
      {startError ? <Alert type="error" showIcon title={startError} role="alert" /> : null}
      {job ? <RecomputeProgress key={job.id} start={job} onDone={finished} /> : null}
      <Space wrap size={12}>
        <OrgPicker aria-label={rs.org} value={orgId} onChange={setOrgId} />
        <Space size={6}>
          <Switch checked={subtree} onChange={setSubtree} aria-label={rs.subtree} />
          {rs.subtree}
        </Space>
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} /> : null}
      <div data-testid="ranking-table">
        <Table<RankingRow>
          rowKey="member_id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.loading}
          pagination={false}
          locale={{ emptyText: rs.noResults }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {memberId ? <ExplanationDrawer key={memberId} schemeId={scheme.id} memberId={memberId} onClose={() => { openMember(null); }} /> : null}
    </Space>
  );
}
