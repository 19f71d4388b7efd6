import { EXCERPT_CHARS, excerpt, quoteValue } from '../excerpt.js';
import { valueAt } from './json-path.js';
import type { Outcome, ProbeResponse } from './model.js';
import type { StatusMatcher, TargetSpec } from './target-schema.js';

/**
 * Turns one probe response into pass / warn / fail with a reason a person can act on. Failures are checked
 * before warnings, and the first reason found is the one reported. A reason quotes at most a short excerpt
 * of what the target sent (see excerpt.ts): reasons are shown to every `read` token.
 */
const DAY_MS = 86_400_000;

/** Longest reason stored: an excerpt plus the sentence around it. */
export const MAX_REASON_CHARS = EXCERPT_CHARS + 100;

/** Stable codes of the reasons below, for grouping and the dashboard. */
export const PROBE_REASON_CODES = {
  error: 'probe-error',
  healthFail: 'health-fail',
  healthWarn: 'health-warn',
  status: 'http-status',
  body: 'body-mismatch',
  json: 'json-mismatch',
  certificateExpired: 'certificate-expired',
  certificateExpiring: 'certificate-expiring',
  latency: 'slow',
} as const;

const C = PROBE_REASON_CODES;

export function statusMatches(status: number, matchers: readonly StatusMatcher[]): boolean {
  return matchers.some((m) => (typeof m === 'number' ? m === status : Math.floor(status / 100) === Number(m[0])));
}

function isHealthJson(contentType: string | undefined): boolean {
  return /^application\/health\+json\b/i.test(contentType ?? '');
}

/** `status` of an application/health+json body (draft-inadarei-api-health-check), if there is one. */
function healthStatus(body: string): { status: string; output?: string } | undefined {
  try {
    const doc = JSON.parse(body) as unknown;
    if (doc && typeof doc === 'object' && typeof (doc as { status?: unknown }).status === 'string') {
      const { status, output } = doc as { status: string; output?: unknown };
      return {
        status: excerpt(status.toLowerCase(), 20),
        ...(typeof output === 'string' && output ? { output: excerpt(output) } : {}),
      };
    }
  } catch {
    // not JSON: the ordinary checks below decide
  }
  return undefined;
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

export function certificateProblem(validTo: number, thresholdDays: number, now: number): Outcome['level'] | undefined {
  if (validTo <= now) return 'fail';
  return thresholdDays > 0 && validTo - now < thresholdDays * DAY_MS ? 'warn' : undefined;
}

function certificateReason(validTo: number, now: number): string {
  if (validTo <= now) return `certificate expired ${days(Math.floor((now - validTo) / DAY_MS))} ago`;
  const left = Math.floor((validTo - now) / DAY_MS);
  return left === 0 ? 'certificate expires in less than a day' : `certificate expires in ${days(left)}`;
}

export function evaluate(target: TargetSpec, response: ProbeResponse, now: number): Outcome {
  const latencyMs = Math.round(response.latencyMs);
  if (response.kind === 'error') {
    return {
      level: 'fail',
      reason: excerpt(response.reason, MAX_REASON_CHARS),
      reasonCode: response.code ?? C.error,
      latencyMs,
    };
  }
  const base = {
    latencyMs,
    httpStatus: response.status,
    ...(response.certificateValidTo !== undefined ? { certificateValidTo: response.certificateValidTo } : {}),
  };
  const outcome = (level: 'fail' | 'warn', code: string, reason: string): Outcome => ({
    level,
    reason: excerpt(reason, MAX_REASON_CHARS),
    reasonCode: code,
    ...base,
  });
  const fail = (code: string, reason: string): Outcome => outcome('fail', code, reason);
  const truncatedNote = response.bodyTruncated ? ` (first ${Buffer.byteLength(response.body)} bytes read)` : '';

  const health = isHealthJson(response.contentType) ? healthStatus(response.body) : undefined;
  if (health?.status === 'fail') {
    return fail(C.healthFail, `health status "fail"${health.output ? `: ${health.output}` : ''}`);
  }
  if (!statusMatches(response.status, target.expect.status)) return fail(C.status, `status ${response.status}`);

  const { bodyContains, json, maxLatencyMs } = target.expect;
  if (bodyContains !== undefined && !response.body.includes(bodyContains)) {
    return fail(C.body, `body did not contain ${excerpt(JSON.stringify(bodyContains), 100)}${truncatedNote}`);
  }
  if (json) {
    let doc: unknown;
    try {
      doc = JSON.parse(response.body);
    } catch {
      return fail(
        C.json,
        response.bodyTruncated ? `body is too large to parse as JSON${truncatedNote}` : 'body is not JSON',
      );
    }
    const actual = valueAt(doc, json.path);
    if (actual === undefined) return fail(C.json, `${excerpt(json.path, 100)} not found in body`);
    if (actual !== json.equals) {
      // A container is described by its shape: quoting it would hand whatever document the target
      // serves (credentials, internal data) to every reader of the reason.
      return fail(
        C.json,
        `${excerpt(json.path, 100)} was ${quoteValue(actual)}, expected ${quoteValue(json.equals, 100)}`,
      );
    }
  }
  if (response.certificateValidTo !== undefined) {
    const level = certificateProblem(response.certificateValidTo, target.certificateExpiryDays, now);
    if (level === 'fail') return fail(C.certificateExpired, certificateReason(response.certificateValidTo, now));
    if (level === 'warn') {
      return outcome('warn', C.certificateExpiring, certificateReason(response.certificateValidTo, now));
    }
  }
  if (health?.status === 'warn') {
    return outcome('warn', C.healthWarn, `health status "warn"${health.output ? `: ${health.output}` : ''}`);
  }
  if (maxLatencyMs !== undefined && latencyMs > maxLatencyMs) {
    return outcome('warn', C.latency, `latency ${latencyMs} ms over ${maxLatencyMs} ms`);
  }
  return { level: 'pass', reason: undefined, ...base };
}
