import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { prometheusLabelName, prometheusName, renderPrometheus } from '../src/metrics/backends/prometheus.js';
import { configureMetrics } from '../src/metrics/configure.js';
import { counter, gauge, histogram } from '../src/metrics/create.js';
import { registry } from '../src/metrics/registry.js';
import { parsePrometheus } from './helpers/prometheus-parser.js';

beforeEach(() => {
  registry.clear();
  configureMetrics({ backend: 'prometheus', prefix: 'shop', defaultTags: { env: 'prod' } }, {});
});

describe('Prometheus exposition', () => {
  it('renders counters, gauges and histograms that parse and hold the right values', () => {
    const c = counter('orders.created', { description: 'Orders placed' });
    c.labels({ channel: 'web' }).inc(3);
    c.labels({ channel: 'app' }).inc();
    gauge('queue.depth').set(17);
    const h = histogram('http.server.duration', { unit: 'ms', noPrefix: true, buckets: [10, 100] });
    for (const v of [5, 50, 500, 7]) h.observe(v, { route: '/cart/:id' });
    const families = parsePrometheus(renderPrometheus());

    const orders = families.get('shop_orders_created_total')!;
    expect(orders.type).toBe('counter');
    expect(orders.help).toBe('Orders placed');
    expect(orders.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ env: 'prod', channel: 'web' }, 3],
      [{ env: 'prod', channel: 'app' }, 1],
    ]);
    expect(families.get('shop_queue_depth')!.samples[0]!.value).toBe(17);

    // Recorded in milliseconds, exposed in seconds (Prometheus' base unit).
    expect(families.has('http_server_duration_milliseconds')).toBe(false);
    const dur = families.get('http_server_duration_seconds')!;
    expect(dur.type).toBe('histogram');
    const buckets = dur.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => [s.labels.le, s.value]);
    expect(buckets).toEqual([
      ['0.01', 2],
      ['0.1', 3],
      ['+Inf', 4],
    ]);
    expect(dur.samples.find((s) => s.name.endsWith('_sum'))!.value).toBe(0.562);
    expect(dur.samples.find((s) => s.name.endsWith('_count'))!.value).toBe(4);
    expect(dur.samples[0]!.labels.route).toBe('/cart/:id');
  });

  it('counters are cumulative across scrapes', () => {
    const c = counter('hits');
    c.inc();
    renderPrometheus();
    c.inc();
    expect(parsePrometheus(renderPrometheus()).get('shop_hits_total')!.samples[0]!.value).toBe(2);
  });

  it('escapes label values and help text', () => {
    counter('esc', { description: 'line1\nline2 \\ back' }).inc(1, { path: 'a"b\\c\nd' });
    const text = renderPrometheus();
    const f = parsePrometheus(text).get('shop_esc_total')!;
    expect(f.help).toBe('line1\\nline2 \\\\ back');
    expect(f.samples[0]!.labels.path).toBe('a"b\\c\nd');
  });

  it('any metric name and tag set produces valid exposition', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string()),
        fc.constantFrom('counter', 'gauge', 'histogram'),
        (name, tags, kind) => {
          registry.clear();
          if (kind === 'counter') counter(name).inc(1, tags);
          else if (kind === 'gauge') gauge(name).set(1.5, tags);
          else histogram(name).observe(0.2, tags);
          const text = renderPrometheus();
          expect(() => parsePrometheus(text)).not.toThrow();
          expect(text).toMatch(/^# HELP /);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a histogram tag named le is kept as exported_le, never a second le label', () => {
    histogram('sizes', { buckets: [1] }).observe(0.5, { le: 'user' });
    const samples = parsePrometheus(renderPrometheus()).get('shop_sizes')!.samples;
    const bucket = samples.find((s) => s.name.endsWith('_bucket'))!;
    expect(bucket.labels).toEqual({ env: 'prod', exported_le: 'user', le: '1' });
    expect(samples.find((s) => s.name.endsWith('_count'))!.labels).toEqual({ env: 'prod', exported_le: 'user' });
  });

  it('writes no HELP or TYPE for a metric without samples, and never an empty HELP', () => {
    counter('never.incremented', { description: 'unused' });
    histogram('never.observed', { unit: 'ms' });
    gauge('never.set');
    counter('undescribed', { description: '  ' }).inc();
    const text = renderPrometheus();
    expect(text).not.toContain('never');
    expect(text).toContain('# HELP shop_undescribed_total ');
    expect(text).not.toMatch(/^# HELP \S+ ?$/m);
  });

  it('maps names and label names to the Prometheus grammar', () => {
    expect(prometheusName('a.b-c', 'counter')).toBe('a_b_c_total');
    expect(prometheusName('requests_total', 'counter')).toBe('requests_total');
    expect(prometheusName('9lives', 'gauge', 'bytes')).toBe('_9lives_bytes');
    expect(prometheusName('latency_seconds', 'histogram', 's')).toBe('latency_seconds');
    expect(prometheusName('checkout.duration', 'histogram', 'ms')).toBe('checkout_duration_seconds');
    expect(prometheusName('latency_ms', 'histogram', 'ms')).toBe('latency_seconds');
    expect(prometheusLabelName('__name')).toBe('x__name');
    expect(prometheusLabelName('http.route')).toBe('http_route');
  });
});
