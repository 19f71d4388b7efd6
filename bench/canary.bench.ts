/**
 * `npx tsx bench/canary.bench.ts` (also part of `npm run bench`): the canary judge on one continuous metric of
 * 10,000 baseline + 10,000 canary latency samples (Mann-Whitney U, Hodges–Lehmann shift and interval, the
 * look's spending boundary), raw and bucketed as rollups store them (log buckets, γ = 1.02), set against its
 * floor: sorting the same 20,000 samples, which any rank test must at least do. Median of repeated runs,
 * after a warm-up that also builds the cached spending boundaries.
 */

import { bucketKey, bucketValue } from '../functions/core/telemetry/sketch.js';
import { judgeMetric } from '../functions/core/verification/canary-judge.js';

const N = 10_000;
const REPEATS = 15;

let seed = 2026;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed + 0.5) / 2147483648;
};
const lognormal = (median: number) =>
  median * Math.exp(0.35 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()));
const baseline = Array.from({ length: N }, () => lognormal(212));
const canary = Array.from({ length: N }, () => lognormal(222));

function bucketed(values: number[]): { values: number[]; weights: number[] } {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(bucketKey(v), (counts.get(bucketKey(v)) ?? 0) + 1);
  return { values: [...counts.keys()].map(bucketValue), weights: [...counts.values()] };
}

function median(f: () => void): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    f();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(REPEATS / 2)]!;
}

const spec = {
  name: 'latency',
  kind: 'continuous',
  direction: 'increase',
  allowedIncreasePct: 10,
  critical: false,
} as const;
const look = { index: 5, planned: 10, final: false } as const;
const floor = median(() => {
  Float64Array.from(baseline).sort();
  Float64Array.from(canary).sort();
});
const raw = median(() => judgeMetric(spec, { kind: 'continuous', baseline, canary, describe: 'latency in ms' }, look));
const b = bucketed(baseline);
const c = bucketed(canary);
const inBuckets = median(() =>
  judgeMetric(
    spec,
    {
      kind: 'continuous',
      baseline: b.values,
      baselineWeights: b.weights,
      canary: c.values,
      canaryWeights: c.weights,
      describe: 'latency in ms, bucketed at ±1%',
    },
    look,
  ),
);
const ms = (x: number) => x.toFixed(2);
process.stdout.write(
  [
    `Floor: sorting the same ${N.toLocaleString('en-US')} + ${N.toLocaleString('en-US')} samples took ${ms(floor)} ms (median of ${REPEATS}).`,
    '',
    '| input | distinct values (baseline + canary) | judge per metric (ms) | ÷ sorting the samples |',
    '|---|---:|---:|---:|',
    `| raw samples | ${(N * 2).toLocaleString('en-US')} | ${ms(raw)} | ${(raw / floor).toFixed(1)}× |`,
    `| bucketed (γ = 1.02) | ${b.values.length + c.values.length} | ${ms(inBuckets)} | ${(inBuckets / floor).toFixed(2)}× |`,
    '',
  ].join('\n'),
);
