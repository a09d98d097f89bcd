import { CloudUploadOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Progress, Radio, Result, Select, Space, Table, Tag, Tooltip, Typography, Upload, type TableProps } from 'antd';
import { useState } from 'react';
import { cancelJob, importBadRows, importTemplate, listJobs, startImport, type ImportKind, type ImportMode, type JobRead, type JobState, type JobSummary } from '../api';
import { useAuth } from '../auth/authContext';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { dispositionFilename, saveBlob } from '../lib/download';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { allowedKinds, badRowCount, canCommit, formatEta, isFinished, jobErrorMessage, jobKindOf, percentOf, reportOf, rowMessage, type ImportReport, type RowError } from './importJob';
import { useFollowJob } from './useFollowJob';

const m = t.imports;
const empty = t.common.empty;

const STATE_COLORS: Record<JobState, string> = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'warning' };

/** The bar of a running (or just finished) import job: rows done, bad, time left, and a way to stop it. */
function JobProgress({ job, title, onCancel }: { job: JobRead; title: string; onCancel: () => void }) {
  const finished = isFinished(job);
  const eta = finished ? null : formatEta(job.eta_seconds);
  return (
    <div data-testid="import-progress">
      <Typography.Text strong>{finished ? m.jobStates[job.state] : title}</Typography.Text>
      <Progress percent={percentOf(job)} status={job.state === 'failed' ? 'exception' : finished ? 'success' : 'active'} />
      <Space wrap>
        <span data-testid="import-progress-rows">{m.progress(job.done, job.total)}</span>
        {job.failed > 0 ? <Typography.Text type="danger">{m.failedRows(job.failed)}</Typography.Text> : null}
        {eta ? <Typography.Text type="secondary">{m.eta(eta)}</Typography.Text> : null}
        {!finished && !job.cancel_requested ? (
          <Button size="small" danger onClick={onCancel}>
            {m.cancel}
          </Button>
        ) : null}
        {!finished && job.cancel_requested ? <Typography.Text type="warning">{m.cancelRequested}</Typography.Text> : null}
      </Space>
    </div>
  );
}

/** What a finished import said: counts, the columns read and ignored, and every bad row. */
function ReportView({ job, report }: { job: JobRead; report: ImportReport }) {
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState(false);
  const columns: TableProps<RowError>['columns'] = [
    { key: 'row', title: m.row, width: 80, render: (_, error) => error.row },
    { key: 'column', title: m.column, width: 160, render: (_, error) => error.column ?? empty },
    { key: 'message', title: m.message, render: (_, error) => rowMessage(error) },
  ];
  const downloadBadRows = async () => {
    setDownloading(true);
    try {
      const { data, response } = await importBadRows({ path: { job_id: job.id }, parseAs: 'blob' });
      saveBlob(data as Blob, dispositionFilename(response.headers.get('Content-Disposition'), `bad-rows-${String(job.id)}.xlsx`));
    } catch (caught) {
      void message.error(errorMessage(caught));
    } finally {
      setDownloading(false);
    }
  };
  const outcome = report.dry_run ? (
    <Alert type="info" showIcon title={m.dryRunDone} />
  ) : report.committed ? (
    <Alert type="success" showIcon title={m.committed} />
  ) : (
    <Alert type="warning" showIcon title={m.notCommitted} />
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid={report.dry_run ? 'dry-run-report' : 'commit-report'}>
      {outcome}
      <Descriptions size="small" bordered column={{ xs: 2, sm: 3, lg: 6 }} data-testid="import-counts">
        <Descriptions.Item label={m.counts.total}>{report.total_rows}</Descriptions.Item>
        <Descriptions.Item label={m.counts.valid}>{report.valid_rows}</Descriptions.Item>
        <Descriptions.Item label={m.counts.bad}>{badRowCount(report)}</Descriptions.Item>
        <Descriptions.Item label={m.counts.created}>{report.created}</Descriptions.Item>
        <Descriptions.Item label={m.counts.updated}>{report.updated}</Descriptions.Item>
        <Descriptions.Item label={m.counts.unchanged}>{report.unchanged}</Descriptions.Item>
      </Descriptions>
      <div data-testid="matched-columns">
        <Typography.Text type="secondary">{m.matchedColumns}：</Typography.Text>
        {Object.entries(report.columns).map(([header, field]) => (
          <Tooltip key={header} title={field}>
            <Tag color="blue">{header}</Tag>
          </Tooltip>
        ))}
      </div>
      {report.ignored_columns.length > 0 ? (
        <div data-testid="ignored-columns">
          <Typography.Text type="secondary">{m.ignoredColumns}：</Typography.Text>
          {report.ignored_columns.map((header) => (
            <Tag key={header}>{header}</Tag>
          ))}
        </div>
      ) : null}
      <Table<RowError>
        data-testid="bad-rows"
        size="small"
        rowKey={(error) => `${String(error.row)}|${error.column ?? ''}|${error.code}|${rowMessage(error)}`}
        columns={columns}
        dataSource={report.errors}
        pagination={report.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: m.noBadRows }}
        title={() => (
          <Space>
            <Typography.Text strong>{m.badRows}</Typography.Text>
            {report.errors.length > 0 ? (
              <Button size="small" icon={<DownloadOutlined />} loading={downloading} onClick={() => void downloadBadRows()}>
                {m.downloadBadRows}
              </Button>
            ) : null}
          </Space>
        )}
      />
    </Space>
  );
}

