import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  addScoringCaseTalk,
  closeScoringCase,
  decideScoringCase,
  listScoringCases,
  setScoringCaseDeadline,
  type CaseRead,
  type CaseStatus,
  type Disposal,
  type SchemeRead,
} from '../api';
import { useCan } from '../auth/permissions';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { todayInChina } from '../lib/dates';
import { formatDate } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { offeredSteps, type CaseStep } from './caseSteps';
import { CASE_STATUS_COLORS, etagOf } from './labels';
import { showLocalizedFieldErrors } from './problemFields';
import { useMemberNames } from '../components/useNames';

const s = t.scoring;
const cs = s.cases;
const empty = t.common.empty;
const required = [{ required: true, message: s.form.required }];
const text = [{ required: true, whitespace: true, message: s.form.required }];

interface StepValues {
  held_on?: Dayjs;
  by?: string;
  notes?: string;
  improvement_deadline?: Dayjs;
  disposal?: Disposal;
  note?: string;
  decided_on?: Dayjs;
}

/** A talk's field (the API sends talks as plain objects). */
const field = (value: unknown): string => (typeof value === 'string' ? value : '');
const day = (value: Dayjs | undefined): string => (value ? value.format('YYYY-MM-DD') : '');

async function send(step: CaseStep, item: CaseRead, values: StepValues): Promise<void> {
  const options = { path: { case_id: item.id }, headers: { 'if-match': etagOf(item.version) } };
  switch (step) {
    case 'talk':
      await addScoringCaseTalk({ ...options, body: { held_on: day(values.held_on), by: values.by?.trim() ?? '', notes: values.notes?.trim() ?? '' } });
      return;
    case 'deadline':
      await setScoringCaseDeadline({ ...options, body: { improvement_deadline: day(values.improvement_deadline) } });
      return;
    case 'decide':
      await decideScoringCase({
        ...options,
        body: { disposal: values.disposal ?? 'improved', note: values.note?.trim() ?? '', decided_on: values.decided_on ? day(values.decided_on) : null },
      });
      return;
    case 'close':
      await closeScoringCase(options);
      return;
  }
}

function StepFields({ step }: { step: CaseStep }) {
  const today = todayInChina();
  switch (step) {
    case 'talk':
      return (
        <>
          <Form.Item name="held_on" label={cs.heldOn} rules={required}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d: Dayjs) => d.format('YYYY-MM-DD') > today} />
          </Form.Item>
          <Form.Item name="by" label={cs.by} rules={text}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="notes" label={cs.notes} rules={text}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </>
      );
    case 'deadline':
      return (
        <Form.Item name="improvement_deadline" label={cs.deadline} rules={required} extra={cs.deadlineHint}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'decide':
      return (
        <>
          <Form.Item name="disposal" label={cs.disposal} rules={required}>
            <Radio.Group options={optionsOf(s.disposals)} style={{ display: 'grid', gap: 4 }} />
          </Form.Item>
          <Form.Item name="note" label={cs.decisionNote} rules={text}>
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
          <Form.Item name="decided_on" label={cs.decidedOn}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </>
      );
    case 'close':
      return <Typography.Paragraph>{cs.closeConfirm}</Typography.Paragraph>;
  }
}

function StepDialog({ step, item, name, onClose, onDone }: { step: CaseStep; item: CaseRead; name: string; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<StepValues>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const submit = async (values: StepValues) => {
    setSubmitting(true);
    setError(null);
    try {
      await send(step, item, values);
      void message.success(cs.done(cs.steps[step]));
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 412 ? s.staleReloaded : errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal
      open
      title={`${cs.steps[step]} · ${name}`}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => { form.submit(); }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<StepValues> form={form} layout="vertical" initialValues={step === 'talk' ? { held_on: dayjs(todayInChina()) } : {}} onFinish={(values) => void submit(values)}>
        <StepFields step={step} />
      </Form>
    </Modal>
  );
}

/** Follow-up of 不合格 members after publishing: talks, an improvement deadline, the decision, close. */
export function CasesTab({ scheme }: { scheme: SchemeRead }) {
  const canWrite = useCan('scoring:write');
  const [status, setStatus] = useState<CaseStatus | undefined>(undefined);
  const [acting, setActing] = useState<{ step: CaseStep; item: CaseRead } | null>(null);
  const [pageSize, setPageSize] = useState(20);
  const queryKey = `${scheme.id}|${status ?? ''}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const page = useLoader<{ items: CaseRead[]; next_cursor: string | null }>(
    () =>
      listScoringCases({ query: { scheme_id: scheme.id, status, cursor: keyset.cursor, limit: pageSize } }).then(({ data }) => ({
        items: data.items,
        next_cursor: data.next_cursor ?? null,
      })),
    `${queryKey}|${keyset.cursor ?? ''}`,
  );
  const items = page.data?.items ?? [];
  const names = useMemberNames(items.map((item) => item.member_id));

  const columns: TableProps<CaseRead>['columns'] = [
    { key: 'member', title: cs.member, render: (_, item) => names[item.member_id] ?? `#${item.member_id}` },
    { key: 'status', title: cs.status, render: (_, item) => <Tag color={CASE_STATUS_COLORS[item.status]}>{s.caseStatuses[item.status]}</Tag> },
    {
      key: 'talks',
      title: cs.talks,
      render: (_, item) =>
        item.talks.length
          ? item.talks.map((talk, i) => (
              <div key={i}>
                {field(talk.held_on)} · {field(talk.by)}：{field(talk.notes)}
              </div>
            ))
          : empty,
    },
    { key: 'deadline', title: cs.deadline, render: (_, item) => (item.improvement_deadline ? formatDate(item.improvement_deadline) : empty) },
    {
      key: 'disposal',
      title: cs.disposal,
      render: (_, item) => (item.disposal ? `${s.disposals[item.disposal]}${item.decision_note ? ` · ${item.decision_note}` : ''}` : empty),
    },
    {
      key: 'actions',
      title: t.common.actions,
      render: (_, item) =>
        canWrite ? (
          <Space size={4} wrap>
            {offeredSteps(item).map((step) => (
              <Button key={step} size="small" onClick={() => { setActing({ step, item }); }}>
                {cs.steps[step]}
              </Button>
            ))}
          </Space>
        ) : null,
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text type="secondary">{cs.hint}</Typography.Text>
        <Select<CaseStatus>
          aria-label={cs.status}
          placeholder={cs.status}
          allowClear
          value={status}
          onChange={setStatus}
          options={optionsOf(s.caseStatuses)}
          style={{ width: 140 }}
        />
      </Space>
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} /> : null}
      <Table<CaseRead>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={page.loading}
        pagination={false}
        locale={{ emptyText: cs.none }}
        scroll={{ x: 'max-content' }}
      />
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} />
      {acting ? (
        <StepDialog
          step={acting.step}
          item={acting.item}
          name={names[acting.item.member_id] ?? `#${acting.item.member_id}`}
          onClose={() => { setActing(null); }}
          onDone={() => {
            setActing(null);
            page.reload();
          }}
        />
      ) : null}
    </Space>
  );
}
