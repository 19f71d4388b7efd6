import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import type { ProbeResponse } from '../../../functions/core/probing/model.js';
import { parse } from '../../../functions/core/validate.js';
import type { ObserveDeps } from '../../../functions/core/verification/observe.js';
import type {
  Histogram,
  SeriesFilter,
  StepMessage,
  VerificationStore,
} from '../../../functions/core/verification/ports.js';
import { newVerification, type VerificationRecord } from '../../../functions/core/verification/record.js';
import { verificationRequestSchema } from '../../../functions/core/verification/request-schema.js';
import {
  abortRunning,
  type FlowDeps,
  RetryLaterError,
  runStep,
  startVerification,
} from '../../../functions/core/verification/run-step.js';
import { abortVerification, dueChecks, settleDeliveries, step } from '../../../functions/core/verification/step.js';

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const S = 1_000;
const opts = { minIntervalMs: 1_000 };
const schema = verificationRequestSchema(1);
const req = (body: Record<string, unknown>) =>
  parse(schema, { service: 'checkout', environment: 'staging', version: '1.4.2', ...body });

const ok: ProbeResponse = {
  kind: 'response',
  status: 200,
  contentType: 'application/health+json',
  body: '{"status":"pass"}',
  bodyTruncated: false,
  latencyMs: 12,
};
const down: ProbeResponse = {
  kind: 'response',
  status: 503,
  contentType: 'text/plain',
  body: 'no',
  bodyTruncated: false,
  latencyMs: 3,
};

/** n values spread evenly around `median` (deterministic), as a weighted histogram. */
function hist(n: number, median: number, errors = 0): Histogram {
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(Math.round(median * (0.8 + (0.4 * i) / Math.max(1, n - 1))));
  values.sort((a, b) => a - b);
  return { count: n, errors, values, weights: values.map(() => 1), describe: 'request latency in ms' };
}

describe('request validation', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['service missing', { service: undefined, checks: { newErrors: {} } }, 'service'],
    ['no checks', { checks: {} }, 'checks'],
    [
      'unknown check field',
      { deployUrl: 'http://x.test', checks: { health: { consecutivePass: 3 } } },
      'checks.health.consecutivePass',
    ],
    ['health without deployUrl', { checks: { health: {} } }, 'deployUrl'],
    [
      'maxDurationSeconds over an hour',
      { checks: { canary: { baselineVersion: '1', metrics: [{ name: 'x' }], maxDurationSeconds: 3601 } } },
      'checks.canary.maxDurationSeconds',
    ],
    [
      'duration shorter than interval',
      {
        checks: {
          canary: { baselineVersion: '1', metrics: [{ name: 'x' }], intervalSeconds: 60, durationSeconds: 30 },
        },
      },
      'checks.canary.durationSeconds',
    ],
    [
      'window out of range',
      { checks: { metrics: { required: ['a'], withinSeconds: 5 } } },
      'checks.metrics.withinSeconds',
    ],
    ['metadata deploy URL', { deployUrl: 'http://169.254.169.254/', checks: { health: {} } }, 'deployUrl'],
    ['bad verdict', { checks: { newErrors: {} }, rollback: { onVerdict: ['bad'] } }, 'rollback.onVerdict[0]'],
  ];
  it.each(cases)('%s → names %s', (_name, body, path) => {
    try {
      req(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations.map((x) => x.path)).toContain(path);
    }
  });

  it('fills the defaults of the issue example', () => {
    const r = req({
      deployUrl: 'https://checkout.staging.internal',
      checks: { health: {}, canary: { baselineVersion: '1.4.1', metrics: [{ name: 'http.server.duration' }] } },
    });
    expect(r.checks.health).toEqual({
      path: '/health',
      consecutivePasses: 3,
      timeoutSeconds: 120,
      intervalSeconds: 5,
      requestTimeoutMs: 5000,
    });
    expect(r.checks.canary).toMatchObject({
      intervalSeconds: 60,
      durationSeconds: 600,
      maxDurationSeconds: 600,
      passScore: 95,
      marginalScore: 75,
    });
    expect(r.checks.canary?.metrics[0]).toMatchObject({ kind: 'continuous', direction: 'increase', critical: false });
    expect(r.rollback).toEqual({ onVerdict: ['fail'] });
  });

  it('refuses intervals below the deployment minimum', () => {
    const strict = verificationRequestSchema(30);
    const r = v.safeParse(strict, {
      service: 's',
      version: '2',
      checks: { canary: { baselineVersion: '1', metrics: [{ name: 'x' }], intervalSeconds: 10 } },
    });
    expect(r.success).toBe(false);
  });
});

