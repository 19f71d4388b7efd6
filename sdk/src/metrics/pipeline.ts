import { getExportSettings } from '../config/resource.js';
import { vigilPipe } from '../export/vigil-pipe.js';
import { safely } from '../internal/safe.js';
import { registerFlushable } from '../lifecycle/shutdown.js';
import type { MetricsBackend } from './backends/backend.js';
import { vigilBackend } from './backends/vigil.js';
import { collectPoints } from './collect.js';
import { setOnFirstMetric } from './create.js';

let backend: MetricsBackend = vigilBackend();
let timer: NodeJS.Timeout | undefined;
let timerInterval = 0;

export function getMetricsBackend(): MetricsBackend {
  return backend;
}

/** Replaces the backend and (re)starts the push timer for push backends. */
export function setMetricsBackend(next: MetricsBackend): void {
  const previous = backend;
  backend = next;
  if (previous !== next && previous.close) void previous.close().catch(() => undefined);
  restartTimer();
}

/** Collects what changed and hands it to the backend; with `timeoutMs`, also waits for delivery. */
export async function flushMetrics(timeoutMs?: number): Promise<void> {
  const current = backend;
  if (!current.push) return;
  if (current.accepting && !current.accepting()) {
    if (timeoutMs !== undefined) await current.flush?.(timeoutMs);
    if (current.accepting()) return flushMetrics(timeoutMs);
    return;
  }
  const points = safely('collect metrics', collectPoints, []);
  if (points.length > 0) safely('push metrics', () => current.push?.(points), undefined);
  if (timeoutMs !== undefined && current.flush && current.name !== 'vigil') await current.flush(timeoutMs);
}

export function restartTimer(): void {
  const interval = getExportSettings().flushIntervalMs;
  if (!backend.push) {
    if (timer) clearInterval(timer);
    timer = undefined;
    return;
  }
  if (timer && timerInterval === interval) return;
  if (timer) clearInterval(timer);
  timerInterval = interval;
  timer = setInterval(() => {
    void flushMetrics().then(() => (backend.name === 'vigil' ? vigilPipe.flush() : undefined));
  }, interval);
  timer.unref();
}

setOnFirstMetric(restartTimer);
registerFlushable({
  name: 'metrics',
  stage: 10,
  flush: (timeoutMs) => flushMetrics(timeoutMs),
  async shutdown(timeoutMs) {
    await flushMetrics(timeoutMs);
    if (timer) clearInterval(timer);
    timer = undefined;
    await backend.close?.();
  },
});
