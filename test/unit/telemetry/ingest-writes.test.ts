import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../functions/core/errors.js';
import { ingest } from '../../../functions/core/telemetry/ingest.js';
import { DEFAULT_LIMITS } from '../../../functions/core/telemetry/limits.js';
import type { TelemetryWriter } from '../../../functions/core/telemetry/ports.js';
import { validateBatch } from '../../../functions/core/telemetry/validate-batch.js';
import { unboundedScope } from '../../../functions/core/telemetry/write-scope.js';

const NOW = Date.UTC(2026, 11, 2, 15, 0, 0);

/** An in-memory writer whose calls are recorded in order; `fail` makes one kind of write fail. */
function recordingWriter(fail?: 'logs' | 'rollups') {
  const events: string[] = [];
  let release: () => void = () => undefined;
  const rollupsDone = new Promise<void>((r) => {
    release = r;
  });
  const writer: TelemetryWriter = {
    admitService: async () => void events.push('admit-service'),
    admitSeries: async (_s, series) => new Set(series.map((x) => x.id)),
    applyRollups: async () => {
      events.push('rollups-start');
      await rollupsDone;
      if (fail === 'rollups') throw new ServiceUnavailableError('storage is unavailable (6 attempts)', 5);
      events.push('rollups-done');
    },
    putLogs: async () => {
      events.push('logs');
      // The log write fails while the rollups are still in flight.
      if (fail === 'logs') {
        setTimeout(release, 0);
        throw new ServiceUnavailableError('storage is unavailable (6 attempts)', 5);
      }
      release();
    },
    putSpans: async () => undefined,
    recordErrors: async () => void events.push('errors'),
    applySummary: async () => void events.push('summary'),
  };
  return { writer, events };
}

const batch = {
  service: 'checkout',
  metrics: [{ name: 'http.server.requests', type: 'counter', value: 3, tags: { status_class: '2xx' }, timestamp: NOW }],
  logs: [{ message: 'paid', timestamp: NOW }],
  errors: [{ type: 'E', message: 'm', timestamp: NOW }],
};

const run = (writer: TelemetryWriter) =>
  ingest(validateBatch(batch, { now: NOW, limits: DEFAULT_LIMITS }), {
    writer,
    limits: DEFAULT_LIMITS,
    now: NOW,
    scope: unboundedScope('batch-00001'),
  });

describe('ingest(): the writes of one batch', () => {
  it('admits the service first, writes, and adds the summary only once the rest is stored', async () => {
    const { writer, events } = recordingWriter();
    await run(writer);
    expect(events[0]).toBe('admit-service');
    expect(events.at(-1)).toBe('summary');
    expect(events).toContain('rollups-done');
  });

  it('on a failed write, waits for the others, says what is stored, and adds no summary', async () => {
    const { writer, events } = recordingWriter('logs');
    const error = await run(writer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    // The rollups finished before the answer: nothing goes on writing after the client is told.
    expect(events).toContain('rollups-done');
    expect(events).not.toContain('summary');
    expect((error as ServiceUnavailableError).extensions).toMatchObject({
      stored: { metrics: 1, logs: 0, spans: 0, errors: 1 },
    });
    expect((error as ServiceUnavailableError).retryAfterSeconds).toBe(5);
  });
});
