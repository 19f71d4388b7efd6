import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportSettings } from '../src/config/resource.js';
import { Batcher } from '../src/export/batcher.js';
import type { SendResult } from '../src/export/http-sender.js';
import type { DropReason } from '../src/internal/diagnostics.js';

/**
 * Issue #15 item 3, the SDK's side: while Vigil is down (refusing) or slow (hanging), the host keeps
 * queuing without waiting, the buffer never holds more than `maxQueueSize` plus the one batch in flight, every
 * item is either delivered or counted as dropped, and the buffer drains when Vigil is back. Time is fake
 * (vi.useFakeTimers): backoff and intervals are driven explicitly, nothing waits for real time.
 */
const SETTINGS: ExportSettings = {
  flushIntervalMs: 5_000,
  maxBatchSize: 50,
  maxQueueSize: 1_000,
  maxRetries: 1_000_000,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  requestTimeoutMs: 10_000,
};

type Sink = (batch: readonly number[]) => Promise<SendResult>;

function harness(sink: { current: Sink }) {
  const dropped = new Map<DropReason, number>();
  const delivered: number[] = [];
  let sends = 0;
  const batcher = new Batcher<number>({
    name: 'test',
    settings: () => SETTINGS,
    send: (batch) => {
      sends++;
      return sink.current(batch);
    },
    onDropped: (items, reason) => dropped.set(reason, (dropped.get(reason) ?? 0) + items.length),
    onDelivered: (items) => void delivered.push(...items),
  });
  return { batcher, dropped, delivered, sends: () => sends };
}

const accept: Sink = async () => ({ ok: true, status: 202, retryable: false });
const refuse: Sink = async () => ({ ok: false, retryable: true, error: 'connect ECONNREFUSED 127.0.0.1:4318' });
/** A Vigil that accepts the connection and never answers: the sender gives up at requestTimeoutMs (retryable). */
const hang: Sink = () =>
  new Promise<SendResult>((resolve) =>
    setTimeout(() => resolve({ ok: false, retryable: true, error: 'timeout' }), SETTINGS.requestTimeoutMs),
  );

/** The host's load: `perSecond` items a second for `seconds`, each second of fake time advanced. */
async function load(batcher: Batcher<number>, seconds: number, perSecond: number, from = 0): Promise<number> {
  let next = from;
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < perSecond; i++) batcher.add(next++);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batcher.size).toBeLessThanOrEqual(SETTINGS.maxQueueSize + SETTINGS.maxBatchSize);
  }
  return next;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SDK during a Vigil outage', () => {
  it.each([
    ['refusing', refuse],
    ['hanging', hang],
  ])('Vigil %s for 60 s at 500 items/s: bounded buffer, counted drops, nothing lost unaccounted', async (_, outage) => {
    const sink = { current: outage as Sink };
    const h = harness(sink);
    const sent = await load(h.batcher, 60, 500);
    // 30,000 items offered; the buffer holds at most its bound plus one batch, the rest is counted.
    expect(h.batcher.size).toBeGreaterThanOrEqual(SETTINGS.maxQueueSize);
    expect(h.batcher.size).toBeLessThanOrEqual(SETTINGS.maxQueueSize + SETTINGS.maxBatchSize);
    expect(h.dropped.get('queue_full')).toBe(sent - h.batcher.size);
    expect(h.delivered).toHaveLength(0);
    // Backoff, not a busy loop: exponential from 500 ms capped at 30 s is a handful of attempts a minute.
    expect(h.sends()).toBeGreaterThan(1);
    expect(h.sends()).toBeLessThan(20);

    // Vigil is back: the next attempt (at most one timeout plus the longest backoff away) delivers the buffer.
    sink.current = accept;
    await vi.advanceTimersByTimeAsync(SETTINGS.requestTimeoutMs + SETTINGS.maxBackoffMs);
    await h.batcher.flush();
    expect(h.batcher.size).toBe(0);
    expect(h.delivered.length + (h.dropped.get('queue_full') ?? 0)).toBe(sent);
    expect(new Set(h.delivered).size).toBe(h.delivered.length);
  });

  it('adding never waits for the network: add() returns at once and says whether the item was kept', () => {
    const h = harness({ current: hang as Sink });
    const kept = Array.from({ length: 2_000 }, (_, i) => h.batcher.add(i));
    expect(kept.filter(Boolean)).toHaveLength(SETTINGS.maxQueueSize);
    expect(h.dropped.get('queue_full')).toBe(1_000);
  });
});