describe('health check', () => {
  const record = () =>
    newVerification(
      'v1',
      req({
        deployUrl: 'http://svc.test',
        checks: { health: { consecutivePasses: 2, timeoutSeconds: 20, intervalSeconds: 5 } },
      }),
      T0,
    );

  it('passes after N passes in a row and finishes with a verdict and a delivery', () => {
    let r = record();
    expect(dueChecks(r, T0)).toEqual(['health']);
    const s1 = step(r, { health: ok }, T0, opts);
    expect(s1.record.checks.health).toMatchObject({
      status: 'running',
      nextAt: T0 + 5 * S,
      evidence: { consecutive: 1 },
    });
    expect(s1.record.nextStepAt).toBe(T0 + 5 * S);
    expect(s1.record.step).toBe(1);
    r = s1.record;
    const s2 = step(r, { health: ok }, T0 + 5 * S, opts);
    expect(s2.record.status).toBe('done');
    expect(s2.record.verdict).toMatchObject({
      verdict: 'pass',
      score: 100,
      rollback: false,
      rollbackReason: { code: 'no-rollback' },
    });
    expect(s2.actions).toEqual([{ kind: 'publish' }]);
  });

  it('a failure resets the run; the budget running out fails with the last answer', () => {
    let r = record();
    for (const [at, res] of [
      [0, ok],
      [5, down],
      [10, ok],
      [15, down],
      [20, ok],
    ] as const) {
      r = step(r, { health: res }, T0 + at * S, opts).record;
    }
    expect(r.status).toBe('done');
    expect(r.verdict?.verdict).toBe('fail');
    expect(r.verdict?.rollback).toBe(true);
    expect(r.checks.health?.reasons[0]).toMatchObject({ code: 'health-timeout' });
    expect(r.checks.health?.reasons[0]?.message).toBe(
      'http://svc.test/health did not pass 2 times in a row within 20 s (best run 1, 3 of 5 probes passed)',
    );
  });

  it('health+json "fail" fails a 200 answer, as the prober judges it', () => {
    const fail: ProbeResponse = { ...ok, body: '{"status":"fail","output":"db down"}' };
    const r = step(record(), { health: fail }, T0, opts).record;
    expect(r.checks.health?.evidence).toMatchObject({
      consecutive: 0,
      last: { level: 'fail', reason: 'health status "fail": db down' },
    });
  });
});

