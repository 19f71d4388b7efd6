import { randomUUID } from 'node:crypto';
import type { ExportSettings } from '../config/resource.js';
import { DropReason, recordExportFailure, warnOnce } from '../internal/diagnostics.js';
import { retryDelay } from './backoff.js';
import type { SendResult } from './http-sender.js';

const RETRY_AFTER_CAP_MS = 300_000;

export interface BatcherOptions<T> {
  /** Read on every use so later `configure*` calls apply. */
  readonly settings: () => ExportSettings;
  /** One HTTP attempt. `idempotencyKey` is the same for every retry of a batch. */
  readonly send: (batch: readonly T[], idempotencyKey: string, timeoutMs: number) => Promise<SendResult>;
  /** Items that will never be delivered, with the reason (counted by the caller). */
  readonly onDropped: (items: readonly T[], reason: DropReason) => void;
  readonly onDelivered?: (items: readonly T[], result: SendResult) => void;
  /** Cost of an item toward `maxBatchWeight` (a histogram with 300 values weighs 300). @default 1 */
  readonly weight?: (item: T) => number;
  /** Most total weight in one request (the server's per-batch item limit). @default unlimited */
  readonly maxBatchWeight?: number;
  /** Label for warnings. */
  readonly name: string;
}

interface Pending<T> {
  readonly batch: T[];
  readonly key: string;
  attempt: number;
}

/**
 * A bounded in-memory queue that sends in batches by size and interval, one request at a time,
 * retrying 429/5xx/network failures with exponential backoff and jitter (honouring Retry-After)
 * and never retrying other 4xx. When full, new items are dropped and counted; nothing blocks the caller.
 */
export class Batcher<T> {
  private queue: T[] = [];
  private pending: Pending<T> | undefined;
  private draining: Promise<void> | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private timerInterval = 0;
  private sizeFlushScheduled = false;
  /** Set by an explicit or interval flush: send everything, partial batches too. */
  private sendAll = false;
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: BatcherOptions<T>) {}

  /** Items waiting (queued plus the batch being retried). */
  get size(): number {
    return this.queue.length + (this.pending?.batch.length ?? 0);
  }

  /** True while a batch is waiting to be retried (the destination is failing). */
  get backedUp(): boolean {
    return (this.pending?.attempt ?? 0) > 0;
  }

  /** Queues one item; returns false (and counts it) when the buffer is full. */
  add(item: T): boolean {
    const settings = this.options.settings();
    if (this.queue.length >= settings.maxQueueSize) {
      this.options.onDropped([item], DropReason.queueFull);
      warnOnce(
        `full:${this.options.name}`,
        `${this.options.name} buffer full (${settings.maxQueueSize}); dropping new items`,
      );
      return false;
    }
    this.queue.push(item);
    this.ensureTimer(settings.flushIntervalMs);
    if (this.queue.length >= settings.maxBatchSize && !this.draining && !this.sizeFlushScheduled) {
      this.sizeFlushScheduled = true;
      setImmediate(() => {
        this.sizeFlushScheduled = false;
        void this.startDrain();
      }).unref();
    }
    return true;
  }

  /**
   * Sends everything queued. With `timeoutMs`, gives up waiting after that long and keeps
   * what was not sent for the next flush. Never rejects.
   */
  flush(timeoutMs?: number): Promise<void> {
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    const run = (): Promise<void> => {
      this.deadline = Math.min(this.deadline, deadline);
      if (timeoutMs !== undefined) this.wake?.();
      this.sendAll = true;
      return this.startDrain();
    };
    if (!this.draining) return run();
    // A drain is running: make it send everything, then drain once more for what came in at its very end.
    const current = run();
    return current.then(run);
  }

  /**
   * Drains in the background. Without {@link flush} only full batches go out: under steady load a
   * size-triggered drain must not turn into a stream of small requests, one per round trip.
   */
  private startDrain(): Promise<void> {
    if (!this.draining) {
      this.draining = this.drain()
        .catch((error: unknown) => warnOnce(`drain:${this.options.name}`, `${this.options.name}: ${String(error)}`))
        .finally(() => {
          this.draining = undefined;
          this.sendAll = false;
          this.deadline = Number.POSITIVE_INFINITY;
        });
    }
    return this.draining;
  }

  /** Final flush within `timeoutMs`; what is left is dropped and counted. */
  async shutdown(timeoutMs: number): Promise<void> {
    await this.flush(timeoutMs);
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const left = [...(this.pending?.batch ?? []), ...this.queue];
    this.pending = undefined;
    this.queue = [];
    if (left.length > 0) this.options.onDropped(left, DropReason.shutdown);
    this.stopped = false;
  }

  private ensureTimer(intervalMs: number): void {
    if (this.timer && this.timerInterval === intervalMs) return;
    if (this.timer) clearInterval(this.timer);
    this.timerInterval = intervalMs;
    this.timer = setInterval(() => {
      if (this.size > 0 && !this.sendAll) void this.flush();
    }, intervalMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.pending) {
        if (this.queue.length === 0) return;
        const length = this.batchLength();
        const partial = length === this.queue.length && length < this.options.settings().maxBatchSize;
        if (partial && !this.sendAll) return; // the interval (or an explicit flush) sends it
        const batch = this.queue.splice(0, length);
        this.pending = { batch, key: randomUUID(), attempt: 0 };
      }
      const delivered = await this.deliver(this.pending);
      if (!delivered) return; // deadline reached: keep the batch (and its idempotency key) for later
      this.pending = undefined;
    }
  }

  /** How many queued items fit in the next request (at least one). */
  private batchLength(): number {
    const max = Math.min(this.queue.length, this.options.settings().maxBatchSize);
    const { weight, maxBatchWeight } = this.options;
    if (!weight || maxBatchWeight === undefined) return max;
    let total = 0;
    for (let i = 0; i < max; i++) {
      total += weight(this.queue[i] as T);
      if (total > maxBatchWeight) return Math.max(1, i);
    }
    return max;
  }

  /** True when the batch is finished with (sent or dropped); false when deferred by the deadline. */
  private async deliver(pending: Pending<T>): Promise<boolean> {
    const settings = this.options.settings();
    for (;;) {
      const remaining = this.deadline - Date.now();
      if (remaining <= 0 && !this.stopped) return false;
      const result = await this.options.send(
        pending.batch,
        pending.key,
        Math.min(settings.requestTimeoutMs, remaining),
      );
      if (result.ok) {
        this.options.onDelivered?.(pending.batch, result);
        return true;
      }
      recordExportFailure(result.error ?? `status ${result.status ?? 'unknown'}`);
      if (!result.retryable) {
        warnOnce(
          `reject:${this.options.name}:${result.status}`,
          `${this.options.name}: ${result.error ?? 'rejected'}; batch dropped`,
        );
        this.options.onDropped(pending.batch, DropReason.rejected);
        return true;
      }
      if (pending.attempt >= settings.maxRetries) {
        warnOnce(
          `exhausted:${this.options.name}`,
          `${this.options.name}: ${result.error ?? 'failed'}; retries exhausted, batch dropped`,
        );
        this.options.onDropped(pending.batch, DropReason.retriesExhausted);
        return true;
      }
      const delay = retryDelay(
        pending.attempt,
        result.retryAfterMs,
        settings.initialBackoffMs,
        settings.maxBackoffMs,
        RETRY_AFTER_CAP_MS,
      );
      pending.attempt++;
      if (Date.now() + delay > this.deadline) return false;
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wake = undefined;
    });
  }
}
