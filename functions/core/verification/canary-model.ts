import type { Reason } from '../reason.js';

/** The canary judge's contract (issue #13): what the verification flow hands in and gets back. */
export interface CanaryMetricSpec {
  readonly name: string;
  readonly kind: 'continuous' | 'count';
  /** The harmful direction. */
  readonly direction: 'increase' | 'decrease' | 'either';
  /** Practical-equivalence margin in the metric's own terms (relative to the baseline's median / rate, or absolute). */
  readonly allowedIncreasePct?: number;
  readonly allowedIncreaseAbs?: number;
  readonly critical: boolean;
}

export type CanarySamples =
  | {
      readonly kind: 'continuous';
      readonly baseline: readonly number[];
      readonly canary: readonly number[];
      /** Counts per value when the samples are bucketed (parallel to baseline/canary), absent = 1 each. */
      readonly baselineWeights?: readonly number[];
      readonly canaryWeights?: readonly number[];
      /** What one sample is, for the evidence ("request latency in ms, bucketed at ±1%"). */
      readonly describe: string;
    }
  | {
      readonly kind: 'count';
      readonly baselineEvents: number;
      readonly baselineTotal: number;
      readonly canaryEvents: number;
      readonly canaryTotal: number;
      readonly describe: string;
    };

export interface Look {
  /** 1-based index of this interim analysis and the planned number (durationSeconds / intervalSeconds). */
  readonly index: number;
  readonly planned: number;
  /** Overall two-sided significance level. @default 0.05 */
  readonly alpha?: number;
  /** Last look (duration reached): no more data is coming. */
  readonly final: boolean;
}

export interface MetricJudgement {
  readonly name: string;
  readonly kind: 'continuous' | 'count';
  readonly critical: boolean;
  readonly outcome: 'pass' | 'fail' | 'insufficient-data';
  readonly reason: Reason;
  /** Figures a person can check: test, statistic, p-value, the look's alpha boundary, estimate and interval, n per side, what a sample is. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** With insufficient-data: how much data it had and how much it needs. */
  readonly needed?: { readonly have: number; readonly need: number; readonly unit: string };
}

export interface CanaryJudgement {
  /** Passing metrics / judged metrics × 100; a failing critical metric makes it 0. */
  readonly score: number;
  readonly outcome: 'pass' | 'marginal' | 'fail' | 'insufficient-data';
  /** A clear failure at an interim look that crosses the corrected boundary: stop now. */
  readonly stopEarly: boolean;
  readonly metrics: readonly MetricJudgement[];
  readonly reasons: readonly Reason[];
}

/** Documented limits of the judge (docs/VERIFICATION.md, "Canary statistics"). */
export const CANARY_LIMITS = {
  /** Observations per side below which a continuous metric is not judged. */
  minContinuousPerSide: 20,
  /** Exposure (requests, invocations) per side below which a count metric is not judged. */
  minExposurePerSide: 100,
  defaultAlpha: 0.05,
} as const;
