import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetResource } from '../src/config/resource.js';
import { vigilPipe } from '../src/export/vigil-pipe.js';
import { getDiagnostics, resetDiagnostics } from '../src/internal/diagnostics.js';
import { flush } from '../src/lifecycle/shutdown.js';
import { configureTracing } from '../src/tracing/configure.js';
import { injectTraceHeaders, tracedFetch, traceHeaders } from '../src/tracing/fetch.js';
import { msToNanos } from '../src/tracing/otlp-format.js';
import { formatTraceparent, parseTraceparent, sanitizeTracestate } from '../src/tracing/traceparent.js';
import { getActiveSpan, shouldSample, startSpan, withSpan } from '../src/tracing/tracer.js';
import { ingested, type Recorder, startRecorder } from './helpers/recorder.js';

let recorder: Recorder;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

beforeEach(async () => {
  recorder = await startRecorder();
  resetResource({});
  resetDiagnostics();
  configureTracing(
    {
      exporter: 'vigil',
      sampleRate: 1,
      serviceName: 'checkout',
      endpoint: recorder.url,
      token: 't',
      flushIntervalMs: 60_000,
      otlpEndpoint: recorder.url,
    },
    {},
  );
});

afterEach(async () => {
  await vigilPipe.shutdown(100);
  await recorder.close();
});