describe('metrics, performance, new errors', () => {
  it('metrics fail naming the missing metric when the window closes', () => {
    let r = newVerification('m', req({ checks: { metrics: { required: ['a', 'b'], withinSeconds: 10 } } }), T0);
    r = step(r, { metrics: { a: true, b: false } }, T0, opts).record;
    expect(r.checks.metrics?.status).toBe('running');
    r = step(r, { metrics: { a: false, b: false } }, T0 + 10 * S, opts).record;
    expect(r.checks.metrics?.reasons[0]?.message).toBe('no data from version 1.4.2 within 10 s for b');
    expect(r.verdict?.verdict).toBe('fail');
  });

  it('performance fails on a p95 regression against the window before the deploy, with the interval', () => {
    const r0 = newVerification(
      'p',
      req({ checks: { performance: { metric: 'http.server.duration', maxRegressionPct: 10, windowSeconds: 60 } } }),
      T0,
    );
    expect(dueChecks(r0, T0)).toEqual([]);
    const r = step(
      r0,
      { performance: { current: hist(400, 300), before: hist(400, 210), errorsKnown: true } },
      T0 + 60 * S,
      opts,
    ).record;
    expect(r.checks.performance?.status).toBe('fail');
    expect(r.checks.performance?.reasons[0]?.code).toBe('p95-regression');
    expect(r.checks.performance?.reasons[0]?.message).toMatch(
      /^http\.server\.duration p95 rose from 2\d\d ms to 3\d\d ms \(\+4\d%, 95% CI \+\d+%…\+\d+%\), beyond the allowed 10%$/,
    );
  });

  it('performance with too few samples is inconclusive, with how many it had', () => {
    const r0 = newVerification('p', req({ checks: { performance: { maxP95Ms: 800, windowSeconds: 60 } } }), T0);
    const r = step(
      r0,
      { performance: { current: hist(5, 100), before: hist(0, 1), errorsKnown: true } },
      T0 + 60 * S,
      opts,
    ).record;
    expect(r.verdict?.verdict).toBe('inconclusive');
    expect(r.checks.performance?.evidence).toMatchObject({ needed: { have: 5, need: 20, unit: 'samples' } });
  });

  it('error rate over the limit fails', () => {
    const r0 = newVerification('p', req({ checks: { performance: { maxErrorRate: 0.01, windowSeconds: 60 } } }), T0);
    const r = step(
      r0,
      { performance: { current: hist(100, 100, 5), before: hist(100, 100), errorsKnown: true } },
      T0 + 60 * S,
      opts,
    ).record;
    expect(r.checks.performance?.reasons[0]?.message).toBe(
      'error rate of version 1.4.2 is 5% (5 of 100), above the limit of 1%',
    );
  });

  it('newErrors: only fingerprints of this version, first seen after the deploy and never in the baseline', () => {
    const r0 = newVerification('e', req({ checks: { newErrors: { critical: true, windowSeconds: 30 } } }), T0);
    const g = (fingerprint: string, versions: string[], firstSeen: number) => ({
      fingerprint,
      type: 'TypeError',
      message: `boom ${fingerprint}`,
      count: 3,
      firstSeen,
      lastSeen: firstSeen,
      versions,
    });
    const groups = [
      g('new', ['1.4.2'], T0 + 5 * S),
      g('old', ['1.4.2'], T0 - 5 * S),
      g('other', ['1.4.0'], T0 + 5 * S),
    ];
    expect(dueChecks(r0, T0 + 29 * S)).toEqual([]);
    const r = step(r0, { newErrors: groups }, T0 + 30 * S, opts).record;
    expect(r.checks.newErrors?.status).toBe('fail');
    expect(
      (r.checks.newErrors?.evidence as { newErrors: { fingerprint: string }[] } | undefined)?.newErrors.map(
        (e) => e.fingerprint,
      ),
    ).toEqual(['new']);
  });

  it('an unknown SLO is inconclusive with its reason', () => {
    const r0 = newVerification(
      'b',
      req({ checks: { errorBudget: { slo: 'checkout-availability', windowSeconds: 10 } } }),
      T0,
    );
    const r = step(
      r0,
      { errorBudget: { unknown: true, reason: 'no burn_rate rule named checkout-availability' } },
      T0 + 10 * S,
      opts,
    ).record;
    expect(r.verdict?.verdict).toBe('inconclusive');
    expect(r.checks.errorBudget?.reasons[0]).toEqual({
      code: 'slo-unknown',
      message:
        'error budget of "checkout-availability" could not be judged: no burn_rate rule named checkout-availability',
    });
  });

  it('a read that keeps failing ends the check inconclusive instead of hanging', () => {
    let r = newVerification('f', req({ checks: { metrics: { required: ['a'], withinSeconds: 600 } } }), T0);
    for (let i = 0; i < 3; i++) r = step(r, { failures: { metrics: 'CloudWatch is down' } }, T0 + i * S, opts).record;
    expect(r.checks.metrics).toMatchObject({ status: 'inconclusive', reasons: [{ code: 'data-unavailable' }] });
  });
});

