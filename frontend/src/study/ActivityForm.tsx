import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { createActivity, type ActivityRead } from '../api';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { showFieldErrors } from '../lib/formErrors';
import { optionsOf } from '../members/labels';
import { toActivityCreate, type ActivityValues as Values } from './activityBody';

const s = t.study;

interface Props {
  defaultOrgId: number | null;
  onClose: () => void;
  onCreated: (activity: ActivityRead) => void;
}

/** Records a study activity (a meeting, a lecture, a class…). */
export function ActivityForm({ defaultOrgId, onClose, onCreated }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const { data } = await createActivity({ body: toActivityCreate(values) });
      void message.success(s.created);
      onCreated(data);
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
      title={s.createTitle}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      width={640}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ org_id: defaultOrgId ?? undefined, kind: 'branch_meeting', hours: 2 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="org_id" label={s.fields.org} rules={[{ required: true, message: s.required.org }]}>
          <OrgPicker allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={s.fields.kind} rules={[{ required: true, message: s.required.kind }]}>
              <Select options={optionsOf(s.kinds)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="starts_at" label={s.fields.startsAt} rules={[{ required: true, message: s.required.startsAt }]}>
              <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="topic" label={s.fields.topic} rules={[{ required: true, whitespace: true, message: s.required.topic }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="place" label={s.fields.place}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="presenter" label={s.fields.presenter}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="hours" label={s.fields.hours} rules={[{ required: true, message: s.required.hours }]}>
              <InputNumber min={0.5} max={80} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="content" label={s.fields.content}>
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="materials" label={s.fields.materials}>
          <Input.TextArea rows={2} placeholder="https://" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
