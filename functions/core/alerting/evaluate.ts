import { reason } from '../reason.js';
import { alertIdOf } from './alert-id.js';
import type { AlertDataSource, CloudWatchQuery, CloudWatchResult } from './data-source.js';
import type { AlertRecord, AlertTransition, Labels } from './model.js';
import type { EvaluationResult, RuleEvaluator, RuleStatus } from './ports.js';
import type { Rule } from './rule-model.js';
import type { Sample } from './rules/rule-type.js';
import { ruleTypeOf } from './rules/rule-types.js';
import { type AlertIdentity, newAlert, type Observation, step } from './state-machine.js';
import { renderTemplate } from './template.js';

/** Port: the rules to evaluate (the rules table and vigil.config.json, merged by alert-api). */
export interface RuleSource {
  list(): Promise<Rule[]>;
}

export interface EvaluatorDeps {
  readonly rules: RuleSource;
  readonly data: AlertDataSource;
  /** Rules evaluated at once (each reads its data through the port). @default 16 */
  readonly concurrency?: number;
  /** Told about each rule that failed (the evaluator itself never throws for one rule). */
  readonly onRuleError?: (ruleId: string, error: unknown) => void;
}

const OPEN = new Set(['pending', 'firing', 'nodata']);
const DATA_ELSEWHERE: Observation = {
  kind: 'value',
  condition: false,
  value: undefined,
  description: 'the rule has data again, for other label sets',
};
const SERIES_GONE: Observation = {
  kind: 'value',
  condition: false,
  value: undefined,
  description: 'the label set is no longer reported',
};

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The alert's full labels: the rule's, the sample's, and `service`, `rule`, `severity`. */
export function alertLabels(rule: Rule, sample: Pick<Sample, 'labels' | 'severity'>): Labels {
  return {
    ...rule.labels,
    ...sample.labels,
    service: sample.labels.service ?? rule.service,
    rule: rule.id,
    severity: sample.severity ?? rule.severity,
  };
}

/** One rule's alerts after this evaluation, given its samples (pure). */
export function applySamples(rule: Rule, samples: readonly Sample[], previous: readonly AlertRecord[], now: number) {
  const changed: AlertRecord[] = [];
  const transitions: AlertTransition[] = [];
  const byId = new Map(previous.map((a) => [a.id, a]));
  const seen = new Set<string>();
  const policy = {
    forMs: rule.forMs,
    keepFiringForMs: rule.keepFiringForMs,
    noData: rule.noData,
    flapping: rule.flapping,
  };
  const run = (labels: Labels, observation: Observation, severity = rule.severity) => {
    const id = alertIdOf(rule.id, labels);
    seen.add(id);
    const prev = byId.get(id);
    const value = observation.kind === 'value' ? observation.value : undefined;
    const render = (t: string | undefined) => (t === undefined ? undefined : renderTemplate(t, { value, labels }));
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([k, t]) => [k, render(t as string)]),
    ) as AlertIdentity['annotations'];
    const identity: AlertIdentity = { id, ruleId: rule.id, labels, severity, annotations };
    const out = step(prev ?? newAlert(identity, now), observation, policy, identity, now);
    if (out.changed) changed.push(out.next);
    transitions.push(...out.transitions);
    return out.next;
  };

  const after: AlertRecord[] = [];
  if (samples.length > 0) {
    for (const s of samples) after.push(run(alertLabels(rule, s), s.observation, s.severity ?? rule.severity));
    for (const a of previous) {
      if (seen.has(a.id) || a.state === 'inactive' || a.state === 'resolved') continue;
      after.push(run(a.labels, a.state === 'nodata' ? DATA_ELSEWHERE : SERIES_GONE, a.severity));
    }
  } else {
    // The whole rule has no data: its open alerts (or, when none is open, one alert of the rule's own labels) take the noData policy.
    const open = previous.filter((a) => OPEN.has(a.state));
    const nodata: Observation = { kind: 'nodata', description: "the rule's query returned nothing" };
    if (open.length) for (const a of open) after.push(run(a.labels, nodata, a.severity));
    else after.push(run(alertLabels(rule, { labels: {} }), nodata));
  }
  return { changed, transitions, active: after.filter((a) => a.state === 'pending' || a.state === 'firing').length };
}