describe('canary', () => {
  const canaryReq = (extra: Record<string, unknown> = {}) =>
    req({
      checks: {
        canary: {
          baselineVersion: '1.4.1',
          metrics: [{ name: 'lat', allowedIncreasePct: 10 }],
          intervalSeconds: 60,
          durationSeconds: 180,
          maxDurationSeconds: 300,
          ...extra,
        },
      },
    });
  const samples = (c: Histogram, b: Histogram) => [
    {
      spec: {
        name: 'lat',
        kind: 'continuous' as const,
        direction: 'increase' as const,
        allowedIncreasePct: 10,
        critical: false,
      },
      samples: {
        kind: 'continuous' as const,
        canary: c.values,
        canaryWeights: c.weights,
        baseline: b.values,
        baselineWeights: b.weights,
        describe: 'ms',
      },
    },
  ];

  it('judges at each interval and passes at the planned duration', () => {
    let r = newVerification('c', canaryReq(), T0);
    expect(dueChecks(r, T0 + 59 * S)).toEqual([]);
    for (const k of [1, 2, 3])
      r = step(r, { canary: samples(hist(200, 100), hist(200, 100)) }, T0 + k * 60 * S, opts).record;
    expect(r.verdict).toMatchObject({ verdict: 'pass', score: 100 });
    expect((r.checks.canary?.evidence as { looks: unknown[] } | undefined)?.looks).toHaveLength(3);
  });

  it('a clear regression stops it early with the interval in the reason', () => {
    let r = newVerification('c', canaryReq({ durationSeconds: 120 }), T0);
    r = step(r, { canary: samples(hist(2_000, 300), hist(2_000, 200)) }, T0 + 60 * S, opts).record;
    expect(r.verdict?.verdict).toBe('fail');
    const messages = r.verdict?.reasons.map((x) => x.message).join('\n');
    expect(messages).toMatch(/95% CI \+\d+%…\+\d+%/);
    expect(r.checks.canary?.reasons.map((x) => x.code)).toContain('canary-stopped-early');
  });

  it('too little data extends up to maxDurationSeconds, then is inconclusive with have/need', () => {
    let r = newVerification('c', canaryReq(), T0);
    for (const k of [1, 2, 3, 4]) {
      r = step(r, { canary: samples(hist(3, 100), hist(3, 100)) }, T0 + k * 60 * S, opts).record;
      expect(r.status).toBe('running');
    }
    expect(r.checks.canary?.reasons.map((x) => x.code)).toContain('canary-extended');
    r = step(r, { canary: samples(hist(3, 100), hist(3, 100)) }, T0 + 300 * S, opts).record;
    expect(r.verdict?.verdict).toBe('inconclusive');
    expect(r.checks.canary?.reasons.at(-1)?.message).toContain('lat had 3 samples per side, needs 20');
  });
});

describe('abort and deliveries', () => {
  it('abort ends a running verification fail at once with a rollback decision and the webhook pending', () => {
    const r0 = newVerification(
      'a',
      req({ checks: { metrics: { required: ['a'] } }, rollback: { webhook: 'https://ci.test/hook' } }),
      T0,
    );
    const { record } = abortVerification(r0, 'alice', 'p99 alarm in the dashboard', T0 + 7 * S);
    expect(record.status).toBe('done');
    expect(record.verdict).toMatchObject({ verdict: 'fail', rollback: true });
    expect(record.verdict?.reasons[0]).toEqual({
      code: 'aborted',
      message: 'aborted by alice: p99 alarm in the dashboard',
    });
    expect(record.checks.metrics?.status).toBe('inconclusive');
    expect(record.deliveries.webhook).toMatchObject({ state: 'pending' });
    expect(record.step).toBe(1);
  });

  it('a failed webhook is retried with backoff, then shown failed', () => {
    const r0 = newVerification(
      'a',
      req({ checks: { metrics: { required: ['a'] } }, rollback: { webhook: 'https://ci.test/hook' } }),
      T0,
    );
    let r = abortVerification(r0, 'ci', 'x', T0).record;
    for (let i = 0; i < 5; i++) {
      r = settleDeliveries(r, [{ kind: 'webhook', ok: false, detail: 'status 500' }], T0 + i * S, opts);
    }
    expect(r.deliveries.webhook).toEqual({ state: 'failed', attempts: 5, lastError: 'status 500' });
    expect(r.nextStepAt).toBe(T0); // the deployments publish is still pending
  });
});

