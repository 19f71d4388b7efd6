import type { ProbeResponse } from '../probing/model.js';
import type { VerificationRecord } from './record.js';
import type { CloudWatchMetric } from './request-schema.js';

/**
 * The seams of the verification flow. The core owns them; `functions/adapters/` implements them against
 * DynamoDB, CloudWatch, SNS, SQS and the guarded HTTP client.
 */
export interface VerificationPage {
  readonly items: VerificationRecord[];
  readonly nextCursor?: string;
}

export interface VerificationStore {
  get(id: string): Promise<VerificationRecord | undefined>;
  /** Creates the record unless its id exists. */
  create(record: VerificationRecord): Promise<'created' | 'exists'>;
  /** Writes `{...record, rev: record.rev + 1}` if the stored revision is still `record.rev`. */
  put(record: VerificationRecord): Promise<'written' | 'conflict'>;
  list(query: { service?: string; environment?: string; limit: number; cursor?: string }): Promise<VerificationPage>;
  /** Running verifications of a service created at or after `since`. */
  running(service: string, since: number): Promise<VerificationRecord[]>;
  /** Every verification of a service created in [from, to] (newest first, at most `limit`). */
  createdBetween(service: string, from: number, to: number, limit?: number): Promise<VerificationRecord[]>;
}

/** A merged latency histogram: bucket values with their counts (sorted by value), and how many were errors. */
export interface Histogram {
  readonly count: number;
  /** Observations in series marked as errors (`error=true`, or a 5xx status tag). */
  readonly errors: number;
  readonly values: readonly number[];
  readonly weights: readonly number[];
  /** What a sample is, for the evidence. */
  readonly describe: string;
}

/** Which data of a service: one version (canary, baseline), or every version (the window before a deploy). */
export interface SeriesFilter {
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
  readonly from: number;
  readonly to: number;
}

/** Vigil's own rollups, per version (metrics carry the `version` tag from the SDK and OTLP's service.version). */
export interface VersionTelemetry {
  /** Whether `metric` has any data matching the filter. */
  hasData(metric: string, filter: SeriesFilter): Promise<boolean>;
  histogram(metric: string, filter: SeriesFilter): Promise<Histogram>;
  /** A counter's sum, or a histogram's count. */
  total(metric: string, filter: SeriesFilter): Promise<number>;
}

export interface CloudWatchSeries {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface CloudWatchSource {
  /** One value per period of `metric` (its dimensions, or `dimensions` when given) in [from, to). */
  series(
    metric: CloudWatchMetric,
    from: number,
    to: number,
    dimensions?: Readonly<Record<string, string>>,
  ): Promise<CloudWatchSeries>;
}

export interface NewErrorCandidate {
  readonly fingerprint: string;
  readonly type: string;
  readonly message: string;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly versions: readonly string[];
}

export interface ErrorGroupSource {
  /** The service's error groups (every version). */
  groups(service: string): Promise<NewErrorCandidate[]>;
}

/** An SLO's burn over a window, from the alerting rules (`burn_rate`). */
export interface SloBurn {
  readonly slo: string;
  readonly objective: number;
  /** Budget consumption speed over the window: 1 spends exactly the budget over the SLO period. */
  readonly burnRate: number;
  /** The rule's fast-burn rate: above it the check fails. */
  readonly fastBurnRate: number;
  /** Remaining error budget, 0–1, at the end of the window. */
  readonly remainingBudget: number;
}

export interface SloReader {
  /** undefined: no such SLO (or no burn math for it): the check is inconclusive, with `reason`. */
  burn(
    slo: string,
    service: string,
    from: number,
    to: number,
  ): Promise<SloBurn | { readonly unknown: true; readonly reason: string }>;
}

export interface HealthProber {
  /** One GET of the deploy URL's health path; never throws. */
  probe(url: string, timeoutMs: number): Promise<ProbeResponse>;
}

/** A step message: verification id and the step it is for. */
export interface StepMessage {
  readonly id: string;
  readonly step: number;
  /** Times this message was put back because it was ahead of the stored record (bounded). */
  readonly retry?: number;
}

export interface StepQueue {
  /** Delivers `message` after `delaySeconds` (at least once). */
  send(message: StepMessage, delaySeconds: number): Promise<void>;
}

export interface WebhookResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface WebhookSender {
  /** POSTs `body` signed (`X-Vigil-Signature: sha256=<hex HMAC of the body>`); never throws. */
  post(url: string, body: string, deliveryId: string): Promise<WebhookResult>;
}

export interface DeploymentPublisher {
  /** Publishes the verdict to the `deployments` topic with attributes service, environment, verdict. */
  publish(record: VerificationRecord): Promise<WebhookResult>;
}
