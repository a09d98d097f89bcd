import { Alert, App, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { showFieldErrors } from '../lib/formErrors';

const p = t.pairing;

interface Props<V> {
  title: string;
  initialValues?: Partial<V>;
  /** Sends the form; the dialog shows the API's refusal (409, 412, 422 under the fields) in place. */
  submit: (values: V) => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
  /** The record changed since it was read (412) or is no longer in that state (409): reload it. */
  onStale?: () => void;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  danger?: boolean;
}

/** A modal form for one write to the pairing API. */
export function FormDialog<V extends object>({ title, initialValues, submit, onClose, onDone, onStale, children, danger }: Props<V>) {
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (values: V) => {
    setSubmitting(true);
    setError(null);
    try {
      await submit(values);
      void message.success(p.created);
      onDone();
    } catch (caught) {
      const stale = caught instanceof ApiError && caught.status === 412;
      setError(stale ? p.staleReloaded : errorMessage(caught));
      showFieldErrors(form, caught);
      if (stale || (caught instanceof ApiError && caught.status === 409)) onStale?.();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      okButtonProps={{ danger }}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={(values) => void send(values)}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
