import { CheckCircleFilled, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { open311Services, submitPublicComplaint, type ComplaintReceipt } from '../api';
import { publicCategoryGroups, type CategoryGroup } from '../complaints/categories';
import { t } from '../i18n';
import { showFieldErrors } from '../lib/formErrors';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { PublicError, publicErrorMessage, unwrap } from './publicApi';
import { toPublicBody, type Values } from './publicBody';
import { useCountdown } from './useCountdown';

const p = t.publicComplaints;
const required = (message: string) => [{ required: true, whitespace: true, message }];

function Receipt({ receipt, onTrack, onAnother }: { receipt: ComplaintReceipt; onTrack: () => void; onAnother: () => void }) {
  return (
    <Result
      icon={<CheckCircleFilled style={{ color: 'var(--ant-color-success)' }} />}
      title={p.submitted}
      subTitle={p.due(formatDateTime(receipt.due_at))}
      extra={
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <div className="tracking-code-box">
            <Typography.Text type="secondary">{p.keepCode}</Typography.Text>
            <Typography.Text
              className="tracking-code"
              data-testid="tracking-code"
              copyable={{ text: receipt.tracking_code, tooltips: [p.copy, p.copied] }}
            >
              {receipt.tracking_code}
            </Typography.Text>
          </div>
          <Space wrap style={{ justifyContent: 'center' }}>
            <Button type="primary" onClick={onTrack}>
              {p.viewProgress}
            </Button>
            <Button onClick={onAnother}>{p.another}</Button>
          </Space>
        </Space>
      }
    />
  );
}

/** Files a request without an account and hands back its tracking code. */
export function SubmitForm({ onTrack }: { onTrack: (code: string) => void }) {
  const [form] = Form.useForm<Values>();
  const [receipt, setReceipt] = useState<ComplaintReceipt | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wait, startWait] = useCountdown();
  const categories = useLoader<CategoryGroup[]>(
    () => unwrap(open311Services({ throwOnError: false })).then(publicCategoryGroups),
    'services',
  );

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      setReceipt(await unwrap(submitPublicComplaint({ body: toPublicBody(values), throwOnError: false })));
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

  if (receipt) {
    return (
      <Receipt
        receipt={receipt}
        onTrack={() => {
          onTrack(receipt.tracking_code);
        }}
        onAnother={() => {
          setReceipt(null);
        }}
      />
    );
  }

  return (
    <Form<Values> form={form} layout="vertical" onFinish={(values) => void submit(values)} requiredMark="optional" scrollToFirstError>
      {categories.error ? <Alert type="error" showIcon title={publicErrorMessage(categories.error)} style={{ marginBottom: 16 }} /> : null}
      <Form.Item name="category" label={p.category} rules={required(p.categoryPlaceholder)}>
        <Select
          placeholder={p.categoryPlaceholder}
          loading={categories.loading}
          options={categories.data ?? []}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      <Form.Item name="title" label={p.subject} rules={[...required(t.complaints.form.required), { min: 2, message: t.complaints.form.tooShort }]}>
        <Input maxLength={200} placeholder={p.titlePlaceholder} />
      </Form.Item>
      <Form.Item name="description" label={p.description} rules={[...required(t.complaints.form.required), { min: 2, message: t.complaints.form.tooShort }]}>
        <Input.TextArea rows={5} maxLength={4000} showCount placeholder={p.descriptionPlaceholder} />
      </Form.Item>
      <Form.Item name="location_text" label={p.location}>
        <Input maxLength={200} placeholder={p.locationPlaceholder} />
      </Form.Item>
      <Form.Item name="village" label={p.village}>
        <Input maxLength={100} />
      </Form.Item>
      <fieldset className="public-fieldset">
        <legend>{p.contact}</legend>
        <Form.Item name="reporter_name" label={p.name}>
          <Input maxLength={50} autoComplete="name" />
        </Form.Item>
        <Form.Item name="reporter_phone" label={p.phone} rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: p.phoneInvalid }]}>
          <Input maxLength={20} inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          <LockOutlined /> {p.privacy}
        </Typography.Paragraph>
      </fieldset>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {p.noPhoto}
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" size="large" block loading={submitting} disabled={wait > 0}>
        {wait > 0 ? p.retryIn(wait) : p.submit}
      </Button>
    </Form>
  );
}
