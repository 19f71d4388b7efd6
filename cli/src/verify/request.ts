import { UsageError } from '../usage-error.js';
import type { VerifyValues } from './flags.js';

/**
 * The body of `POST /v1/verifications` (issue #13): the `--config` file's content, with every flag given on
 * the command line laid over it. The API validates the whole body and names the field it refuses; this only
 * checks what a flag's text can get wrong (numbers, lists, URLs) so the message names the flag.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const VERDICTS = ['pass', 'marginal', 'fail', 'inconclusive'] as const;

export function buildRequest(config: JsonObject, flags: VerifyValues): JsonObject {
  const body: JsonObject = structuredClone(config);
  set(body, ['service'], flags.service);
  set(body, ['environment'], flags.environment);
  set(body, ['version'], flags.version);
  set(body, ['deployUrl'], flags['deploy-url'] === undefined ? undefined : url('--deploy-url', flags['deploy-url']));

  if (flags.health) ensure(body, ['checks', 'health']);
  set(body, ['checks', 'health', 'path'], flags['health-path']);
  set(body, ['checks', 'health', 'consecutivePasses'], integer('--consecutive-passes', flags['consecutive-passes']));
  set(body, ['checks', 'health', 'timeoutSeconds'], seconds('--health-timeout', flags['health-timeout']));
  set(body, ['checks', 'health', 'intervalSeconds'], seconds('--health-interval', flags['health-interval']));

  set(body, ['checks', 'metrics', 'required'], list('--metrics', flags.metrics));
  set(body, ['checks', 'metrics', 'withinSeconds'], seconds('--metrics-within', flags['metrics-within']));

  if (flags.performance) ensure(body, ['checks', 'performance']);
  set(body, ['checks', 'performance', 'metric'], flags['performance-metric']);
  set(body, ['checks', 'performance', 'maxP95Ms'], nonNegative('--max-p95-ms', flags['max-p95-ms']));
  set(body, ['checks', 'performance', 'maxP99Ms'], nonNegative('--max-p99-ms', flags['max-p99-ms']));
  set(
    body,
    ['checks', 'performance', 'maxRegressionPct'],
    nonNegative('--max-regression-pct', flags['max-regression-pct']),
  );
  set(body, ['checks', 'performance', 'maxErrorRate'], rate('--max-error-rate', flags['max-error-rate']));
  set(body, ['checks', 'performance', 'windowSeconds'], seconds('--performance-window', flags['performance-window']));

  set(body, ['checks', 'canary', 'baselineVersion'], flags['canary-baseline']);
  set(body, ['checks', 'canary', 'metrics'], canaryMetrics(flags['canary-metrics']));
  set(body, ['checks', 'canary', 'intervalSeconds'], seconds('--canary-interval', flags['canary-interval']));
  set(body, ['checks', 'canary', 'durationSeconds'], seconds('--canary-duration', flags['canary-duration']));
  set(body, ['checks', 'canary', 'maxDurationSeconds'], seconds('--canary-max-duration', flags['canary-max-duration']));
  set(body, ['checks', 'canary', 'passScore'], score('--pass-score', flags['pass-score']));
  set(body, ['checks', 'canary', 'marginalScore'], score('--marginal-score', flags['marginal-score']));

  set(body, ['checks', 'errorBudget', 'slo'], flags.slo);
  if (flags['new-errors'] || flags['new-errors-critical']) ensure(body, ['checks', 'newErrors']);
  if (flags['new-errors-critical']) set(body, ['checks', 'newErrors', 'critical'], true);

  set(
    body,
    ['rollback', 'webhook'],
    flags['rollback-webhook'] === undefined ? undefined : url('--rollback-webhook', flags['rollback-webhook']),
  );
  set(body, ['rollback', 'onVerdict'], verdictList('--rollback-on', flags['rollback-on']));

  for (const field of ['service', 'environment', 'version'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      throw new UsageError(`--${field} is required (or "${field}" in the --config file)`);
    }
  }
  return body;
}

/** Parses the `--config` file's text: a JSON object, the request body of the API. */
export function parseConfig(path: string, text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw new UsageError(`--config ${path}: expected a JSON object (the request body)`);
  return parsed;
}

/**
 * `--canary-metrics`: comma-separated metrics, each `NAME[:OPTION...]` with the options `count` (a count
 * metric such as errors), `increase`/`decrease`/`either` (the harmful direction), `critical`, `+10%`
 * (allowedIncreasePct) and `+50` (allowedIncreaseAbs, in the metric's units).
 */
export function canaryMetrics(text: string | undefined): Json[] | undefined {
  if (text === undefined) return undefined;
  const specs = list('--canary-metrics', text) ?? [];
  return specs.map((spec) => {
    const [name, ...options] = spec.split(':').map((s) => s.trim());
    if (!name) throw new UsageError(`--canary-metrics: "${spec}" has no metric name`);
    const metric: JsonObject = { name };
    for (const option of options) {
      const pct = /^\+(\d+(?:\.\d+)?)%$/.exec(option);
      const abs = /^\+(\d+(?:\.\d+)?)$/.exec(option);
      if (option === 'count') metric.kind = 'count';
      else if (option === 'increase' || option === 'decrease' || option === 'either') metric.direction = option;
      else if (option === 'critical') metric.critical = true;
      else if (pct) metric.allowedIncreasePct = Number(pct[1]);
      else if (abs) metric.allowedIncreaseAbs = Number(abs[1]);
      else {
        throw new UsageError(
          `--canary-metrics: "${option}" in "${spec}" is not one of count, increase, decrease, either, critical, +N%, +N`,
        );
      }
    }
    return metric;
  });
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function ensure(body: JsonObject, path: readonly string[]): JsonObject {
  let node = body;
  for (const key of path) {
    const next = node[key];
    if (!isObject(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  return node;
}

function set(body: JsonObject, path: readonly string[], value: Json | undefined): void {
  if (value === undefined) return;
  const parent = ensure(body, path.slice(0, -1));
  parent[path[path.length - 1]!] = value;
}

function number(flag: string, text: string | undefined, ok: (n: number) => boolean, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || !ok(n))
    throw new UsageError(`${flag}: expected ${what}, got "${text}"`);
  return n;
}

export const positive = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => n > 0, 'a number above 0');
const nonNegative = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => n >= 0, 'a number, 0 or more');
export const integer = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1');
export const seconds = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => Number.isInteger(n) && n >= 1, 'a whole number of seconds (at least 1)');
const rate = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1 (0.01 is 1%)');
const score = (flag: string, text: string | undefined) =>
  number(flag, text, (n) => n >= 0 && n <= 100, 'a score from 0 to 100');

function list(flag: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, got "${text}"`);
  return items;
}

function verdictList(flag: string, text: string | undefined): string[] | undefined {
  const items = list(flag, text);
  for (const item of items ?? []) {
    if (!(VERDICTS as readonly string[]).includes(item)) {
      throw new UsageError(`${flag}: "${item}" is not a verdict (${VERDICTS.join(', ')})`);
    }
  }
  return items;
}

function url(flag: string, text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    return text;
  } catch {
    throw new UsageError(`${flag}: expected an http(s) URL, got "${text}"`);
  }
}
