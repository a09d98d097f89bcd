import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  acceptComplaint,
  assignComplaint,
  closeComplaint,
  escalateComplaint,
  extendComplaint,
  listUsers,
  rejectComplaint,
  reopenComplaint,
  resolveComplaint,
  startComplaint,
  type ComplaintAssign,
  type ComplaintClose,
  type ComplaintExtend,
  type ComplaintNote,
  type ComplaintRead,
  type ComplaintReason,
  type ComplaintResolve,
  type ComplaintStart,
  type UserRead,
} from '../api';
import { RoutingSuggestion } from '../alerts/RoutingSuggestion';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { todayInChina } from '../lib/dates';
import { showFieldErrors } from '../lib/formErrors';
import { formatDate } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { bodyFor, chinaDay, type ActionBody, type ActionValues } from './actionBody';
import { isReassignment, type ComplaintAction } from './workflow';

const c = t.complaints;
const ff = c.form;
const required = [{ required: true, message: ff.required }];
const text = [{ required: true, whitespace: true, message: ff.required }, { min: 2, message: ff.tooShort }];

/** Sends the step to its endpoint, guarded by the item's ETag. */
async function send(action: ComplaintAction, id: number, etag: string | null, body: ActionBody): Promise<void> {
  const options = { path: { complaint_id: id }, headers: etag ? { 'if-match': etag } : undefined };
  switch (action) {
    case 'accept':
      await acceptComplaint({ ...options, body: body as ComplaintNote });
      return;
    case 'reject':
      await rejectComplaint({ ...options, body: body as ComplaintReason });
      return;
    case 'assign':
      await assignComplaint({ ...options, body: body as ComplaintAssign });
      return;
    case 'start':
      await startComplaint({ ...options, body: body as ComplaintStart });
      return;
    case 'extend':
      await extendComplaint({ ...options, body: body as ComplaintExtend });
      return;
    case 'resolve':
      await resolveComplaint({ ...options, body: body as ComplaintResolve });
      return;
    case 'close':
      await closeComplaint({ ...options, body: body as ComplaintClose });
      return;
    case 'reopen':
      await reopenComplaint({ ...options, body: body as ComplaintReason });
      return;
    case 'escalate':
      await escalateComplaint({ ...options, body: body as ComplaintNote });
      return;
  }
}

/** The active users of one organisation, to make one of them responsible. */
function ResponsibleSelect({ orgId, id, value, onChange }: { orgId: number | null; id?: string; value?: number | null; onChange?: (value: number | null) => void }) {
  const users = useLoader<UserRead[]>(
    () =>
      orgId === null
        ? Promise.resolve([])
        : listUsers({ query: { org_id: orgId, limit: 100 } }).then(({ data }) => data.items.filter((user) => user.is_active)),
    String(orgId),
  );
  return (
    <Select<number>
      id={id}
      value={value ?? undefined}
      onChange={(next: number | undefined) => onChange?.(next ?? null)}
      disabled={orgId === null}
      loading={orgId !== null && users.loading}
      placeholder={orgId === null ? ff.pickOrgFirst : undefined}
      notFoundContent={ff.noUsers}
      showSearch={{ optionFilterProp: 'label' }}
      options={(users.data ?? []).map((user) => ({ value: user.id, label: `${user.display_name}（${user.username}）` }))}
    />
  );
}

function NoteItem() {
  return (
    <Form.Item name="note" label={ff.note}>
      <Input.TextArea rows={2} maxLength={2000} />
    </Form.Item>
  );
}

function ReasonItem({ hint, max = 500 }: { hint?: string; max?: number }) {
  return (
    <Form.Item name="reason" label={ff.reason} rules={text} extra={hint}>
      <Input.TextArea rows={3} maxLength={max} showCount />
    </Form.Item>
  );
}

