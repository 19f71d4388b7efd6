import {
  DomainError,
  MethodNotAllowedError,
  ServiceUnavailableError,
  ValidationError,
  type Violation,
} from '../core/errors.js';

/**
 * The one place where errors become HTTP answers: `application/problem+json` (RFC 9457). Validation
 * problems list each violation with its field path. Unexpected errors answer 500 without internals.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Headers on every API answer: no MIME sniffing, and nothing cached (answers may carry secrets, such as
 * a minted token). The dashboard's static files set their own caching.
 */
export const API_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly Violation[];
}

export interface ProblemResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const typeUri = (status: number) => `https://vigil.dev/problems/${status}`;

export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof DomainError) {
    return {
      type: typeUri(error.status),
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance ? { instance } : {}),
      ...(error instanceof ValidationError ? { errors: error.violations } : {}),
      ...(error instanceof ServiceUnavailableError ? error.extensions : {}),
    };
  }
  return {
    type: typeUri(500),
    title: 'Internal error',
    status: 500,
    detail: 'the request could not be completed; it has been logged',
    ...(instance ? { instance } : {}),
  };
}

export function problemResponse(error: unknown, instance?: string, requestId?: string): ProblemResponse {
  const problem = toProblem(error, instance);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, ...API_HEADERS };
  if (requestId) headers['x-request-id'] = requestId;
  if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="vigil"';
  if (error instanceof ServiceUnavailableError) headers['retry-after'] = String(error.retryAfterSeconds);
  return { statusCode: problem.status, headers, body: JSON.stringify(requestId ? { ...problem, requestId } : problem) };
}
