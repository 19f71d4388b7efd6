import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import { chunk, dueTargets } from './due.js';
import { evaluate } from './evaluate.js';
import type {
  BatchDispatcher,
  ProbableCause,
  ProbeHistory,
  ProbeResponse,
  Prober,
  TargetState,
  TargetStore,
  TransitionEvent,
} from './model.js';
import { initialState, nextState } from './status-machine.js';
import type { TargetRecord } from './target-schema.js';

/**
 * One prober run. The scheduled run picks the due targets, keeps the first `batchSize` and hands the rest
 * to other invocations; each batch is probed concurrently (at most `concurrency` at once), each probe under
 * its own timeout, so a batch takes about as long as its slowest probe. Results are written as they
 * arrive; states and transition events once the batch is done, because a transition's probable cause
 * needs its dependencies' new statuses.
 */
export interface ProbeRunDeps {
  readonly targets: TargetStore;
  readonly history: ProbeHistory;
  readonly prober: Prober;
  readonly dispatcher: BatchDispatcher;
  readonly now: Clock;
  readonly concurrency: number;
  readonly batchSize: number;
}

export interface RunSummary {
  readonly due: number;
  readonly probed: number;
  readonly failures: number;
  readonly transitions: readonly TransitionEvent[];
  readonly dispatchedBatches: number;
  readonly storeErrors: number;
  readonly durationMs: number;
}

export class ProbeStoreError extends Error {
  override name = 'ProbeStoreError';
}

export async function runScheduled(deps: ProbeRunDeps): Promise<RunSummary> {
  const runAt = deps.now();
  const [targets, states] = await Promise.all([deps.targets.listTargets(), deps.targets.listStates()]);
  const stateMap = new Map(states.map((s) => [s.id, s]));
  const due = dueTargets(targets, stateMap, runAt);
  const [mine = [], ...rest] = chunk(due, deps.batchSize);
  const dispatching =
    rest.length > 0
      ? deps.dispatcher.dispatch(
          rest.map((b) => b.map((t) => t.id)),
          runAt,
        )
      : Promise.resolve();
  const summary = await probeBatch(deps, mine, stateMap, runAt);
  await dispatching;
  return { ...summary, due: due.length, dispatchedBatches: rest.length };
}

/** A batch handed over by a scheduled run: the ids it chose, probed as of that run's start. */
export async function runBatch(deps: ProbeRunDeps, ids: readonly string[], runAt: number): Promise<RunSummary> {
  const [targets, states] = await Promise.all([deps.targets.listTargets(), deps.targets.listStates()]);
  const wanted = new Set(ids);
  // A target deleted since the batch was cut is simply skipped.
  const batch = targets.filter((t) => wanted.has(t.id));
  const summary = await probeBatch(deps, batch, new Map(states.map((s) => [s.id, s])), runAt);
  return { ...summary, due: ids.length, dispatchedBatches: 0 };
}

async function safeProbe(prober: Prober, target: TargetRecord): Promise<ProbeResponse> {
  try {
    return await prober.probe({
      url: target.url,
      method: target.method,
      headers: target.headers,
      timeoutMs: target.timeoutMs,
      insecure: target.insecure,
    });
  } catch (error) {
    // The port promises not to throw; if it does anyway, the target fails and the run goes on.
    return { kind: 'error', reason: `probe failed: ${(error as Error).message}`, latencyMs: 0 };
  }
}

async function probeBatch(
  deps: ProbeRunDeps,
  batch: readonly TargetRecord[],
  states: ReadonlyMap<string, TargetState>,
  runAt: number,
): Promise<Omit<RunSummary, 'due' | 'dispatchedBatches'>> {
  const started = deps.now();
  const limit = pLimit(deps.concurrency);
  let storeErrors = 0;
  let lastStoreError: unknown;
  const steps = await Promise.all(
    batch.map(async (target) => {
      const response = await limit(() => safeProbe(deps.prober, target));
      const now = deps.now();
      const outcome = evaluate(target, response, now);
      const step = nextState(states.get(target.id) ?? initialState(target.id, now), outcome, target, runAt, now);
      try {
        await deps.history.recordResult({
          targetId: target.id,
          at: now,
          level: outcome.level,
          status: step.state.status,
          reason: outcome.reason,
          latencyMs: outcome.latencyMs,
          ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
        });
      } catch (error) {
        storeErrors++;
        lastStoreError = error;
      }
      return { target, step };
    }),
  );

  const newStates = new Map(states);
  for (const { target, step } of steps) newStates.set(target.id, step.state);
  const transitions: TransitionEvent[] = [];
  for (const { target, step } of steps) {
    if (!step.transition) continue;
    const cause =
      step.transition.to === 'down' || step.transition.to === 'degraded' ? probableCause(target, newStates) : undefined;
    transitions.push({
      targetId: target.id,
      service: target.service,
      ...step.transition,
      ...(cause ? { probableCause: cause } : {}),
    });
  }
  await deps.targets.putStates(steps.map((s) => s.step.state));
  await deps.history.recordEvents(transitions);
  if (storeErrors > 0) {
    throw new ProbeStoreError(
      `${storeErrors} probe results could not be stored: ${(lastStoreError as Error)?.message}`,
    );
  }
  return {
    probed: steps.length,
    failures: steps.filter((s) => s.step.state.lastLevel === 'fail').length,
    transitions,
    storeErrors,
    durationMs: deps.now() - started,
  };
}

/** The first dependency that is down: what an operator should look at first. */
export function probableCause(
  target: TargetRecord,
  states: ReadonlyMap<string, TargetState>,
): ProbableCause | undefined {
  for (const dep of target.dependsOn) {
    const s = states.get(dep);
    if (s?.status === 'down') return { targetId: dep, status: s.status, reason: s.reason };
  }
  return undefined;
}
