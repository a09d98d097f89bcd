import { ApiError } from '../lib/apiError';

/** The field a problem belongs to by its code, when `codeFields` names one. */
export function fieldOfProblem(error: unknown, codeFields: Readonly<Record<string, string>> | undefined): string | null {
  const code = error instanceof ApiError ? error.problem?.code : undefined;
  return (code && codeFields?.[code]) ?? null;
}
