import type { AlertDataSource, CloudWatchQuery } from '../data-source.js';
import { formatDuration } from '../duration.js';
import type { MetricRef, RuleOf } from '../rule-model.js';
import { cloudWatchWindow, fmt, latest, type RuleInput, type RuleType, type Sample } from './rule-type.js';

type BurnRule = RuleOf<'burn_rate'>;

/** Good and total events of one window (summed over every label set: one SLO per rule). */
export interface SloCounts {
  readonly good: number;
  readonly total: number;
}

/** The SLO's error budget over its period: what `GET /v1/slos/{ruleId}` shows and verification's errorBudget check reads. */
export interface ErrorBudget {
  readonly objective: number;
  readonly periodMs: number;
  readonly from: number;
  readonly to: number;
  readonly good: number;
  readonly total: number;
  /** good / total, undefined without events. */
  readonly sli: number | undefined;
  /** Bad events the objective allows over the period so far. */
  readonly allowedBad: number;
  readonly bad: number;
  /** 1 − bad / allowed: 1 untouched, 0 spent, below 0 overspent; 1 without events. */
  readonly remaining: number;
}

/** Pure: the remaining budget from the period's counts. */
export function errorBudget(rule: BurnRule, counts: SloCounts, now: number): ErrorBudget {
  const { objective, periodMs } = rule.spec;
  const bad = Math.max(0, counts.total - counts.good);
  const allowedBad = (counts.total * (100 - objective)) / 100;
  const remaining =
    counts.total === 0 ? 1 : allowedBad === 0 ? (bad === 0 ? 1 : Number.NEGATIVE_INFINITY) : 1 - bad / allowedBad;
  return {
    objective,
    periodMs,
    from: now - periodMs,
    to: now,
    good: counts.good,
    total: counts.total,
    sli: counts.total ? counts.good / counts.total : undefined,
    allowedBad,
    bad,
    remaining,
  };
}

/**
 * The budget over the rule's period read through the data port (Vigil rollups, or one GetMetricData call
 * for a CloudWatch SLO): what `GET /v1/slos/{ruleId}` and verification's errorBudget check show.
 * Throws when CloudWatch cannot be read (the caller reports it; there is no budget to show).
 */
export async function readErrorBudget(rule: BurnRule, data: AlertDataSource, now: number): Promise<ErrorBudget> {
  const { good, total, periodMs } = rule.spec;
  let cloudWatch: RuleInput['cloudWatch'] = [];
  if (total.source === 'cloudwatch' && good?.source === 'cloudwatch') {
    cloudWatch = await data.cloudWatch([cloudWatchWindow(good, periodMs, now), cloudWatchWindow(total, periodMs, now)]);
    const failed = cloudWatch.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`could not read CloudWatch: ${failed.error}`);
  }
  return errorBudget(rule, await readCounts(rule, { data, cloudWatch }, periodMs, now, [0, 1]), now);
}

/** Error ratio ÷ the ratio the objective allows: 1 spends the budget exactly over the period. */
export const burnRateOf = (c: SloCounts, objective: number): number =>
  c.total > 0 ? Math.max(0, 1 - c.good / c.total) / ((100 - objective) / 100) : 0;

const sum = (xs: readonly { value: number }[]) => xs.reduce((s, x) => s + x.value, 0);

/** Reads good/total of one window through the data port (Vigil) or the prefetched CloudWatch results. */
export async function readCounts(
  rule: BurnRule,
  input: RuleInput,
  windowMs: number,
  now: number,
  cw?: [number, number],
): Promise<SloCounts> {
  const { good, total, latencyThreshold } = rule.spec;
  if (total.source === 'cloudwatch') {
    const [g, t] = cw ?? [-1, -1];
    return { good: latest(input.cloudWatch[g]) ?? 0, total: latest(input.cloudWatch[t]) ?? 0 };
  }
  const from = now - windowMs;
  if (latencyThreshold !== undefined) {
    const rows = await input.data.latencyCounts(total, latencyThreshold, from, now);
    return { good: rows.reduce((s, r) => s + r.good, 0), total: rows.reduce((s, r) => s + r.total, 0) };
  }
  const [g, t] = await Promise.all([
    input.data.windowStat(good as Extract<MetricRef, { source: 'vigil' }>, from, now),
    input.data.windowStat(total, from, now),
  ]);
  return { good: sum(g), total: sum(t) };
}

const distinctWindows = (rule: BurnRule): number[] =>
  [...new Set(rule.spec.windows.flatMap((w) => [w.longMs, w.shortMs]))].sort((a, b) => a - b);

/**
 * The SRE workbook's multi-window, multi-burn-rate alerts: a window pair exceeds when both its long and
 * short windows burn faster than its rate; one alert per action (`slo_action`: page, ticket), firing while
 * any of its pairs exceeds. The value is the highest burn rate of an exceeding (or nearest) pair.
 */
export const burnRate: RuleType<BurnRule> = {
  cloudWatchQueries(rule, now) {
    const { good, total } = rule.spec;
    if (total.source !== 'cloudwatch' || good?.source !== 'cloudwatch') return [];
    return distinctWindows(rule).flatMap((w): CloudWatchQuery[] => [
      cloudWatchWindow(good, w, now),
      cloudWatchWindow(total, w, now),
    ]);
  },

  async evaluate(rule, input, now) {
    const windows = distinctWindows(rule);
    const counts = new Map<number, SloCounts>();
    await Promise.all(
      windows.map(async (w, i) => counts.set(w, await readCounts(rule, input, w, now, [2 * i, 2 * i + 1]))),
    );
    if (![...counts.values()].some((c) => c.total > 0)) return [];
    const burn = (w: number) => burnRateOf(counts.get(w)!, rule.spec.objective);
    const samples: Sample[] = [];
    for (const action of ['page', 'ticket'] as const) {
      const pairs = rule.spec.windows.filter((w) => w.action === action);
      if (pairs.length === 0) continue;
      const scored = pairs.map((p) => ({
        p,
        effective: Math.min(burn(p.longMs), burn(p.shortMs)),
        exceeds: burn(p.longMs) > p.burnRate && burn(p.shortMs) > p.burnRate,
      }));
      const firing = scored.filter((s) => s.exceeds);
      const shown = (firing.length ? firing : scored).reduce((a, b) =>
        b.effective / b.p.burnRate > a.effective / a.p.burnRate ? b : a,
      );
      const { p } = shown;
      const description = `burn rate ${fmt(burn(p.longMs))} over ${formatDuration(p.longMs)} and ${fmt(burn(p.shortMs))} over ${formatDuration(p.shortMs)} (${firing.length ? 'both above' : 'not both above'} ${fmt(p.burnRate)}) for ${rule.spec.objective}%`;
      samples.push({
        labels: { slo_action: action },
        severity: p.severity,
        observation: {
          kind: 'value',
          condition: firing.length > 0,
          value: Number(shown.effective.toPrecision(6)),
          description,
        },
      });
    }
    return samples;
  },
};
