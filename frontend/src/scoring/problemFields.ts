import type { FormInstance } from 'antd';
import { LOCALE } from '../i18n';
import { ApiError, fieldErrors } from '../lib/apiError';

interface FieldProblem {
  field: string;
  code?: string;
  message: string;
  messages?: Partial<Record<string, string>>;
}

/**
 * A 422's field errors in the UI language: the field's own localised message when the API sent one,
 * else (a rule of the service, e.g. `weights_not_one`) the problem's message when the field carries the
 * problem's code, else the field's plain message.
 */
export function localizedFieldErrors(error: unknown): { path: (string | number)[]; message: string }[] {
  if (!(error instanceof ApiError) || !error.problem?.errors) return [];
  const problem = error.problem;
  const raw = problem.errors as FieldProblem[];
  return fieldErrors(error).map(({ path }, i) => {
    const entry = raw[i];
    const own = entry?.messages?.[LOCALE];
    const whole = entry?.code && entry.code === problem.code ? problem.messages?.[LOCALE] : undefined;
    return { path, message: own ?? whole ?? entry?.message ?? '' };
  });
}

/** Puts a 422's field errors under the fields they name, in the UI language. */
export function showLocalizedFieldErrors(form: FormInstance, error: unknown): void {
  form.setFields(
    localizedFieldErrors(error)
      .filter(({ path }) => path.length > 0)
      .map(({ path, message }) => ({ name: path, errors: [message] })),
  );
}
