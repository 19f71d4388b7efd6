/**
 * Cumulative OTLP points → deltas. A cumulative stream (resource + scope + metric + attributes + start time)
 * reports running totals; Vigil stores what happened in each step, so it keeps the last point it saw per stream
 * and stores the difference. A point whose start time is new is a new stream: its whole value is the delta
 * (the process restarted). A value, count or bucket that went down is a reset, as in Prometheus' `rate`: the
 * new value is the delta, never a negative count. Pure: the stored state comes and goes through the caller.
 */
export type CumulativeValue =
  | { readonly kind: 'sum'; readonly value: number }
  | {
      readonly kind: 'histogram';
      readonly count: number;
      readonly sum: number;
      readonly bounds: readonly number[];
      readonly counts: readonly number[];
    }
  | {
      readonly kind: 'exponential';
      readonly count: number;
      readonly sum: number;
      readonly scale: number;
      readonly zeroCount: number;
      readonly positive: Side;
      readonly negative: Side;
    };

interface Side {
  readonly offset: number;
  readonly counts: readonly number[];
}

export type DeltaOutcome =
  | { readonly kind: 'delta'; readonly delta: CumulativeValue }
  | { readonly kind: 'reset'; readonly delta: CumulativeValue; readonly why: string }
  | { readonly kind: 'first'; readonly delta: CumulativeValue };

const num = (x: unknown): number => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : Number.NaN;
};
const list = (x: unknown): number[] => (Array.isArray(x) ? x.map(num) : []);
const side = (x: unknown): Side => {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  return { offset: o.offset === undefined ? 0 : num(o.offset), counts: list(o.bucketCounts) };
};

/** The cumulative value of a raw OTLP point; malformed fields become NaN and are refused later, per point. */
export function cumulativeValueOf(
  kind: 'sum' | 'histogram' | 'exponential',
  p: Record<string, unknown>,
): CumulativeValue {
  if (kind === 'sum') return { kind, value: num(p.asDouble ?? p.asInt) };
  const count = num(p.count ?? 0);
  const sum = p.sum === undefined ? 0 : num(p.sum);
  if (kind === 'histogram') return { kind, count, sum, bounds: list(p.explicitBounds), counts: list(p.bucketCounts) };
  return {
    kind,
    count,
    sum,
    scale: num(p.scale ?? 0),
    zeroCount: num(p.zeroCount ?? 0),
    positive: side(p.positive),
    negative: side(p.negative),
  };
}

/** Bucket counts of `s` at a coarser scale (`shift` levels down): index i becomes floor(i / 2^shift). */
function downscale(s: Side, shift: number): Side {
  if (shift === 0 || s.counts.length === 0) return s;
  const factor = 2 ** shift;
  const offset = Math.floor(s.offset / factor);
  const counts: number[] = [];
  s.counts.forEach((k, i) => {
    const j = Math.floor((s.offset + i) / factor) - offset;
    counts[j] = (counts[j] ?? 0) + k;
  });
  return { offset, counts: Array.from(counts, (k) => k ?? 0) };
}

/** next − prev per bucket, or undefined when a bucket went down. */
function subtractSide(next: Side, prev: Side): Side | undefined {
  const counts = [...next.counts];
  for (const [i, k] of prev.counts.entries()) {
    const j = prev.offset + i - next.offset;
    if (k === 0) continue;
    if (j < 0 || j >= counts.length || counts[j]! < k) return undefined;
    counts[j] = counts[j]! - k;
  }
  return { offset: next.offset, counts };
}

const sameBounds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** What `next` adds to `prev` (undefined: the stream is new). */
export function cumulativeDelta(prev: CumulativeValue | undefined, next: CumulativeValue): DeltaOutcome {
  if (!prev || prev.kind !== next.kind) return { kind: 'first', delta: next };
  const reset = (why: string): DeltaOutcome => ({ kind: 'reset', delta: next, why });
  if (next.kind === 'sum' && prev.kind === 'sum') {
    if (next.value < prev.value) return reset(`the total went down from ${prev.value} to ${next.value}`);
    return { kind: 'delta', delta: { kind: 'sum', value: next.value - prev.value } };
  }
  if (next.kind === 'histogram' && prev.kind === 'histogram') {
    if (!sameBounds(next.bounds, prev.bounds)) return reset('the bucket bounds changed');
    if (next.count < prev.count) return reset(`the count went down from ${prev.count} to ${next.count}`);
    if (prev.counts.length && next.counts.length !== prev.counts.length)
      return reset('the bucket counts changed shape');
    const counts = next.counts.map((k, i) => k - (prev.counts[i] ?? 0));
    if (counts.some((k) => k < 0)) return reset('a bucket count went down');
    return {
      kind: 'delta',
      delta: { ...next, count: next.count - prev.count, sum: next.sum - prev.sum, counts },
    };
  }
  if (next.kind === 'exponential' && prev.kind === 'exponential') {
    if (next.scale > prev.scale) return reset(`the scale went up from ${prev.scale} to ${next.scale}`);
    if (next.count < prev.count) return reset(`the count went down from ${prev.count} to ${next.count}`);
    const shift = prev.scale - next.scale;
    const positive = subtractSide(next.positive, downscale(prev.positive, shift));
    const negative = subtractSide(next.negative, downscale(prev.negative, shift));
    const zeroCount = next.zeroCount - prev.zeroCount;
    if (!positive || !negative || zeroCount < 0) return reset('a bucket count went down');
    return {
      kind: 'delta',
      delta: { ...next, count: next.count - prev.count, sum: next.sum - prev.sum, zeroCount, positive, negative },
    };
  }
  return { kind: 'first', delta: next };
}

/** A delta as the OTLP delta point it stands for, so the delta path (checks, sketch) handles it. */
export function deltaPoint(delta: CumulativeValue, point: Record<string, unknown>): Record<string, unknown> {
  const { attributes, timeUnixNano } = point;
  if (delta.kind === 'sum') return { attributes, timeUnixNano, asDouble: delta.value };
  if (delta.kind === 'histogram') {
    return {
      attributes,
      timeUnixNano,
      count: delta.count,
      sum: delta.sum,
      explicitBounds: delta.bounds,
      bucketCounts: delta.counts,
    };
  }
  return {
    attributes,
    timeUnixNano,
    count: delta.count,
    sum: delta.sum,
    scale: delta.scale,
    zeroCount: delta.zeroCount,
    positive: { offset: delta.positive.offset, bucketCounts: delta.positive.counts },
    negative: { offset: delta.negative.offset, bucketCounts: delta.negative.counts },
  };
}
