import { Alert, Checkbox, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import {
  createWebhook,
  updateWebhook,
  type ServiceAccountRead,
  type VanguardWebhooksModelsEventType as EventType,
  type WebhookRead,
  type WebhookWithSecret,
} from '../api';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { etagOf } from '../scoring/labels';
import { initialValues, toCreateBody, toUpdateBody, webhookFieldErrors, type WebhookValues } from './webhookForm';

const w = t.webhooks;
const required = [{ required: true, message: w.required }];

interface Props {
  /** null: a new webhook. */
  webhook: WebhookRead | null;
  orgId: number | null;
  eventTypes: EventType[];
  accounts: ServiceAccountRead[];
  onClose: () => void;
  /** A new webhook comes with its secret, to be shown once. */
  onCreated: (created: WebhookWithSecret) => void;
  onSaved: () => void;
  /** Someone else changed the webhook meanwhile (412): the page reloads it. */
  onStale: () => void;
}

/** Create a webhook (org, URL, events, optional service account) or change one's URL, events and whether it is active. */
export function WebhookDialog({ webhook, orgId, eventTypes, accounts, onClose, onCreated, onSaved, onStale }: Props) {
  const [form] = Form.useForm<WebhookValues>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const save = async (values: WebhookValues) => {
    if (webhook) {
      const body = toUpdateBody(values, webhook);
      if (body) await updateWebhook({ path: { webhook_id: webhook.id }, body, headers: { 'if-match': etagOf(webhook.version) } });
      onSaved();
      return;
    }
    const { data } = await createWebhook({ body: toCreateBody(values) });
    // The API creates webhooks active; one meant to start paused is paused right after.
    if (values.active === false) {
      await updateWebhook({ path: { webhook_id: data.id }, body: { active: false }, headers: { 'if-match': etagOf(data.version) } });
    }
    onCreated(data);
  };

  const submit = async (values: WebhookValues) => {
    setSubmitting(true);
    setError(null);
    try {
      await save(values);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        onStale();
        return;
      }
      setError(errorMessage(caught));
      form.setFields(webhookFieldErrors(caught));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={webhook ? w.editTitle : w.createTitle}
      okText={t.common.save}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      destroyOnHidden
      width={640}
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<WebhookValues> form={form} layout="vertical" initialValues={initialValues(webhook, orgId)} onFinish={(values) => void submit(values)}>
        {webhook ? null : (
          <Form.Item name="org_id" label={w.org} rules={required} extra={w.orgHint}>
            <OrgPicker aria-label={w.org} allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item
          name="url"
          label={w.url}
          extra={w.urlHint}
          rules={[...required, { pattern: /^https?:\/\/\S+$/i, message: w.urlInvalid }]}
        >
          <Input aria-label={w.url} placeholder="https://" maxLength={2000} />
        </Form.Item>
        <Form.Item name="description" label={w.description}>
          <Input aria-label={w.description} maxLength={200} />
        </Form.Item>
        <Form.Item name="event_types" label={w.eventTypes} rules={[{ required: true, type: 'array', min: 1, message: w.eventRequired }]}>
          <Checkbox.Group
            aria-label={w.eventTypes}
            data-testid="webhook-event-types"
            style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', gap: 8 }}
            options={eventTypes.map((value) => ({ value, label: w.events[value] }))}
          />
        </Form.Item>
        {webhook ? null : (
          <Form.Item name="service_account_id" label={w.account} extra={w.accountHint}>
            <Select
              aria-label={w.account}
              allowClear
              placeholder={w.noAccount}
              options={accounts.map((account) => ({ value: account.id, label: account.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="active" label={w.active} valuePropName="checked" extra={w.activeHint}>
          <Switch aria-label={w.active} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
