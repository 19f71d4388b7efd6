import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetResource } from '../src/config/resource.js';
import { appendLogContext, withLogContext } from '../src/context/store.js';
import { vigilPipe } from '../src/export/vigil-pipe.js';
import { getDiagnostics, resetDiagnostics } from '../src/internal/diagnostics.js';
import { flush } from '../src/lifecycle/shutdown.js';
import { configureLogging } from '../src/logging/configure.js';
import { getLogger, logger } from '../src/logging/logger.js';
import { logState } from '../src/logging/state.js';
import { configureTracing } from '../src/tracing/configure.js';
import { withSpan } from '../src/tracing/tracer.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let lines: string[] = [];
let recorder: Recorder;

beforeEach(async () => {
  recorder = await startRecorder();
  resetResource({});
  resetDiagnostics();
  configureLogging(
    {
      level: 'info',
      json: true,
      console: true,
      ship: false,
      serviceName: 'checkout',
      endpoint: recorder.url,
      token: 't',
      flushIntervalMs: 60_000,
    },
    {},
  );
  configureTracing({ exporter: 'none', sampleRate: 1 }, {});
  lines = [];
  logState.write = (line) => lines.push(line);
});

afterEach(async () => {
  await vigilPipe.shutdown(100);
  await recorder.close();
});

const parsed = () => lines.map((l) => JSON.parse(l));

describe('structured logger', () => {
  it('writes one JSON line with timestamp, level, service, message and attributes', () => {
    logger.info('order placed', { orderId: '42', total: 9.5 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'info',
      service: 'checkout',
      message: 'order placed',
      orderId: '42',
      total: 9.5,
    });
    expect(Date.parse(line.timestamp)).toBeGreaterThan(Date.now() - 5000);
  });

  it('filters by level', () => {
    configureLogging({ level: 'warn' }, {});
    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    logger.error('yes too');
    expect(parsed().map((l) => l.level)).toEqual(['warn', 'error']);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('child loggers carry bindings; pino-style argument order works', () => {
    const log = getLogger({ component: 'cart' }).child({ cartId: 'c1' });
    log.warn({ items: 3 }, 'cart is large');
    expect(parsed()[0]).toMatchObject({
      component: 'cart',
      cartId: 'c1',
      items: 3,
      message: 'cart is large',
      level: 'warn',
    });
  });

  it('writes each key once: call attributes over bindings over context fields; core keys are not overwritten', async () => {
    const log = getLogger({ component: 'cart', region: 'eu' });
    await withLogContext({ requestId: 'r1', component: 'ctx', tenant: 't1' }, () => {
      log.info('checkout', { region: 'us', level: 'fake', message: 'fake', total: Number.NaN, skip: undefined });
    });
    const line = lines[0]!;
    for (const key of ['component', 'region', 'level', 'message', 'requestId']) {
      expect(line.split(`"${key}":`).length - 1).toBe(1);
    }
    expect(JSON.parse(line)).toEqual({
      timestamp: expect.any(String),
      level: 'info',
      service: 'checkout',
      message: 'checkout',
      requestId: 'r1',
      tenant: 't1',
      component: 'cart',
      region: 'us',
      total: null,
    });
  });

  it('serialises bindings when the child is made, and odd values safely', () => {
    const bound = { step: 1 };
    const log = getLogger({ bound });
    bound.step = 2;
    log.info('odd', { big: 10n, when: new Date(0), list: [1, 'two'], quote: 'a"b\nc', fn: () => 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      bound: { step: 1 },
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      list: [1, 'two'],
      quote: 'a"b\nc',
    });
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('fn');
  });

  it('serialises errors with type, message and stack', () => {
    const error = new TypeError('x is undefined');
    logger.error('payment failed', error);
    logger.error({ err: new RangeError('nested') }, 'again');
    const [a, b] = parsed();
    expect(a.error).toMatchObject({ type: 'TypeError', message: 'x is undefined' });
    expect(a.error.stack).toContain('TypeError: x is undefined');
    expect(b.err).toMatchObject({ type: 'RangeError', message: 'nested' });
  });

  it('survives circular objects and bigints, and counts the repair', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    logger.info('circular', { a, big: 10n });
    const [line] = parsed();
    expect(line.a).toEqual({ name: 'a', self: '[Circular]' });
    expect(line.big).toBe('10');
    expect(getDiagnostics().repaired.circular).toBe(1);
  });

  it('carries context across awaits: request id, trace id, span id and added fields', async () => {
    await withLogContext({ requestId: 'req-1' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await withSpan('work', async (span) => {
        await Promise.resolve();
        appendLogContext({ userId: 'u7' });
        logger.info('inside');
        expect(parsed()[0]).toMatchObject({
          requestId: 'req-1',
          userId: 'u7',
          traceId: span.traceId,
          spanId: span.spanId,
        });
      });
    });
    await withLogContext({ requestId: 'req-2' }, async () => {
      logger.info('other request');
    });
    logger.info('outside');
    const [, other, outside] = parsed();
    expect(other.requestId).toBe('req-2');
    expect(other.userId).toBeUndefined();
    expect(outside.requestId).toBeUndefined();
    expect(outside.traceId).toBeUndefined();
  });

  it('writes human-readable lines with json: false', () => {
    configureLogging({ json: false }, {});
    logger.info('hello', { a: 1 });
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z INFO {2}\[checkout\] hello a=1\n$/);
  });

  it('appends to a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-log-')), 'service.log');
    configureLogging({ file, console: false }, {});
    logger.info('to file', { n: 1 });
    logger.info('to file', { n: 2 });
    await flush(2000);
    await new Promise((r) => setTimeout(r, 50));
    const fileLines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fileLines.map((l) => l.n)).toEqual([1, 2]);
    expect(lines).toEqual([]);
    configureLogging({ file: undefined as unknown as string, console: true }, {});
  });

  it('ships logs to /v1/ingest with flattened attributes and trace ids', async () => {
    configureLogging({ ship: true }, {});
    let traceId = '';
    withSpan('op', (span) => {
      traceId = span.traceId;
      logger.error('payment failed', {
        orderId: '42',
        error: new TypeError('boom'),
        nested: { a: { b: 1 } },
        list: [1, 2],
      });
    });
    await flush(2000);
    const [entry] = ingested(recorder.requests, 'logs');
    expect(entry).toMatchObject({
      level: 'error',
      message: 'payment failed',
      traceId,
      attributes: { orderId: '42', 'error.type': 'TypeError', 'error.message': 'boom', 'nested.a.b': 1, list: '[1,2]' },
    });
    expect(typeof entry.timestamp).toBe('number');
    for (const v of Object.values(entry.attributes)) expect(['string', 'number', 'boolean']).toContain(typeof v);
  });

  it('never throws, whatever it is given', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    expect(() => logger.info('hostile', hostile as never)).not.toThrow();
    expect(() => logger.info(undefined as never, null as never)).not.toThrow();
    expect(() => logger.info(Symbol('x') as never)).not.toThrow();
  });
});

describe('log timestamps', () => {
  it('isoTime gives what Date#toISOString gives, for any instant', async () => {
    const { isoTime } = await import('../src/logging/format.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        expect(isoTime(ms + 1)).toBe(new Date(ms + 1).toISOString());
      }),
      { numRuns: 2000 },
    );
    expect(isoTime(1.5)).toBe(new Date(1.5).toISOString());
  });
});
