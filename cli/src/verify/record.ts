import { VERDICTS } from './request.js';

/**
 * What the CLI reads from `GET /v1/verifications/{id}`, taken leniently: checks as a map or a list, a
 * check's state under `state` or `status`, reasons as `{code, message}` or plain strings, `rollback` as a
 * boolean or an object with a decision. Whatever else the API adds is ignored here and kept in `--format json`.
 */
export type Verdict = (typeof VERDICTS)[number];

export interface CheckView {
  readonly name: string;
  readonly state: string;
  /** The check's own first reason or message, if it gives one. */
  readonly detail?: string;
}

export interface VerificationView {
  readonly id: string;
  readonly status: string;
  readonly verdict?: Verdict;
  readonly score?: number;
  readonly reasons: readonly string[];
  readonly checks: readonly CheckView[];
  readonly rollback: boolean;
  readonly service?: string;
  readonly environment?: string;
  readonly version?: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function reasonText(reason: unknown): string | undefined {
  if (typeof reason === 'string') return reason;
  if (isObject(reason)) {
    const message = str(reason.message);
    const code = str(reason.code);
    if (message && code) return `${message} [${code}]`;
    return message ?? code;
  }
  return undefined;
}

function reasonsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(reasonText).filter((s): s is string => s !== undefined);
  const one = reasonText(value);
  return one ? [one] : [];
}

function checkView(name: string, raw: unknown): CheckView {
  if (!isObject(raw)) return { name, state: str(raw) ?? 'unknown' };
  const state = str(raw.state) ?? str(raw.status) ?? str(raw.outcome) ?? 'unknown';
  const detail = reasonsOf(raw.reasons)[0] ?? reasonText(raw.reason) ?? str(raw.message) ?? str(raw.summary);
  return { name: str(raw.name) ?? name, state, ...(detail ? { detail } : {}) };
}

function checksOf(value: unknown): CheckView[] {
  if (Array.isArray(value)) return value.map((c, i) => checkView(`check ${i + 1}`, c));
  if (isObject(value)) return Object.entries(value).map(([name, c]) => checkView(name, c));
  return [];
}

function rollbackOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (isObject(value)) {
    for (const key of ['rollback', 'decision', 'required', 'value']) {
      if (typeof value[key] === 'boolean') return value[key] as boolean;
    }
  }
  return false;
}

export function viewOf(raw: unknown): VerificationView {
  const v = isObject(raw) ? raw : {};
  const verdictRaw = isObject(v.verdict) ? v.verdict : v;
  const verdict = [verdictRaw.verdict, verdictRaw.outcome, v.verdict].find(
    (x): x is Verdict => typeof x === 'string' && (VERDICTS as readonly string[]).includes(x),
  );
  const score = [verdictRaw.score, v.score].find((x): x is number => typeof x === 'number' && Number.isFinite(x));
  // The API may give the request's fields at the top or under `request`.
  const request = isObject(v.request) ? v.request : {};
  const service = str(v.service) ?? str(request.service);
  const environment = str(v.environment) ?? str(request.environment);
  const version = str(v.version) ?? str(request.version);
  return {
    id: str(v.id) ?? '?',
    status: str(v.status) ?? (verdict ? 'done' : 'running'),
    ...(verdict ? { verdict } : {}),
    ...(score !== undefined ? { score } : {}),
    reasons: reasonsOf(verdictRaw.reasons ?? v.reasons),
    checks: checksOf(v.checks),
    rollback: rollbackOf(verdictRaw.rollback ?? v.rollback),
    ...(service ? { service } : {}),
    ...(environment ? { environment } : {}),
    ...(version ? { version } : {}),
  };
}

/** Done means a verdict is there: the API gives one exactly when the verification has ended. */
export const isDone = (view: VerificationView): view is VerificationView & { verdict: Verdict } =>
  view.verdict !== undefined;
