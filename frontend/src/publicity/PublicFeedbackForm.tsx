import { Alert, Button, Form, Input, Radio } from 'antd';
import { useState } from 'react';
import { filePublicFeedback, type FeedbackCreate, type FeedbackKind } from '../api';
import { t } from '../i18n';
import { showFieldErrors } from '../lib/formErrors';
import { optionsOf } from '../members/labels';
import { PublicError, publicErrorMessage, unwrap } from '../public/publicApi';
import { useCountdown } from '../public/useCountdown';

const p = t.publicity;
const pp = p.public;

interface Values {
  kind: FeedbackKind;
  text: string;
  name?: string;
  contact?: string;
}

const optional = (value: string | undefined): string | null => (value?.trim() ? value.trim() : null);

function toFeedbackBody(values: Values): FeedbackCreate {
  return { kind: values.kind, text: values.text.trim(), name: optional(values.name), contact: optional(values.contact) };
}

/** Files an objection or a comment on one public item, without an account; name and contact optional. */
export function PublicFeedbackForm({ publicationId }: { publicationId: number }) {
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [wait, startWait] = useCountdown();

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await unwrap(filePublicFeedback({ path: { publication_id: publicationId }, body: toFeedbackBody(values), throwOnError: false }));
      setDone(true);
      form.resetFields();
    } catch (caught) {
      setError(publicErrorMessage(caught));
      if (caught instanceof PublicError) {
        showFieldErrors(form, caught.original);
        if (caught.status === 429) startWait(caught.retryAfter ?? 60);
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (done) {
    return <Alert type="success" showIcon title={pp.submitted} role="status" />;
  }
  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'objection' }} requiredMark="optional" onFinish={(values) => void submit(values)}>
      <Form.Item name="kind" label={pp.feedbackKind}>
        <Radio.Group options={optionsOf(p.feedbackKinds)} optionType="button" />
      </Form.Item>
      <Form.Item
        name="text"
        label={pp.text}
        rules={[
          { required: true, whitespace: true, message: pp.required },
          { min: 2, message: pp.tooShort },
        ]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={pp.textPlaceholder} />
      </Form.Item>
      <Form.Item name="name" label={pp.filer}>
        <Input maxLength={50} autoComplete="name" />
      </Form.Item>
      <Form.Item name="contact" label={pp.contact} extra={pp.contactHint} rules={[{ min: 3, message: pp.tooShort }]}>
        <Input maxLength={100} autoComplete="tel" />
      </Form.Item>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" block loading={submitting} disabled={wait > 0}>
        {wait > 0 ? t.publicComplaints.retryIn(wait) : pp.submit}
      </Button>
    </Form>
  );
}
