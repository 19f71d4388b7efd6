import { isRetryableStatus, parseRetryAfter } from './backoff.js';

/** One HTTP attempt's outcome, classified for the retry loop. */
export interface SendResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly error?: string;
  readonly body?: unknown;
}

/** POSTs a JSON string; never throws. Network errors and timeouts are retryable. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<SendResult> {
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (response.ok) return { ok: true, status: response.status, retryable: false, body: parsed };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return {
      ok: false,
      status: response.status,
      retryable: isRetryableStatus(response.status),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      error: `HTTP ${response.status} from ${url}`,
      body: parsed,
    };
  } catch (error) {
    return { ok: false, retryable: true, error: `${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
