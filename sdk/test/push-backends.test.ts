import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toEmfDocuments } from '../src/metrics/backends/emf.js';
import { packDatagrams, statsdBackend, toStatsdLines } from '../src/metrics/backends/statsd.js';
import type { MetricPoint } from '../src/metrics/collect.js';

const points: MetricPoint[] = [
  { name: 'http.server.requests', type: 'counter', tags: { route: '/cart', status_class: '2xx' }, value: 3 },
  { name: 'queue.depth', type: 'gauge', tags: {}, value: 17 },
  {
    name: 'http.server.duration',
    type: 'histogram',
    unit: 'ms',
    tags: { route: '/cart', status_class: '2xx' },
    values: [12.5, 40.1],
    count: 2,
    sum: 52.6,
  },
];

describe('statsd backend', () => {
  it('formats DogStatsD lines with tags', () => {
    expect(toStatsdLines(points)).toEqual([
      'http.server.requests:3|c|#route:/cart,status_class:2xx',
      'queue.depth:17|g',
      'http.server.duration:12.5|ms|#route:/cart,status_class:2xx',
      'http.server.duration:40.1|ms|#route:/cart,status_class:2xx',
    ]);
    expect(toStatsdLines([{ name: 'a|b', type: 'counter', tags: { 'k,1': 'v|#,x' }, value: 1 }])).toEqual([
      'a_b:1|c|#k_1:v___x',
    ]);
  });

  it('packs lines into datagrams under the size limit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `metric.${i}:1|c`);
    const grams = packDatagrams(lines, 200);
    expect(grams.every((g) => g.length <= 200)).toBe(true);
    expect(grams.join('\n').split('\n')).toEqual(lines);
  });

  it('sends over UDP', async () => {
    const server = createSocket('udp4');
    const received: string[] = [];
    server.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
    const backend = statsdBackend('127.0.0.1', (server.address() as AddressInfo).port);
    backend.push!(points);
    await backend.flush!();
    const until = Date.now() + 2000;
    while (received.join('\n').split('\n').length < 4 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
    expect(received.join('\n').split('\n')).toEqual(toStatsdLines(points));
    await backend.close!();
    server.close();
  });
});

describe('EMF backend', () => {
  it('produces one document per tag set with dimensions, units and value arrays', () => {
    const docs = toEmfDocuments(points, 'shop', 'checkout', 1764169200000) as any[];
    expect(docs).toHaveLength(2);
    const [cart, plain] = docs;
    expect(cart._aws).toEqual({
      Timestamp: 1764169200000,
      CloudWatchMetrics: [
        {
          Namespace: 'shop',
          Dimensions: [['service', 'route', 'status_class']],
          Metrics: [
            { Name: 'http.server.requests', Unit: 'Count' },
            { Name: 'http.server.duration', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expect(cart).toMatchObject({
      service: 'checkout',
      route: '/cart',
      status_class: '2xx',
      'http.server.requests': 3,
      'http.server.duration': [12.5, 40.1],
    });
    expect(plain).toMatchObject({ service: 'checkout', 'queue.depth': 17 });
    expect(plain._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  it('splits more than 100 values of a metric across documents', () => {
    const values = Array.from({ length: 250 }, (_, i) => i);
    const docs = toEmfDocuments(
      [{ name: 'h', type: 'histogram', tags: {}, values, count: 250, sum: 0 }],
      'ns',
      'svc',
      0,
    ) as any[];
    expect(docs.map((d) => d.h.length)).toEqual([100, 100, 50]);
  });
});
