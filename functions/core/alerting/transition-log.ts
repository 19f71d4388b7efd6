import type { AlertRecord, AlertTransition } from './model.js';
import type { EvaluationResult, RuleEvaluator } from './ports.js';

/**
 * The history of an alert's state changes (`GET /v1/alerts/{id}` shows it). A transition is logged only
 * when the alert write it belongs to won its version condition, so a run that lost a race logs nothing:
 * the log holds exactly the transitions the notification pipeline saw.
 */
export interface TransitionLog {
  /** Adds each transition unless one with its alert id and number is there already. */
  append(transitions: readonly AlertTransition[]): Promise<void>;
  /** An alert's transitions, oldest first. */
  forAlert(alertId: string, now: number): Promise<AlertTransition[]>;
}

interface Store {
  put(alert: AlertRecord): Promise<'written' | 'conflict'>;
}

/**
 * Wraps an evaluator and an alert store so that every alert write that wins also logs the transitions
 * the evaluation produced for that alert. Both wrapped objects are used by one evaluation run.
 */
export function loggingTransitions<S extends Store>(
  evaluator: RuleEvaluator,
  store: S,
  log: TransitionLog,
): { evaluator: RuleEvaluator; store: S } {
  let pending = new Map<string, AlertTransition[]>();
  return {
    evaluator: {
      async evaluate(previous, now): Promise<EvaluationResult> {
        const result = await evaluator.evaluate(previous, now);
        pending = new Map();
        for (const t of result.transitions) pending.set(t.alertId, [...(pending.get(t.alertId) ?? []), t]);
        return result;
      },
    },
    store: new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'put') return Reflect.get(target, prop, receiver);
        return async (alert: AlertRecord) => {
          const outcome = await target.put(alert);
          const transitions = pending.get(alert.id);
          if (outcome === 'written' && transitions?.length) await log.append(transitions);
          return outcome;
        };
      },
    }),
  };
}
