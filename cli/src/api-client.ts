import type { CliIo } from './io.js';

/**
 * A small client of Vigil's HTTP API. Every failure becomes an `ApiError` that says whose fault it is:
 * `usage` (4xx: the request or the token is wrong; the problem+json detail is kept), `server` (5xx or an
 * answer that is not the expected JSON) or `connection` (nothing answered). The CLI maps all of them to exit 2.
 */
export type ApiErrorKind = 'usage' | 'server' | 'connection';

export interface ProblemViolation {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    readonly violations: readonly ProblemViolation[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Transient: worth asking again while polling. */
  get retryable(): boolean {
    return this.kind !== 'usage' || this.status === 429;
  }
}

export interface ApiClientOptions {
  readonly endpoint: string;
  readonly token: string;
  readonly io: Pick<CliIo, 'fetch'>;
  /** Per request. @default 30000 */
  readonly requestTimeoutMs?: number;
}

export class ApiClient {
  private readonly base: string;

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  /** Resolves a path or an absolute URL the API handed out (`statusUrl`) against the endpoint. */
  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.base}/`).href;
  }

  async request<T>(method: 'GET' | 'POST', pathOrUrl: string, body?: unknown): Promise<{ status: number; body: T }> {
    const url = this.url(pathOrUrl);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json, application/problem+json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.options.io.fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ApiError('connection', `${method} ${url}: no answer (${describeFetchError(error)})`);
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (response.status >= 400) throw problemError(method, url, response.status, parsed, text);
    if (parsed === undefined || parsed === null || typeof parsed !== 'object') {
      throw new ApiError(
        'server',
        `${method} ${url}: answered ${response.status} without a JSON object`,
        response.status,
      );
    }
    return { status: response.status, body: parsed as T };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function problemError(method: string, url: string, status: number, parsed: unknown, text: string): ApiError {
  const kind: ApiErrorKind = status >= 500 ? 'server' : 'usage';
  const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const title = typeof problem.title === 'string' ? problem.title : '';
  const detail = typeof problem.detail === 'string' ? problem.detail : text.slice(0, 300).trim();
  const violations = Array.isArray(problem.errors)
    ? problem.errors
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
    : [];
  const what = [title, detail].filter((s) => s !== '').join(': ') || 'no detail given';
  return new ApiError(kind, `${method} ${url} answered ${status}: ${what}`, status, violations);
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return cause.code;
    if (cause?.message) return cause.message;
    return error.message;
  }
  return String(error);
}