function Fields({ action, item }: { action: ComplaintAction; item: ComplaintRead }) {
  const form = Form.useFormInstance<ActionValues>();
  const orgId = Form.useWatch('org_id', form) ?? null;
  const closure = Form.useWatch('closure', form);
  const dueDay = chinaDay(item.due_at);
  switch (action) {
    case 'accept':
    case 'escalate':
      return <NoteItem />;
    case 'reject':
      return <ReasonItem hint={ff.reasonRejectHint} />;
    case 'reopen':
      return <ReasonItem hint={ff.reasonReopenHint} />;
    case 'assign':
      return (
        <>
          <RoutingSuggestion
            text={`${item.title} ${item.description}`}
            categoryCode={item.category_code}
            onAdoptOrg={(org) => {
              form.setFieldsValue({ org_id: org, responsible_user_id: null });
            }}
          />
          <Form.Item name="org_id" label={ff.org} rules={required}>
            <OrgPicker
              allowClear={false}
              style={{ width: '100%' }}
              onChange={(next) => {
                form.setFieldsValue({ org_id: next, responsible_user_id: null });
              }}
            />
          </Form.Item>
          <Form.Item name="responsible_user_id" label={ff.responsible} rules={required}>
            <ResponsibleSelect orgId={orgId} />
          </Form.Item>
          <NoteItem />
        </>
      );
    case 'start':
      return (
        <>
          <Form.Item name="promise" label={ff.promise} rules={text}>
            <Input.TextArea rows={3} maxLength={1000} showCount placeholder={ff.promisePlaceholder} />
          </Form.Item>
          <Form.Item name="promised_by" label={ff.promisedBy} rules={required} extra={ff.promisedByHint(formatDate(dueDay))}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(day: Dayjs) => {
                const iso = day.format('YYYY-MM-DD');
                return iso < todayInChina() || iso > dueDay;
              }}
            />
          </Form.Item>
          <NoteItem />
        </>
      );
    case 'extend':
      return (
        <>
          <Form.Item name="days" label={ff.days} rules={required} extra={ff.daysHint}>
            <InputNumber min={1} max={30} precision={0} />
          </Form.Item>
          <ReasonItem />
        </>
      );
    case 'resolve':
      return (
        <>
          <Form.Item name="result" label={ff.result} rules={text}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
          <NoteItem />
        </>
      );
    case 'close':
      return (
        <>
          <Form.Item name="closure" label={ff.closureReason} rules={required}>
            <Radio.Group options={optionsOf(c.closureReasons)} style={{ display: 'grid', gap: 4 }} />
          </Form.Item>
          {closure === 'duplicate' ? (
            <Form.Item name="duplicate_of_id" label={ff.duplicateOf} rules={required} extra={ff.duplicateOfHint}>
              <InputNumber min={1} precision={0} prefix="#" style={{ width: 160 }} />
            </Form.Item>
          ) : null}
          <NoteItem />
        </>
      );
  }
}

function initialValues(action: ComplaintAction, item: ComplaintRead): ActionValues {
  switch (action) {
    case 'assign':
      return { org_id: item.org_id, responsible_user_id: item.responsible_user_id };
    case 'start': {
      // A week from today by default, within the deadline.
      const week = dayjs(todayInChina()).add(7, 'day').format('YYYY-MM-DD');
      const day = week < chinaDay(item.due_at) ? week : chinaDay(item.due_at);
      return { promised_by: dayjs(day) };
    }
    case 'close':
      return { closure: 'fixed' };
    default:
      return {};
  }
}

interface Props {
  action: ComplaintAction;
  item: ComplaintRead;
  etag: string | null;
  onClose: () => void;
  onDone: () => void;
  /** The item changed since it was read (412): reload it, so that a retry carries the new ETag. */
  onStale: () => void;
}

/** One workflow step on an item, showing the API's refusal (409 out of order, 412 changed meanwhile) in place. */
export function ActionDialog({ action, item, etag, onClose, onDone, onStale }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = action === 'assign' && isReassignment(item) ? c.actions.reassign : c.actions[action];

  const submit = async (values: ActionValues) => {
    setSubmitting(true);
    setError(null);
    try {
      await send(action, item.id, etag, bodyFor(action, values, item.due_at));
      void message.success(c.done(title));
      onDone();
    } catch (caught) {
      const stale = caught instanceof ApiError && caught.status === 412;
      setError(stale ? c.staleReloaded : errorMessage(caught));
      showFieldErrors(form, caught);
      if (stale || (caught instanceof ApiError && caught.status === 409)) onStale();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={`${title} · #${item.id} ${item.title}`}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      okButtonProps={{ danger: action === 'reject' }}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<ActionValues> form={form} layout="vertical" initialValues={initialValues(action, item)} onFinish={(values) => void submit(values)}>
        <Fields action={action} item={item} />
      </Form>
    </Modal>
  );
}
