import { randomBytes } from 'node:crypto';

/**
 * One batch of `/v1/ingest` per simulated service for one moment: request counters by status class, a latency
 * histogram, log lines, a trace per few requests that crosses services (so the dependency map has edges), and
 * now and then an error event. Deterministic from the `random` it is given.
 */
export interface DemoService {
  readonly name: string;
  readonly version: string;
  readonly rps: number;
  readonly baseMs: number;
  readonly errorShare: number;
  readonly calls?: readonly string[];
}

export const DEMO_SERVICES: readonly DemoService[] = [
  { name: 'checkout', version: '1.4.2', rps: 12, baseMs: 80, errorShare: 0.01, calls: ['payments', 'inventory'] },
  { name: 'payments', version: '2.0.1', rps: 6, baseMs: 140, errorShare: 0.06, calls: ['stripe-api'] },
  { name: 'inventory', version: '0.9.0', rps: 9, baseMs: 25, errorShare: 0.002 },
  { name: 'search', version: '3.1.0', rps: 20, baseMs: 45, errorShare: 0.004 },
];

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ROUTES = ['/cart', '/checkout', '/items/:id', '/health'];

export function batchFor(svc: DemoService, at: number, seconds: number, random: () => number) {
  // A slow wave over the hour and a busier payments tail make the charts worth looking at.
  const wave = 1 + 0.35 * Math.sin(at / 600_000) + 0.15 * Math.sin(at / 97_000);
  const total = Math.max(1, Math.round(svc.rps * seconds * wave * (0.85 + 0.3 * random())));
  const errors = Math.round(total * svc.errorShare * (0.5 + random()));
  const values = Array.from({ length: Math.min(total, 200) }, () => {
    const tail = random() < 0.05 ? 4 + 6 * random() : 1;
    return Math.round(svc.baseMs * wave * (0.6 + 0.8 * random()) * tail * 10) / 10;
  });
  const traceId = hex(16);
  const rootId = hex(8);
  const duration = values[0] ?? svc.baseMs;
  const spans = [
    {
      traceId,
      spanId: rootId,
      name: `GET ${ROUTES[Math.floor(random() * 3)]}`,
      kind: 'server',
      startTime: at,
      endTime: at + duration,
      status: errors > 0 && random() < 0.3 ? 'error' : 'ok',
      attributes: { 'http.route': '/cart' },
    },
    ...(svc.calls ?? []).map((peer, i) => {
      const start = at + 3 + i * duration * 0.3;
      return {
        traceId,
        spanId: hex(8),
        parentSpanId: rootId,
        name: `call ${peer}`,
        kind: 'client',
        startTime: start,
        endTime: start + duration * 0.25,
        status: 'ok',
        attributes: { 'peer.service': peer },
      };
    }),
  ];
  const logs = [
    { timestamp: at, level: 'info', message: `handled ${total} requests`, traceId, spanId: rootId },
    ...(errors > 0
      ? [
          {
            timestamp: at + 1,
            level: 'error',
            message: svc.name === 'payments' ? 'payment declined: card issuer timeout' : 'upstream call failed',
            traceId,
            spanId: rootId,
            attributes: { errors },
          },
        ]
      : []),
    ...(random() < 0.2
      ? [
          {
            timestamp: at + 2,
            level: 'warn',
            message: 'slow query on orders table',
            attributes: { ms: Math.round(duration * 3) },
          },
        ]
      : []),
  ];
  return {
    service: svc.name,
    environment: 'production',
    version: svc.version,
    metrics: [
      {
        name: 'http.server.requests',
        type: 'counter',
        value: total - errors,
        tags: { status_class: '2xx' },
        timestamp: at,
      },
      ...(errors > 0
        ? [
            {
              name: 'http.server.requests',
              type: 'counter',
              value: errors,
              tags: { status_class: '5xx' },
              timestamp: at,
            },
          ]
        : []),
      { name: 'http.server.duration', type: 'histogram', unit: 'ms', values, timestamp: at },
      { name: 'queue.depth', type: 'gauge', value: Math.round(20 + 15 * wave * random()), timestamp: at },
    ],
    logs,
    spans,
    errors:
      errors > 0 && random() < 0.5
        ? [
            {
              type: svc.name === 'payments' ? 'TimeoutError' : 'TypeError',
              message:
                svc.name === 'payments'
                  ? 'issuer did not answer within 2000 ms'
                  : "cannot read properties of undefined (reading 'sku')",
              stack: `Error\n    at handle (src/${svc.name}.ts:42:7)\n    at route (src/router.ts:12:3)`,
              timestamp: at,
            },
          ]
        : [],
  };
}