/** A job that ended without a report: failed or cancelled. */
function Ended({ job }: { job: JobRead }) {
  if (job.state === 'cancelled') return <Alert type="warning" showIcon title={m.cancelled} />;
  if (job.state === 'failed') return <Alert type="error" showIcon title={m.jobFailed} description={jobErrorMessage(job) ?? undefined} />;
  return null;
}

function RecentImports({ kind, reloadKey }: { kind: ImportKind; reloadKey: number }) {
  const jobs = useLoader(() => listJobs({ query: { kind: jobKindOf(kind), limit: 10 } }).then(({ data }) => data.items), `${kind}|${String(reloadKey)}`);
  const columns: TableProps<JobSummary>['columns'] = [
    { key: 'id', title: m.job, width: 80, render: (_, job) => <span className="mono">#{job.id}</span> },
    { key: 'state', title: m.state, render: (_, job) => <Tag color={STATE_COLORS[job.state]}>{m.jobStates[job.state]}</Tag> },
    { key: 'rows', title: m.rows, render: (_, job) => (job.total === null ? job.done : `${String(job.done)} / ${String(job.total)}`) },
    { key: 'failed', title: m.failed, render: (_, job) => job.failed },
    { key: 'by', title: m.createdBy, render: (_, job) => job.created_by.name },
    { key: 'at', title: m.createdAt, render: (_, job) => formatDateTime(job.created_at) },
  ];
  return (
    <Card size="small" title={m.recent}>
      {jobs.error ? <Alert type="error" showIcon title={errorMessage(jobs.error)} /> : null}
      <Table<JobSummary>
        data-testid="recent-imports"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={jobs.data ?? []}
        loading={jobs.loading}
        pagination={false}
        locale={{ emptyText: m.noJobs }}
      />
    </Card>
  );
}

/**
 * 批量导入: pick what to import and a default organisation, download the template, check the file (a dry
 * run that writes nothing), read the report and fix the bad rows, then import it for real — each step a
 * job followed with a progress bar that can be cancelled.
 */
export function ImportPage({ pollMs = 800 }: { pollMs?: number }) {
  const { user } = useAuth();
  const { message } = App.useApp();
  const kinds = allowedKinds(user?.permissions ?? []);
  const [chosenKind, setChosenKind] = useState<ImportKind | null>(null);
  const kind = chosenKind ?? kinds[0] ?? null;
  const [orgId, setOrgId] = useState<number | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('all_or_nothing');
  const [check, setCheck] = useState<JobRead | null>(null);
  const [commit, setCommit] = useState<JobRead | null>(null);
  const [starting, setStarting] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  const following = commit ?? check;
  const running = following !== null && !isFinished(following);
  const update = (job: JobRead) => {
    setCheck((known) => (known?.id === job.id ? job : known));
    setCommit((known) => (known?.id === job.id ? job : known));
    if (isFinished(job)) setReloadKey((key) => key + 1);
  };
  useFollowJob(
    running ? following.id : null,
    update,
    (caught) => {
      void message.error(errorMessage(caught));
    },
    pollMs,
  );

  if (!user) return null;
  if (kind === null) return <Result status="403" title={m.forbidden} />;

  const reset = () => {
    setCheck(null);
    setCommit(null);
  };
  const start = async (dryRun: boolean) => {
    if (!file) {
      void message.warning(m.noFile);
      return;
    }
    setStarting(true);
    try {
      const { data } = await startImport({ path: { kind }, body: { file, org_id: orgId ?? undefined, dry_run: dryRun, mode } });
      if (dryRun) {
        setCheck(data);
        setCommit(null);
      } else {
        setCommit(data);
      }
      setReloadKey((key) => key + 1);
    } catch (caught) {
      void message.error(errorMessage(caught));
    } finally {
      setStarting(false);
    }
  };
  const cancel = async (job: JobRead) => {
    try {
      const { data } = await cancelJob({ path: { job_id: job.id } });
      update(data);
    } catch (caught) {
      void message.error(errorMessage(caught));
    }
  };
  const downloadTemplate = async () => {
    try {
      const { data, response } = await importTemplate({ path: { kind }, parseAs: 'blob' });
      saveBlob(data as Blob, dispositionFilename(response.headers.get('Content-Disposition'), `${kind}-template.xlsx`));
    } catch (caught) {
      void message.error(errorMessage(caught));
    }
  };

  const checkReport = check?.state === 'succeeded' ? reportOf(check) : null;
  const commitReport = commit?.state === 'succeeded' ? reportOf(commit) : null;
  const committable = checkReport !== null && canCommit(checkReport, mode);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <CloudUploadOutlined style={{ color: 'var(--ant-color-primary)' }} />
            {m.title}
          </Space>
        }
        extra={
          <Button icon={<DownloadOutlined />} onClick={() => void downloadTemplate()}>
            {m.template}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{m.steps}</Typography.Paragraph>
        <Form layout="vertical" style={{ maxWidth: 640 }}>
          <Form.Item label={m.kind} htmlFor="import-kind">
            <Select<ImportKind>
              id="import-kind"
              value={kind}
              disabled={running}
              options={kinds.map((value) => ({ value, label: m.kinds[value] }))}
              onChange={(value) => {
                setChosenKind(value);
                reset();
              }}
            />
          </Form.Item>
          <Form.Item label={m.org} extra={m.orgHint} htmlFor="import-org">
            <OrgPicker
              id="import-org"
              aria-label={m.org}
              value={orgId}
              onChange={(value) => {
                setOrgId(value);
                reset();
              }}
            />
          </Form.Item>
          <Form.Item label={m.file}>
            <Upload
              accept=".xlsx,.csv"
              maxCount={1}
              disabled={running}
              fileList={file ? [{ uid: 'import-file', name: file.name, status: 'done' }] : []}
              beforeUpload={(chosen) => {
                setFile(chosen);
                reset();
                return false;
              }}
              onRemove={() => {
                setFile(null);
                reset();
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="import-choose-file">
                {m.chooseFile}
              </Button>
            </Upload>
          </Form.Item>
          <Button type="primary" loading={starting && commit === null} disabled={running || !file} onClick={() => void start(true)}>
            {m.dryRun}
          </Button>
        </Form>
      </Card>

      {check ? (
        <Card size="small" title={m.dryRunReport} data-testid="check-card">
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {commit === null ? (
              <JobProgress
                job={check}
                title={m.checking}
                onCancel={() => {
                  void cancel(check);
                }}
              />
            ) : null}
            <Ended job={check} />
            {checkReport ? <ReportView job={check} report={checkReport} /> : null}
            {checkReport && commit === null ? (
              <Space wrap align="center">
                <Typography.Text>{m.mode}：</Typography.Text>
                <Radio.Group
                  value={mode}
                  onChange={(event) => {
                    setMode(event.target.value as ImportMode);
                  }}
                  options={(['all_or_nothing', 'valid_rows'] as const).map((value) => ({ value, label: m.modes[value] }))}
                />
                <Button type="primary" disabled={!committable} loading={starting} onClick={() => void start(false)}>
                  {m.commit}
                </Button>
                {!committable ? <Typography.Text type="warning">{checkReport.valid_rows === 0 ? m.nothingToCommit : m.commitBlocked}</Typography.Text> : null}
              </Space>
            ) : null}
          </Space>
        </Card>
      ) : null}

      {commit ? (
        <Card size="small" title={m.commitReport} data-testid="commit-card">
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <JobProgress
              job={commit}
              title={m.committing}
              onCancel={() => {
                void cancel(commit);
              }}
            />
            <Ended job={commit} />
            {commitReport ? <ReportView job={commit} report={commitReport} /> : null}
          </Space>
        </Card>
      ) : null}

      <RecentImports kind={kind} reloadKey={reloadKey} />
    </Space>
  );
}
