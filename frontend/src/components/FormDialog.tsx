import { Alert, App, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { fieldOfProblem } from './problemField';
import { showFieldErrors } from '../lib/formErrors';

interface Props<V> {
  title: string;
  initialValues?: Partial<V>;
  /** Sends the form; the dialog shows the API's refusal in place (a 422's field errors under the fields). */
  submit: (values: V) => Promise<unknown>;
  /** Said once the write succeeded. */
  successMessage: string;
  onClose: () => void;
  onDone: () => void;
  /** The record changed since it was read (412) or is no longer in that state (409). */
  onStale?: () => void;
  /** Said instead of the server's words for a 412 (e.g. "changed meanwhile, reloaded"). */
  staleMessage?: string;
  /** Problems that belong to one field, by their `code` (e.g. `member_already_linked` → `member_id`). */
  codeFields?: Readonly<Record<string, string>>;
  okText?: string;
  danger?: boolean;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
}

/** A modal form for one write: submit, show the API's refusal where it belongs, say when it worked. */
export function FormDialog<V extends object>({
  title,
  initialValues,
  submit,
  successMessage,
  onClose,
  onDone,
  onStale,
  staleMessage,
  codeFields,
  okText,
  danger,
  children,
}: Props<V>) {
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (values: V) => {
    setSubmitting(true);
    setError(null);
    try {
      await submit(values);
      void message.success(successMessage);
      onDone();
    } catch (caught) {
      const field = fieldOfProblem(caught, codeFields);
      if (field) {
        form.setFields([{ name: field as never, errors: [errorMessage(caught)] }]);
      } else {
        const stale = caught instanceof ApiError && caught.status === 412;
        setError(stale && staleMessage ? staleMessage : errorMessage(caught));
        showFieldErrors(form, caught);
      }
      if (caught instanceof ApiError && (caught.status === 412 || caught.status === 409) && !field) onStale?.();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={okText ?? t.common.submit}
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
