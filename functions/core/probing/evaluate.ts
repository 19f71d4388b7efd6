import { valueAt } from './json-path.js';
import type { Outcome, ProbeResponse } from './model.js';
import type { StatusMatcher, TargetSpec } from './target-schema.js';

/**
 * Turns one probe response into pass / warn / fail with a reason a person can act on. Failures are checked
 * before warnings, and the first reason found is the one reported.
 */
const DAY_MS = 86_400_000;

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
      return { status: status.toLowerCase(), ...(typeof output === 'string' && output ? { output } : {}) };
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
  if (response.kind === 'error') return { level: 'fail', reason: response.reason, latencyMs };
  const base = {
    latencyMs,
    httpStatus: response.status,
    ...(response.certificateValidTo !== undefined ? { certificateValidTo: response.certificateValidTo } : {}),
  };
  const fail = (reason: string): Outcome => ({ level: 'fail', reason, ...base });
  const truncatedNote = response.bodyTruncated ? ` (first ${Buffer.byteLength(response.body)} bytes read)` : '';

  const health = isHealthJson(response.contentType) ? healthStatus(response.body) : undefined;
  if (health?.status === 'fail') return fail(`health status "fail"${health.output ? `: ${health.output}` : ''}`);
  if (!statusMatches(response.status, target.expect.status)) return fail(`status ${response.status}`);

  const { bodyContains, json, maxLatencyMs } = target.expect;
  if (bodyContains !== undefined && !response.body.includes(bodyContains)) {
    return fail(`body did not contain ${JSON.stringify(bodyContains)}${truncatedNote}`);
  }
  if (json) {
    let doc: unknown;
    try {
      doc = JSON.parse(response.body);
    } catch {
      return fail(response.bodyTruncated ? `body is too large to parse as JSON${truncatedNote}` : 'body is not JSON');
    }
    const actual = valueAt(doc, json.path);
    if (actual === undefined) return fail(`${json.path} not found in body`);
    if (actual !== json.equals) {
      return fail(`${json.path} was ${JSON.stringify(actual)}, expected ${JSON.stringify(json.equals)}`);
    }
  }
  if (response.certificateValidTo !== undefined) {
    const level = certificateProblem(response.certificateValidTo, target.certificateExpiryDays, now);
    if (level === 'fail') return fail(certificateReason(response.certificateValidTo, now));
    if (level === 'warn')
      return { level: 'warn', reason: certificateReason(response.certificateValidTo, now), ...base };
  }
  if (health?.status === 'warn') {
    return { level: 'warn', reason: `health status "warn"${health.output ? `: ${health.output}` : ''}`, ...base };
  }
  if (maxLatencyMs !== undefined && latencyMs > maxLatencyMs) {
    return { level: 'warn', reason: `latency ${latencyMs} ms over ${maxLatencyMs} ms`, ...base };
  }
  return { level: 'pass', reason: undefined, ...base };
}
