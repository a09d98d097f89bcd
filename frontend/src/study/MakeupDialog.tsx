import { Alert, App, DatePicker, Form, Input, InputNumber, Modal } from 'antd';
import { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { createMakeup, type AttendanceRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { isAfterTodayInChina, pickerToday } from '../lib/dates';
import { showFieldErrors } from '../lib/formErrors';

const a = t.attendanceTaking;

interface Values {
  studied_on: Dayjs;
  method: string;
  hours: number;
}

interface Props {
  activityId: number;
  activityHours: number;
  row: AttendanceRead;
  onClose: () => void;
  onDone: () => void;
}

/** 补学: a member who was absent or on leave makes the study up later. */
export function MakeupDialog({ activityId, activityHours, row, onClose, onDone }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await createMakeup({
        path: { activity_id: activityId },
        body: {
          member_id: row.member_id,
          studied_on: values.studied_on.format('YYYY-MM-DD'),
          method: values.method.trim(),
          hours: values.hours,
        },
      });
      void message.success(a.makeupSaved);
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
      showFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={a.makeupTitle(row.member_name)}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ studied_on: pickerToday(), hours: Math.min(activityHours, 24) }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="studied_on" label={a.studiedOn} rules={[{ required: true, message: a.required }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={isAfterTodayInChina} />
        </Form.Item>
        <Form.Item name="method" label={a.method} rules={[{ required: true, whitespace: true, message: a.required }]}>
          <Input maxLength={200} placeholder={a.methodPlaceholder} />
        </Form.Item>
        <Form.Item name="hours" label={a.hours} rules={[{ required: true, message: a.required }]}>
          <InputNumber min={0.5} max={24} step={0.5} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
