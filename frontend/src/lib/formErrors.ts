import type { FormInstance } from 'antd';
import { fieldErrors } from './apiError';

/** Puts a 422's field errors under the form fields they name. */
export function showFieldErrors(form: FormInstance, error: unknown): void {
  form.setFields(
    fieldErrors(error)
      .filter(({ path }) => path.length > 0)
      .map(({ path, message }) => ({ name: path, errors: [message] })),
  );
}
