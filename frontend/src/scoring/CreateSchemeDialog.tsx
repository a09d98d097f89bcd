import { Alert, Form, Modal } from 'antd';
import { useState } from 'react';
import { createScoringScheme, type SchemeRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { showLocalizedFieldErrors } from './problemFields';
import { createBody, DEFAULT_VALUES, type SchemeValues } from './schemeBody';
import { SchemeForm } from './SchemeForm';
import { pickerToday } from '../lib/dates';

interface Props {
  /** Preselected: the org the list is filtered to. */
  orgId: number | null;
  onClose: () => void;
  onCreated: (scheme: SchemeRead) => void;
}

/** A new scheme for an org and period, with the policy's default weights; the server's 422s land on the fields. */
export function CreateSchemeDialog({ orgId, onClose, onCreated }: Props) {
  const [form] = Form.useForm<SchemeValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const year = pickerToday().year();

  const submit = async (values: SchemeValues) => {
    setSubmitting(true);
    setError(null);
    try {
      const { data } = await createScoringScheme({ body: createBody(values) });
      onCreated(data);
    } catch (caught) {
      setError(errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={t.scoring.createTitle}
      width={960}
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
      <SchemeForm
        form={form}
        mode="create"
        initialValues={{ ...DEFAULT_VALUES, org_id: orgId, year, quarter: null, name: t.scoring.defaultName(year) }}
        onFinish={(values) => void submit(values)}
      />
    </Modal>
  );
}
