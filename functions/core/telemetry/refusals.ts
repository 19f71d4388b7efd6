import type { Reason } from '../reason.js';

/**
 * Refused telemetry, made visible: every item an ingest request refuses is counted per service and reason
 * code (queryable at `GET /v1/services/{service}/refused`), and logged once per service and reason per minute,
 * so a stream that an exporter keeps sending into a refusal shows up where a person looks. Pure.
 */
export interface Refusal {
  readonly service: string;
  /** Where in the request (`metrics[3].value`, or an OTLP path). */
  readonly path: string;
  readonly reason: string;
  /** Known already (OTLP mapping); otherwise read off the reason. */
  readonly code?: string;
  /** Items this one entry stands for (a whole refused resource). @default 1 */
  readonly count?: number;
}

/** Counted refusals of one service and code in one request, with one example for a person. */
export interface RefusalTally {
  readonly service: string;
  readonly code: string;
  readonly count: number;
  readonly example: string;
}

/** Reason codes (stable, kebab-case) and the sentence that says what each means. */
export const REFUSAL_CODES = {
  'invalid-item': 'the item does not match the format (a field is missing, malformed or out of range)',
  'invalid-point': 'an OTLP data point is not self-consistent (counts, buckets or bounds)',
  'too-old': 'the timestamp is older than the ingest window',
  'too-new': 'the timestamp is too far in the future',
  'series-limit': 'the service has reached its limit of metric series',
  'step-total-overflow': "the point would take its series' step total past what can be stored exactly",
  'cumulative-unsupported': 'cumulative temporality without a stream store',
  'unsupported-data': 'the OTLP metric has no data of a supported kind',
  'resource-refused': 'the whole resource was refused (bad service name, or too many items)',
  unlisted: 'refused beyond the first 100 listed in one request (the reason was not kept)',
} as const;
export type RefusalCode = keyof typeof REFUSAL_CODES;

export function refusalCode(reason: string): RefusalCode {
  if (/metric series/.test(reason)) return 'series-limit';
  if (/ingest window/.test(reason)) return 'too-old';
  if (/in the future/.test(reason)) return 'too-new';
  if (/past a total of/.test(reason)) return 'step-total-overflow';
  return 'invalid-item';
}

/**
 * The item a rejection path belongs to (`metrics[3].tags.a` → `metrics[3]`, `…dataPoints[2].count` →
 * `…dataPoints[2]`): one item may have several.
 */
const itemOf = (path: string) =>
  /^.*(?:dataPoints|spans|logRecords|metrics|logs|errors)\[\d+\]/.exec(path)?.[0] ?? path;

/**
 * Tallies per service and code. Several rejections of one item (several bad fields) count once. `unlisted`
 * per service is what the complete count says beyond the listed rejections.
 */
export function tallyRefusals(listed: readonly Refusal[], totals: ReadonlyMap<string, number>): RefusalTally[] {
  const byKey = new Map<
    string,
    { service: string; code: string; items: Set<string>; extra: number; example: string }
  >();
  for (const r of listed) {
    const code = r.code ?? refusalCode(r.reason);
    const key = `${r.service}\u0000${code}`;
    const entry = byKey.get(key) ?? {
      service: r.service,
      code,
      items: new Set<string>(),
      extra: 0,
      example: `${r.path}: ${r.reason}`,
    };
    if (r.count !== undefined) entry.extra += r.count - 1;
    entry.items.add(itemOf(r.path));
    byKey.set(key, entry);
  }
  const out: RefusalTally[] = [...byKey.values()].map((e) => ({
    service: e.service,
    code: e.code,
    count: e.items.size + e.extra,
    example: e.example.slice(0, 500),
  }));
  for (const [service, total] of totals) {
    const counted = out.filter((t) => t.service === service).reduce((a, t) => a + t.count, 0);
    if (total > counted) {
      out.push({ service, code: 'unlisted', count: total - counted, example: REFUSAL_CODES.unlisted });
    }
  }
  return out;
}

export const refusalReason = (code: string): Reason => ({
  code,
  message: (REFUSAL_CODES as Record<string, string>)[code] ?? code,
});

/** At most one log line per service and code per `everyMs`; the memory is bounded (cleared when full). */
export function refusalLogGate(everyMs = 60_000, limit = 10_000) {
  const last = new Map<string, number>();
  return (service: string, code: string, now: number): boolean => {
    const key = `${service}\u0000${code}`;
    const at = last.get(key);
    if (at !== undefined && now - at < everyMs) return false;
    if (last.size >= limit) last.clear();
    last.set(key, now);
    return true;
  };
}

/** Refusals of one service and code over a time range. */
export interface RefusalSummary {
  readonly code: string;
  readonly message: string;
  readonly count: number;
  /** Epoch ms of the last request that had one. */
  readonly lastSeen: number;
  /** The last one's path and reason. */
  readonly example: string;
}

/** Where refusal counts live (hourly per service and code); `functions/adapters/dynamodb-refusal-store.ts`. */
export interface RefusalStore {
  add(tallies: readonly RefusalTally[], now: number): Promise<void>;
  list(service: string, from: number, to: number): Promise<RefusalSummary[]>;
}