describe('traceparent', () => {
  it('parses a valid header and keeps a valid tracestate', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7')).toEqual({
      status: 'valid',
      context: { traceId: TRACE, spanId: PARENT, sampled: true, traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' },
    });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`).context?.sampled).toBe(false);
    expect(parseTraceparent(undefined).status).toBe('absent');
  });

  it('repairs case and whitespace, rejects the rest, and counts both', () => {
    expect(parseTraceparent(`  00-${TRACE.toUpperCase()}-${PARENT}-01 `)).toMatchObject({
      status: 'repaired',
      context: { traceId: TRACE },
    });
    for (const bad of [
      `ff-${TRACE}-${PARENT}-01`,
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-${PARENT}-01-extra`,
      `00-${TRACE.slice(1)}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}-1`,
      'garbage',
      `00_${TRACE}_${PARENT}_01`,
    ]) {
      expect(parseTraceparent(bad).status, bad).toBe('invalid');
    }
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-future`).status).toBe('valid');
    expect(getDiagnostics().repaired).toMatchObject({ traceparent: 1, invalid_traceparent: 8 });
  });

  it('drops invalid and duplicate tracestate members', () => {
    expect(sanitizeTracestate('a=1,BAD KEY=2,a=3,b@vendor=x, ,c=')).toBe('a=1,b@vendor=x');
    expect(sanitizeTracestate(Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(','))?.split(',')).toHaveLength(32);
  });

  it('never throws on arbitrary headers, and what it accepts round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), fc.anything(), (header, state) => {
        const out = parseTraceparent(header, state);
        if (out.context) {
          expect(out.context.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(out.context.spanId).toMatch(/^[0-9a-f]{16}$/);
          expect(parseTraceparent(formatTraceparent(out.context)).status).toBe('valid');
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.boolean(),
        (t, s, sampled) => {
          fc.pre(!/^0+$/.test(t) && !/^0+$/.test(s));
          expect(parseTraceparent(formatTraceparent({ traceId: t, spanId: s, sampled })).context).toEqual({
            traceId: t,
            spanId: s,
            sampled,
          });
        },
      ),
    );
  });
});

describe('spans', () => {
  it('nests: children share the trace and point at their parent; context is restored after', async () => {
    let outerIds: [string, string] = ['', ''];
    await withSpan('outer', async (outer) => {
      outerIds = [outer.traceId, outer.spanId];
      await new Promise((r) => setTimeout(r, 2));
      await withSpan('inner', async (inner) => {
        expect(inner.traceId).toBe(outer.traceId);
        expect(inner.parentSpanId).toBe(outer.spanId);
        expect(getActiveSpan()).toBe(inner);
      });
      expect(getActiveSpan()).toBe(outer);
    });
    expect(getActiveSpan()).toBeUndefined();
    await flush(2000);
    const spans = ingested(recorder.requests, 'spans');
    expect(spans.map((s) => s.name)).toEqual(['inner', 'outer']);
    expect(spans[1]).toMatchObject({ traceId: outerIds[0], spanId: outerIds[1], kind: 'internal', status: 'unset' });
    expect(spans[1].parentSpanId).toBeUndefined();
    expect(spans[1].endTime).toBeGreaterThanOrEqual(spans[1].startTime);
  });

  it('continues an incoming traceparent', () => {
    const span = startSpan('GET /cart', {
      kind: 'server',
      headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'rojo=1' },
    });
    expect(span).toMatchObject({ traceId: TRACE, parentSpanId: PARENT, sampled: true, traceState: 'rojo=1' });
    expect(span.traceparent()).toBe(`00-${TRACE}-${span.spanId}-01`);
  });

  it('starts a new trace when the incoming traceparent is malformed', () => {
    const span = startSpan('GET /cart', { headers: { traceparent: 'not-a-traceparent' } });
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.parentSpanId).toBeUndefined();
  });

  it('head sampling honours the parent flag and the rate', () => {
    configureTracing({ sampleRate: 0 }, {});
    expect(startSpan('root').sampled).toBe(false);
    expect(startSpan('child', { headers: { traceparent: `00-${TRACE}-${PARENT}-01` } }).sampled).toBe(true);
    configureTracing({ sampleRate: 1 }, {});
    expect(startSpan('child', { headers: { traceparent: `00-${TRACE}-${PARENT}-00` } }).sampled).toBe(false);
    expect(shouldSample(undefined, 0.1, () => 0.05)).toBe(true);
    expect(shouldSample(undefined, 0.1, () => 0.15)).toBe(false);
    configureTracing({ sampleRate: 0.25 }, {});
    let n = 0;
    for (let i = 0; i < 20_000; i++) if (startSpan('s').sampled) n++;
    expect(n / 20_000).toBeGreaterThan(0.22);
    expect(n / 20_000).toBeLessThan(0.28);
  });

  it('unsampled spans propagate with flag 00 and are not exported', async () => {
    configureTracing({ sampleRate: 0 }, {});
    withSpan('quiet', (span) => {
      expect(traceHeaders().traceparent).toBe(`00-${span.traceId}-${span.spanId}-00`);
    });
    await flush(2000);
    expect(ingested(recorder.requests, 'spans')).toEqual([]);
  });

  it('records exceptions on the span and sends them as error events, even when unsampled', async () => {
    await expect(
      withSpan('charge', async () => {
        throw new TypeError('card declined');
      }),
    ).rejects.toThrow('card declined');
    configureTracing({ sampleRate: 0 }, {});
    expect(() =>
      withSpan('sync', () => {
        throw new Error('sync boom');
      }),
    ).toThrow('sync boom');
    await flush(2000);
    const [span] = ingested(recorder.requests, 'spans');
    expect(span).toMatchObject({ name: 'charge', status: 'error', statusMessage: 'card declined' });
    expect(span.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'card declined' },
    });
    const errors = ingested(recorder.requests, 'errors');
    expect(errors.map((e) => [e.type, e.message])).toEqual([
      ['TypeError', 'card declined'],
      ['Error', 'sync boom'],
    ]);
    expect(errors[0]).toMatchObject({ traceId: span.traceId, spanId: span.spanId });
    expect(errors[0].stack).toContain('card declined');
  });

  it('injects headers into outgoing fetch calls and creates a client span', async () => {
    await withSpan('parent', async (parent) => {
      const init = injectTraceHeaders({ headers: { accept: 'application/json' } });
      const headers = new Headers(init.headers);
      expect(headers.get('accept')).toBe('application/json');
      expect(headers.get('traceparent')).toBe(parent.traceparent());
      const response = await tracedFetch(`${recorder.url}/downstream`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(202);
      const downstream = recorder.requests.find((r) => r.url === '/downstream')!;
      const parsed = parseTraceparent(downstream.headers.traceparent).context!;
      expect(parsed.traceId).toBe(parent.traceId);
      expect(parsed.spanId).not.toBe(parent.spanId);
    });
    await flush(2000);
    const client = ingested(recorder.requests, 'spans').find((s) => s.kind === 'client');
    expect(client).toMatchObject({
      name: `POST 127.0.0.1:${recorder.port}`,
      attributes: { 'http.response.status_code': 202, 'http.request.method': 'POST' },
    });
  });

  it('exports OTLP/HTTP JSON to /v1/traces', async () => {
    configureTracing({ exporter: 'otlp', otlpEndpoint: recorder.url, environment: 'staging', version: '1.4.2' }, {});
    const parent = startSpan('GET /cart', { kind: 'server', startTime: 1764169200000.5 });
    const child = startSpan('db', { kind: 'client', parent, attributes: { 'db.rows': 3, 'db.ok': true, ratio: 0.5 } });
    child.setStatus('error', 'slow').end(1764169200010);
    parent.setStatus('ok').end(1764169200042.25);
    await flush(2000);
    const req = recorder.requests.find((r) => r.url === '/v1/traces')!;
    expect(req.headers['content-type']).toBe('application/json');
    const rs = req.body.resourceSpans[0];
    expect(rs.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'checkout' } });
    expect(rs.resource.attributes).toContainEqual({ key: 'service.version', value: { stringValue: '1.4.2' } });
    const [c, p] = rs.scopeSpans[0].spans;
    expect(p).toMatchObject({
      name: 'GET /cart',
      kind: 2,
      traceId: parent.traceId,
      spanId: parent.spanId,
      startTimeUnixNano: '1764169200000500000',
      endTimeUnixNano: '1764169200042250000',
      status: { code: 1 },
    });
    expect(c).toMatchObject({ kind: 3, parentSpanId: parent.spanId, status: { code: 2, message: 'slow' } });
    expect(c.attributes).toEqual([
      { key: 'db.rows', value: { intValue: '3' } },
      { key: 'db.ok', value: { boolValue: true } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
    ]);
    expect(msToNanos(1.000001)).toBe('1000001');
  });
});

describe('hand-made parents', () => {
  it('a parent context with malformed ids starts a new trace instead, counted as a repair', () => {
    configureTracing({ exporter: 'none', sampleRate: 1 }, {});
    resetDiagnostics();
    const bad = { traceId: 'not"hex', spanId: '00f067aa0ba902b7', sampled: true };
    const span = startSpan('child', { parent: bad });
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.parentSpanId).toBeUndefined();
    expect(getDiagnostics().repaired.invalid_traceparent).toBe(1);
    const good = startSpan('child', { parent: { traceId: TRACE, spanId: PARENT, sampled: false } });
    expect([good.traceId, good.parentSpanId, good.sampled]).toEqual([TRACE, PARENT, false]);
  });
});

describe('span serialisation', () => {
  it('toJson() is exactly JSON.stringify(toWire()), whatever the attributes', () => {
    const value = fc.oneof(
      fc.string(),
      fc.string({ minLength: 4090, maxLength: 4200 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(undefined),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 140 }), value, { maxKeys: 70 }),
        fc.boolean(),
        fc.option(fc.string(), { nil: undefined }),
        fc.boolean(),
        (attributes, withParent, statusMessage, withEvent) => {
          configureTracing({ exporter: 'none', sampleRate: 1 }, {});
          const parent = withParent ? startSpan('parent') : null;
          const span = startSpan('work "quoted"', { parent, attributes: attributes as never });
          if (statusMessage !== undefined) span.setStatus('error', statusMessage);
          if (withEvent) span.addEvent('retry', { attempt: 2 });
          span.end();
          expect(JSON.parse(span.toJson())).toEqual(JSON.parse(JSON.stringify(span.toWire())));
        },
      ),
      { numRuns: 300 },
    );
  });
});
