import { warnOnce } from '../internal/diagnostics.js';
import { safelyAsync } from '../internal/safe.js';

/** Something holding buffered telemetry. Lower `stage` flushes first (producers before the pipe). */
export interface Flushable {
  readonly name: string;
  readonly stage: number;
  flush(timeoutMs: number): Promise<void>;
  shutdown?(timeoutMs: number): Promise<void>;
}

const flushables = new Map<string, Flushable>();

/** Registers (or replaces, by name) a buffer to flush on `flush()`/`shutdown()`. */
export function registerFlushable(flushable: Flushable): void {
  flushables.set(flushable.name, flushable);
  installProcessHooks();
}

function ordered(): Flushable[] {
  return [...flushables.values()].sort((a, b) => a.stage - b.stage);
}

/**
 * Sends everything buffered (metrics, logs, spans, errors) and waits up to `timeoutMs`.
 * What cannot be sent in time stays buffered for the next flush. Never rejects.
 * @example
 * await flush(2000); // at the end of a Lambda invocation
 */
export async function flush(timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const f of ordered()) {
    await safelyAsync(`flush ${f.name}`, () => f.flush(Math.max(1, deadline - Date.now())), undefined);
  }
}

/**
 * Final flush within `timeoutMs`, then releases timers and sockets; what is still unsent is dropped
 * and counted. Runs automatically on `beforeExit` and SIGTERM. Never rejects.
 * @example
 * process.on('SIGINT', async () => { await shutdown(); process.exit(0); });
 */
export async function shutdown(timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const f of ordered()) {
    const left = Math.max(1, deadline - Date.now());
    await safelyAsync(`shutdown ${f.name}`, () => (f.shutdown ? f.shutdown(left) : f.flush(left)), undefined);
  }
}

let hooksInstalled = false;
let exiting = false;

function onSigterm(): void {
  void shutdown(5000).finally(() => {
    process.removeListener('SIGTERM', onSigterm);
    // If nobody else handles SIGTERM, restore the default: terminate, as the host expected.
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  });
}

function onBeforeExit(): void {
  if (exiting) return;
  exiting = true;
  // beforeExit fires again once our flush's work is done; `exiting` stops the loop.
  void flush(3000);
}

/** Flush on `beforeExit` and SIGTERM; installed once, on first use. */
export function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  try {
    process.on('beforeExit', onBeforeExit);
    process.on('SIGTERM', onSigterm);
  } catch (error) {
    warnOnce('hooks', `could not install exit hooks: ${String(error)}`);
  }
}
