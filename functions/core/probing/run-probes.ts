import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import { chunk, dueTargets } from './due.js';
import { evaluate } from './evaluate.js';
import type {
  BatchDispatcher,
  ProbableCause,
  ProbeHistory,
  ProbeResponse,
  ProbeResult,
  Prober,
  TargetRollup,
  TargetState,
  TargetStore,
  TransitionEvent,
} from './model.js';
import { resolveHeaders, SECRET_UNAVAILABLE } from './resolve-headers.js';
import { addToHour } from './rollup.js';
import type { SecretResolver } from './secret-ref.js';
import { initialState, nextState } from './status-machine.js';
import type { TargetRecord } from './target-schema.js';

/**
 * One prober run. The scheduled run picks the due targets, keeps the first `batchSize` and hands the rest
 * to other invocations; each batch is probed concurrently (at most `concurrency` at once), each probe under
 * its own timeout, so a batch takes about as long as its slowest probe. Everything the batch learnt
 * is stored once it is done, in batched puts: a transition's probable cause needs its dependencies' new statuses.
 */
export interface ProbeRunDeps {
  readonly targets: TargetStore;
  readonly history: ProbeHistory;
  readonly prober: Prober;
  readonly dispatcher: BatchDispatcher;
  readonly now: Clock;
  readonly concurrency: number;
  readonly batchSize: number;
  /** Reads the secrets that config-file targets reference in their headers. */
  readonly secrets?: SecretResolver;
  /**
   * Epoch ms by which probing must be over (the invocation's end less time to store). A probe that could
   * not finish by then is not started: the target stays due and goes first next run, instead of the whole
   * batch being lost to a Lambda timeout.
   */
  readonly deadline?: number;
}

export interface RunSummary {
  readonly due: number;
  readonly probed: number;
  readonly failures: number;
  readonly transitions: readonly TransitionEvent[];
  readonly dispatchedBatches: number;
  /** Due but not started before the deadline. */
  readonly skipped: number;
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

async function safeProbe(deps: ProbeRunDeps, target: TargetRecord): Promise<ProbeResponse> {
  const prober: Prober = deps.prober;
  try {
    const resolved = await resolveHeaders(target.headers, deps.secrets);
    if ('error' in resolved) return { kind: 'error', reason: resolved.error, code: SECRET_UNAVAILABLE, latencyMs: 0 };
    return await prober.probe({
      url: target.url,
      method: target.method,
      headers: resolved.headers,
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
  // Longest timeouts first: a run lasts about max(start + timeout), so a slow target queued behind
  // fast ones would stretch it.
  const ordered = [...batch].sort((a, b) => b.timeoutMs - a.timeoutMs);
  const deadline = deps.deadline ?? Number.POSITIVE_INFINITY;
  const attempts = await Promise.all(
    ordered.map(async (target) => {
      const response = await limit(() =>
        deps.now() + target.timeoutMs > deadline ? undefined : safeProbe(deps, target),
      );
      if (!response) return undefined;
      const now = deps.now();
      const outcome = evaluate(target, response, now);
      const prev = states.get(target.id) ?? initialState(target.id, now);
      const step = nextState(prev, outcome, target, runAt, now);
      const result: ProbeResult = {
        targetId: target.id,
        at: now,
        level: outcome.level,
        status: step.state.status,
        reason: outcome.reason,
        ...(outcome.reasonCode !== undefined ? { reasonCode: outcome.reasonCode } : {}),
        latencyMs: outcome.latencyMs,
        ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
      };
      const { hour, sealed } = addToHour(prev.hour, result);
      return { target, step, state: { ...step.state, hour }, result, sealed };
    }),
  );
  const probed = attempts.filter((a) => a !== undefined);

  const newStates = new Map(states);
  for (const p of probed) newStates.set(p.target.id, p.state);
  const transitions: TransitionEvent[] = [];
  for (const { target, step } of probed) {
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
  // Written once the batch is done, in batches: per-probe writes would compete with the probes still in
  // flight (and cost a request each).
  const sealed: TargetRollup[] = probed.flatMap((p) => (p.sealed ? [{ ...p.sealed, targetId: p.target.id }] : []));
  const writes = await Promise.allSettled([
    deps.history.recordResults(probed.map((p) => p.result)),
    deps.history.recordRollups(sealed),
    deps.targets.putStates(probed.map((p) => p.state)),
    deps.history.recordEvents(transitions),
  ]);
  const failed = writes.filter((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failed.length > 0) {
    throw new ProbeStoreError(`storing the run failed: ${failed.map((f) => (f.reason as Error).message).join('; ')}`);
  }
  return {
    probed: probed.length,
    skipped: attempts.length - probed.length,
    failures: probed.filter((p) => p.result.level === 'fail').length,
    transitions,
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
