import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isProbeBatchEvent, LambdaDispatcher } from '../../../functions/adapters/lambda-dispatcher.js';
import type {
  HourRollup,
  ProbeHistory,
  ProbeResponse,
  ProbeResult,
  TargetRollup,
  TargetState,
  TargetStore,
  TransitionEvent,
} from '../../../functions/core/probing/model.js';
import { type ProbeRunDeps, runBatch, runScheduled } from '../../../functions/core/probing/run-probes.js';
import { TargetEntrySchema, type TargetRecord } from '../../../functions/core/probing/target-schema.js';

const NOW = Date.UTC(2026, 0, 1, 10);

function memory(targets: TargetRecord[]) {
  const states = new Map<string, TargetState>();
  const results: ProbeResult[] = [];
  const events: TransitionEvent[] = [];
  const rollups: TargetRollup[] = [];
  const store: TargetStore = {
    listTargets: async () => targets,
    getTarget: async (id) => targets.find((t) => t.id === id),
    putTarget: async () => undefined,
    deleteTarget: async () => undefined,
    listStates: async () => [...states.values()],
    getState: async (id) => states.get(id),
    putStates: async (s) => {
      for (const x of s) states.set(x.id, x);
    },
  };
  const history: ProbeHistory = {
    recordResults: async (r) => void results.push(...r),
    recordRollups: async (r) => void rollups.push(...r),
    recordEvents: async (e) => void events.push(...e),
    results: async () => ({ items: [] }),
    rollups: async (): Promise<HourRollup[]> => [],
    targetEvents: async () => [],
    events: async () => [],
  };
  return { store, history, states, results, events, rollups };
}

const target = (id: string, extra: Record<string, unknown> = {}): TargetRecord => {
  const { id: _i, ...spec } = v.parse(TargetEntrySchema, { id, service: 's', url: `http://x/${id}`, ...extra });
  return { ...spec, id, managedBy: 'api', createdAt: NOW, updatedAt: NOW };
};

function deps(
  mem: ReturnType<typeof memory>,
  answers: Record<string, ProbeResponse>,
  extra: Partial<ProbeRunDeps> = {},
) {
  const dispatched: { batches: (readonly string[])[]; runAt: number }[] = [];
  const d: ProbeRunDeps = {
    targets: mem.store,
    history: mem.history,
    prober: {
      probe: async (req) =>
        answers[req.url] ?? {
          kind: 'response',
          status: 200,
          contentType: undefined,
          body: '',
          bodyTruncated: false,
          latencyMs: 5,
        },
    },
    dispatcher: { dispatch: async (batches, runAt) => void dispatched.push({ batches: [...batches], runAt }) },
    now: () => NOW,
    concurrency: 4,
    batchSize: 500,
    ...extra,
  };
  return { d, dispatched };
}

describe('prober run', () => {
  it('keeps one batch and hands the rest to other invocations with the run start', async () => {
    const mem = memory(['a', 'b', 'c', 'd', 'e'].map((id) => target(id)));
    const { d, dispatched } = deps(mem, {}, { batchSize: 2 });
    const summary = await runScheduled(d);
    expect(summary).toMatchObject({ due: 5, probed: 2, dispatchedBatches: 2 });
    expect(dispatched).toEqual([{ batches: [['c', 'd'], ['e']], runAt: NOW }]);
    expect(mem.results.map((r) => r.targetId).sort()).toEqual(['a', 'b']);

    const worker = await runBatch(d, ['c', 'd', 'gone'], NOW);
    expect(worker).toMatchObject({ probed: 2, due: 3 });
    expect([...mem.states.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('records a down dependency as the probable cause, from the same run', async () => {
    const mem = memory([target('db'), target('api', { dependsOn: ['db'] })]);
    const { d } = deps(mem, {
      'http://x/db': { kind: 'error', reason: 'connection refused by x:80', latencyMs: 1 },
      'http://x/api': {
        kind: 'response',
        status: 502,
        contentType: undefined,
        body: '',
        bodyTruncated: false,
        latencyMs: 3,
      },
    });
    const summary = await runScheduled(d);
    expect(summary.failures).toBe(2);
    const api = mem.events.find((e) => e.targetId === 'api');
    expect(api).toMatchObject({
      from: 'unknown',
      to: 'down',
      reason: 'status 502',
      probableCause: { targetId: 'db', status: 'down', reason: 'connection refused by x:80' },
    });
    expect(mem.events.find((e) => e.targetId === 'db')?.probableCause).toBeUndefined();
  });

  it('a prober that throws fails the target, not the run; a store that throws fails the run', async () => {
    const mem = memory([target('a')]);
    const { d } = deps(mem, {}, { prober: { probe: async () => Promise.reject(new Error('kaput')) } });
    await runScheduled(d);
    expect(mem.states.get('a')).toMatchObject({ status: 'down', reason: 'probe failed: kaput' });

    const broken = memory([target('b')]);
    broken.history.recordResults = async () => Promise.reject(new Error('throttled'));
    await expect(runScheduled(deps(broken, {}).d)).rejects.toThrow('storing the run failed: throttled');
    // The state is still written, so the next run does not probe twice as often.
    expect(broken.states.get('b')?.lastRunAt).toBe(NOW);
  });

  it('skips targets that are not due', async () => {
    const mem = memory([target('a', { intervalSeconds: 300 })]);
    const { d } = deps(mem, {});
    await runScheduled(d);
    expect(await runScheduled({ ...d, now: () => NOW + 60_000 })).toMatchObject({ due: 0, probed: 0 });
    expect(await runScheduled({ ...d, now: () => NOW + 300_000 })).toMatchObject({ due: 1, probed: 1 });
  });
});

describe('Lambda fan-out', () => {
  it('invokes itself asynchronously, one batch per invocation', async () => {
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaDispatcher(new LambdaClient({ region: 'eu-west-1' }), 'vigil-probe').dispatch(
      [['a', 'b'], ['c']],
      NOW,
    );
    const calls = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ FunctionName: 'vigil-probe', InvocationType: 'Event' });
    const payload = JSON.parse(Buffer.from(calls[0]!.Payload as Uint8Array).toString('utf8'));
    expect(payload).toEqual({ vigilProbeBatch: { ids: ['a', 'b'], runAt: NOW } });
    expect(isProbeBatchEvent(payload)).toBe(true);
    expect(isProbeBatchEvent({ 'detail-type': 'Scheduled Event' })).toBe(false);
    lambda.restore();
  });
});

describe('invocation deadline', () => {
  it('does not start a probe that could not finish in time; the target stays due and goes first next run', async () => {
    let clock = NOW;
    const mem = memory([target('slow', { timeoutMs: 20_000 }), target('quick', { timeoutMs: 1_000 })]);
    const { d } = deps(mem, {}, { now: () => clock, deadline: NOW + 10_000 });
    expect(await runScheduled(d)).toMatchObject({ due: 2, probed: 1, skipped: 1 });
    expect([...mem.states.keys()]).toEqual(['quick']);
    clock = NOW + 1_000;
    const next = await runScheduled({ ...d, deadline: undefined });
    expect(next).toMatchObject({ due: 1, probed: 1, skipped: 0 });
    expect(mem.states.get('slow')?.status).toBe('up');
  });
});
