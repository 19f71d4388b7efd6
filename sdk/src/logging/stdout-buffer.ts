import { writeSync } from 'node:fs';

const MAX_PENDING = 64 * 1024;
let pending = '';
let scheduled = false;

function drain(): void {
  scheduled = false;
  if (pending === '') return;
  const chunk = pending;
  pending = '';
  try {
    process.stdout.write(chunk);
  } catch {
    // stdout closed: nothing to do
  }
}

/**
 * Buffers log lines and writes them to stdout once per event-loop turn (or every 64 KiB), like
 * pino's sonic-boom: one syscall for many lines instead of one per line. Whatever is pending is
 * written synchronously on process exit.
 */
export function bufferedStdout(line: string): void {
  pending += line;
  if (pending.length >= MAX_PENDING) drain();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}

/** Writes what is pending now (tests, shutdown). */
export function flushStdout(): void {
  drain();
}

process.once('exit', () => {
  if (pending === '') return;
  try {
    writeSync(1, pending);
  } catch {
    // nothing left to write to
  }
  pending = '';
});
