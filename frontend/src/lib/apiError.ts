import { LOCALE, t } from '../i18n';

/** RFC 9457 problem details as the Vanguard API sends them (`application/problem+json`). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  messages?: Partial<Record<string, string>>;
  errors?: { field: string; message: string }[];
}

/** A failed API call: an HTTP error (with its problem details, when the body was one) or no response at all. */
export class ApiError extends Error {
  readonly status: number | null;
  readonly problem: ProblemDetails | null;

  constructor(status: number | null, problem: ProblemDetails | null, options?: ErrorOptions) {
    super(problem?.detail ?? problem?.title ?? (status === null ? 'Network error' : `HTTP ${status}`), options);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === 'object' && body !== null && ('detail' in body || 'title' in body || 'messages' in body);
}

/** Turns what the generated client rejects with (a parsed body, or a fetch exception) into an `ApiError`. */
export function toApiError(body: unknown, response: Response | undefined): ApiError {
  if (body instanceof ApiError) {
    return body;
  }
  if (!response) {
    return new ApiError(null, null, { cause: body });
  }
  return new ApiError(response.status, isProblem(body) ? body : null);
}

/** The message to show the user for any error: the server's own words in the UI language when it sent some. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return t.errors.unknown;
  }
  if (error.status === null) {
    return t.errors.network;
  }
  const problem = error.problem;
  return problem?.messages?.[LOCALE] ?? problem?.detail ?? problem?.title ?? t.errors.unknown;
}

/**
 * The field errors of a 422, keyed by their location inside the request body
 * (`body.votes.present` becomes `votes.present`).
 */
export function fieldErrors(error: unknown): { path: (string | number)[]; message: string }[] {
  if (!(error instanceof ApiError) || !error.problem?.errors) {
    return [];
  }
  return error.problem.errors.map(({ field, message }) => {
    const path = field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    return { path: path[0] === 'body' ? path.slice(1) : path, message };
  });
}
