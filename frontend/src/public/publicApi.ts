import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';

/**
 * A refused public request. Public endpoints are rate limited (429 with `Retry-After`), so the error
 * keeps how long to wait, which the generated client's error alone does not carry.
 */
export class PublicError extends Error {
  readonly original: unknown;
  readonly status: number | null;
  /** Seconds to wait before trying again (429), else null. */
  readonly retryAfter: number | null;

  constructor(cause: unknown, retryAfter: number | null) {
    super(errorMessage(cause));
    this.name = 'PublicError';
    this.original = cause;
    this.status = cause instanceof ApiError ? cause.status : null;
    this.retryAfter = retryAfter;
  }
}

/** `Retry-After` as whole seconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date = new Date()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response?: Response;
}

/**
 * The data of a generated-client call made with `throwOnError: false`, or a `PublicError` that keeps
 * the response's `Retry-After`.
 */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (error === undefined && response?.ok) {
    return data as T;
  }
  throw new PublicError(error, retryAfterSeconds(response?.headers.get('Retry-After')));
}

/** The message for a public error: the wait, for a rate limit; the server's words otherwise. */
export function publicErrorMessage(error: unknown): string {
  if (error instanceof PublicError) {
    if (error.status === 429) return t.publicComplaints.rateLimited(error.retryAfter ?? 60);
    return error.message;
  }
  return errorMessage(error);
}
