import type { TargetRecord } from './target-schema.js';

/** A target's status. `unknown` until its first probe. */
export const STATUSES = ['up', 'degraded', 'down', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** What one probe says, before thresholds: `pass` → up, `warn` → degraded, `fail` → down. */
export type Level = 'pass' | 'warn' | 'fail';

export const STATUS_OF_LEVEL = { pass: 'up', warn: 'degraded', fail: 'down' } as const satisfies Record<Level, Status>;

/** What the prober saw. A transport failure is data, never an exception. */
export type ProbeResponse =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly contentType: string | undefined;
      readonly body: string;
      /** The body was longer than the prober reads; `body` is its beginning. */
      readonly bodyTruncated: boolean;
      readonly latencyMs: number;
      /** Epoch ms of the peer certificate's `notAfter` (HTTPS only). */
      readonly certificateValidTo?: number;
    }
  | {
      readonly kind: 'error';
      readonly reason: string;
      /** A stable code for the failure (`url-refused`, `secret-unavailable`); `probe-error` when absent. */
      readonly code?: string;
      readonly latencyMs: number;
    };

export interface Outcome {
  readonly level: Level;
  /** Why it is not a pass; undefined for a pass. */
  readonly reason: string | undefined;
  /** The reason's stable code (evaluate.ts PROBE_REASON_CODES, `url-refused`, …); undefined for a pass. */
  readonly reasonCode?: string;
  readonly latencyMs: number;
  readonly httpStatus?: number;
  readonly certificateValidTo?: number;
}

/** A pending change: consecutive results pointing away from the current status. */
export interface Streak {
  readonly direction: 'worse' | 'better';
  readonly count: number;
  /** The status the streak would move to: the mildest (worse) or harshest (better) status seen in it. */
  readonly toward: Exclude<Status, 'unknown'>;
  readonly reason: string | undefined;
}

export interface TargetState {
  readonly id: string;
  readonly status: Status;
  readonly reason: string | undefined;
  /** Epoch ms the status was entered. */
  readonly since: number;
  readonly streak: Streak | undefined;
  /** Start of the run that last probed this target (due-time arithmetic uses run starts, which are periodic). */
  readonly lastRunAt: number | undefined;
  readonly lastCheckedAt: number | undefined;
  readonly lastLevel: Level | undefined;
  readonly lastReason: string | undefined;
  readonly lastReasonCode?: string | undefined;
  readonly latencyMs: number | undefined;
  readonly httpStatus: number | undefined;
  readonly certificateValidTo: number | undefined;
  /** The current hour's rollup, carried here and written as its own item once the hour is over. */
  readonly hour?: HourRollup | undefined;
}

export interface ProbableCause {
  readonly targetId: string;
  readonly status: Status;
  readonly reason: string | undefined;
}

/** A status transition: what the alert evaluator and the dashboard read. */
export interface TransitionEvent {
  readonly targetId: string;
  readonly service: string;
  readonly from: Status;
  readonly to: Status;
  readonly reason: string | undefined;
  readonly at: number;
  readonly latencyMs: number;
  readonly probableCause?: ProbableCause;
}

/** One probe in the history. */
export interface ProbeResult {
  readonly targetId: string;
  readonly at: number;
  readonly level: Level;
  /** Status after thresholds: what uptime counts. */
  readonly status: Status;
  readonly reason: string | undefined;
  readonly reasonCode?: string;
  readonly latencyMs: number;
  readonly httpStatus?: number;
}

/** Hourly counts per target, for uptime and latency percentiles over long windows. */
export interface HourRollup {
  readonly hourStart: number;
  readonly up: number;
  readonly degraded: number;
  readonly down: number;
  /** Log-scale latency bucket index → count (see `latency-buckets.ts`). */
  readonly buckets: Readonly<Record<number, number>>;
}

export interface TargetRollup extends HourRollup {
  readonly targetId: string;
}

export interface ProbeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly insecure: boolean;
}

/** Port: performs one HTTP probe under its own timeout; never throws. */
export interface Prober {
  probe(request: ProbeRequest): Promise<ProbeResponse>;
}

/** Port: targets and their current state. */
export interface TargetStore {
  listTargets(): Promise<TargetRecord[]>;
  getTarget(id: string): Promise<TargetRecord | undefined>;
  putTarget(target: TargetRecord): Promise<void>;
  deleteTarget(id: string): Promise<void>;
  listStates(): Promise<TargetState[]>;
  getState(id: string): Promise<TargetState | undefined>;
  putStates(states: readonly TargetState[]): Promise<void>;
}

/** Port: history, hourly rollups and transition events, all kept for the retention period. */
export interface ProbeHistory {
  recordResults(results: readonly ProbeResult[]): Promise<void>;
  /** Finished hours, one item per target and hour. */
  recordRollups(rollups: readonly TargetRollup[]): Promise<void>;
  recordEvents(events: readonly TransitionEvent[]): Promise<void>;
  results(
    targetId: string,
    range: TimeRange,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ProbeResult[]; nextCursor?: string }>;
  rollups(targetId: string, range: TimeRange): Promise<HourRollup[]>;
  targetEvents(targetId: string, range: TimeRange): Promise<TransitionEvent[]>;
  events(range: TimeRange): Promise<TransitionEvent[]>;
}

/** Port: hands batches of target ids to other invocations (async Lambda invokes in AWS). */
export interface BatchDispatcher {
  /** `runAt`: the scheduled run's start, which the batches use as theirs. */
  dispatch(batches: readonly (readonly string[])[], runAt: number): Promise<void>;
}

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}