/** The runner against in-memory ports: duplicates dropped, crashes resumed, nothing lost. */
describe('runStep', () => {
  function harness() {
    const items = new Map<string, VerificationRecord>();
    const sent: { message: StepMessage; delay: number }[] = [];
    let failNextPut = false;
    let clock = T0;
    const store: VerificationStore = {
      get: async (id) => items.get(id),
      create: async (r) => {
        if (items.has(r.id)) return 'exists';
        items.set(r.id, r);
        return 'created';
      },
      put: async (r) => {
        if (failNextPut) {
          failNextPut = false;
          throw new Error('crash before the write');
        }
        const cur = items.get(r.id);
        if (!cur || cur.rev !== r.rev) return 'conflict';
        items.set(r.id, { ...r, rev: r.rev + 1 });
        return 'written';
      },
      list: async () => ({ items: [...items.values()] }),
      running: async () => [],
      createdBetween: async () => [],
    };
    const empty: Histogram = { count: 0, errors: 0, values: [], weights: [], describe: '' };
    const published: string[] = [];
    const deps: FlowDeps = {
      store,
      queue: { send: async (message, delay) => void sent.push({ message, delay }) },
      publisher: {
        publish: async (r) => {
          published.push(r.id);
          return { ok: true, detail: 'm-1' };
        },
      },
      webhook: { post: async () => ({ ok: true, detail: '200' }) },
      telemetry: {
        hasData: async (m: string, f: SeriesFilter) => m === 'a' && f.version === '1.4.2',
        histogram: async () => empty,
        total: async () => 0,
      },
      cloudwatch: { series: async () => ({ timestamps: [], values: [] }) },
      errors: { groups: async () => [] },
      slo: { burn: async () => ({ unknown: true as const, reason: 'none' }) },
      prober: { probe: async () => ok },
      alerts: undefined,
      now: () => clock,
      options: opts,
    } satisfies FlowDeps & ObserveDeps;
    return {
      items,
      sent,
      deps,
      published,
      crashNextPut: () => {
        failNextPut = true;
      },
      tick: (ms: number) => {
        clock += ms;
      },
    };
  }
  const body = req({ checks: { metrics: { required: ['a'], withinSeconds: 60 } } });

  it('start → step: the next message is sent before the write; a duplicate is dropped', async () => {
    const h = harness();
    await startVerification('v', body, h.deps);
    expect(h.sent).toEqual([{ message: { id: 'v', step: 0 }, delay: 0 }]);
    expect(await runStep({ id: 'v', step: 0 }, h.deps)).toBe('done');
    expect(h.items.get('v')).toMatchObject({
      status: 'done',
      step: 1,
      rev: 1,
      verdict: { verdict: 'pass' },
      deliveries: { deployments: { state: 'sent', detail: 'm-1' } },
    });
    expect(await runStep({ id: 'v', step: 0 }, h.deps)).toBe('duplicate');
    expect(h.published).toEqual(['v']);
  });

  it('a step that crashed before its write is resumed by the redelivered message', async () => {
    const h = harness();
    await startVerification('v', req({ checks: { metrics: { required: ['a', 'b'], withinSeconds: 60 } } }), h.deps);
    h.crashNextPut();
    await expect(runStep({ id: 'v', step: 0 }, h.deps)).rejects.toThrow('crash before the write');
    expect(h.items.get('v')?.step).toBe(0);
    expect(await runStep({ id: 'v', step: 0 }, h.deps)).toBe('done');
    expect(h.items.get('v')).toMatchObject({ step: 1, rev: 1 });
    // both attempts queued step 1; the second copy is dropped once step 1 has run
    h.tick(30 * S);
    expect(await runStep({ id: 'v', step: 1 }, h.deps)).toBe('done');
    expect(await runStep({ id: 'v', step: 1 }, h.deps)).toBe('duplicate');
  });

  it('a message ahead of the record, or for a record not yet written, is retried later', async () => {
    const h = harness();
    await expect(runStep({ id: 'nope', step: 0 }, h.deps)).rejects.toBeInstanceOf(RetryLaterError);
    await startVerification('v', body, h.deps);
    await expect(runStep({ id: 'v', step: 3 }, h.deps)).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('abort wins over a step in flight: the step loses its conditional write', async () => {
    const h = harness();
    await startVerification('v', req({ checks: { metrics: { required: ['a', 'b'], withinSeconds: 60 } } }), h.deps);
    const aborted = await abortRunning('v', 'bob', 'bad deploy', h.deps);
    expect(aborted.verdict?.verdict).toBe('fail');
    expect(await runStep({ id: 'v', step: 0 }, h.deps)).toBe('duplicate');
    expect(await runStep({ id: 'v', step: 1 }, h.deps)).toBe('done');
    expect(h.published).toEqual(['v']);
    await expect(abortRunning('v', 'bob', 'again', h.deps)).rejects.toThrow(/already ended with the verdict fail/);
  });
});

describe('runStep recovery', () => {
  it('a late duplicate queues the overdue step again; an on-time duplicate does not', async () => {
    const items = new Map<string, VerificationRecord>();
    const sent: StepMessage[] = [];
    let clock = T0;
    const r = newVerification('v', req({ checks: { metrics: { required: ['a'] } } }), T0);
    items.set('v', { ...r, step: 3, nextStepAt: T0 + 10 * S });
    const deps = {
      store: { get: async (id: string) => items.get(id) },
      queue: { send: async (m: StepMessage) => void sent.push(m) },
      now: () => clock,
    } as unknown as FlowDeps;
    expect(await runStep({ id: 'v', step: 2 }, deps)).toBe('duplicate');
    expect(sent).toEqual([]);
    clock = T0 + 10 * S + 61 * S;
    expect(await runStep({ id: 'v', step: 2 }, deps)).toBe('resumed');
    expect(sent).toEqual([{ id: 'v', step: 3 }]);
  });
});