/** Open alerts of rules that no longer exist resolve (reason `rule-deleted`). */
function orphans(previous: readonly AlertRecord[], rules: readonly Rule[], now: number) {
  const ids = new Set(rules.map((r) => r.id));
  const changed: AlertRecord[] = [];
  const transitions: AlertTransition[] = [];
  for (const a of previous) {
    if (ids.has(a.ruleId) || !OPEN.has(a.state)) continue;
    const seq = a.seq + 1;
    transitions.push({
      alertId: a.id,
      ruleId: a.ruleId,
      seq,
      from: a.state,
      to: 'resolved',
      at: now,
      value: a.value,
      reason: reason('rule-deleted', `rule ${a.ruleId} was deleted`),
    });
    changed.push({
      ...a,
      seq,
      state: 'resolved',
      resolvedAt: now,
      activeAt: undefined,
      keepFiringSince: undefined,
      ack: undefined,
      lastEvalAt: now,
    });
  }
  return { changed, transitions };
}

export function createEvaluator(deps: EvaluatorDeps): RuleEvaluator {
  return {
    async evaluate(previous, now): Promise<EvaluationResult> {
      const rules = await deps.rules.list();
      const byRule = new Map<string, AlertRecord[]>();
      for (const a of previous) byRule.set(a.ruleId, [...(byRule.get(a.ruleId) ?? []), a]);

      // Every rule's CloudWatch reads go out together (the adapter batches them, up to 500 per call).
      const planned = rules.map((rule) => {
        try {
          return { queries: ruleTypeOf(rule).cloudWatchQueries(rule, now) };
        } catch (error) {
          return { queries: [] as CloudWatchQuery[], error: message(error) };
        }
      });
      const all = planned.flatMap((p) => p.queries);
      let results: CloudWatchResult[] = [];
      let batchError: string | undefined;
      if (all.length) {
        try {
          results = await deps.data.cloudWatch(all);
        } catch (error) {
          batchError = message(error);
        }
      }
      let offset = 0;
      const slices = planned.map((p) => {
        const slice = results.slice(offset, offset + p.queries.length);
        offset += p.queries.length;
        return slice;
      });

      const outcomes = await mapLimit(rules, deps.concurrency ?? 16, async (rule, i) => {
        const status = (health: RuleStatus['health'], active: number, error?: string): RuleStatus => ({
          ruleId: rule.id,
          evaluatedAt: now,
          health,
          active,
          ...(error ? { error } : {}),
        });
        const mine = byRule.get(rule.id) ?? [];
        const untouched = mine.filter((a) => a.state === 'pending' || a.state === 'firing').length;
        const cw = slices[i]!;
        const cwError = cw.find((r): r is Extract<CloudWatchResult, { ok: false }> => !r.ok)?.error;
        const failed = planned[i]!.error ?? (planned[i]!.queries.length ? (batchError ?? cwError) : undefined);
        if (failed !== undefined)
          return {
            status: status('error', untouched, `could not read CloudWatch: ${failed}`),
            changed: [],
            transitions: [],
          };
        try {
          const samples = await ruleTypeOf(rule).evaluate(rule, { data: deps.data, cloudWatch: cw }, now);
          const out = applySamples(rule, samples, mine, now);
          return {
            status: status(samples.length ? 'ok' : 'nodata', out.active),
            changed: out.changed,
            transitions: out.transitions,
          };
        } catch (error) {
          deps.onRuleError?.(rule.id, error);
          return { status: status('error', untouched, message(error)), changed: [], transitions: [] };
        }
      });
      const gone = orphans(previous, rules, now);
      return {
        rules,
        statuses: outcomes.map((o) => o.status),
        changed: [...outcomes.flatMap((o) => o.changed), ...gone.changed],
        transitions: [...outcomes.flatMap((o) => o.transitions), ...gone.transitions],
      };
    },
  };
}
