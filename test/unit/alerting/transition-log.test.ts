import { describe, expect, it } from 'vitest';
import type { AlertRecord, AlertTransition } from '../../../functions/core/alerting/model.js';
import type { EvaluationResult } from '../../../functions/core/alerting/ports.js';
import { loggingTransitions, type TransitionLog } from '../../../functions/core/alerting/transition-log.js';
import { reason } from '../../../functions/core/reason.js';

const T0 = Date.UTC(2026, 0, 5, 12);

const alert = (id: string, seq: number): AlertRecord => ({
  id,
  ruleId: 'r',
  labels: { service: 's' },
  annotations: {},
  severity: 'warning',
  state: 'pending',
  value: 1,
  activeAt: T0,
  firedAt: undefined,
  resolvedAt: undefined,
  keepFiringSince: undefined,
  lastEvalAt: T0,
  changes: [T0],
  flapping: false,
  ack: undefined,
  manualResolve: undefined,
  seq,
  version: 0,
});

const transition = (alertId: string, seq: number): AlertTransition => ({
  alertId,
  ruleId: 'r',
  seq,
  from: 'inactive',
  to: 'pending',
  at: T0,
  value: 1,
  reason: reason('condition-true', 'value 1 > 0'),
});

describe('transition log wrapper', () => {
  it('logs the transitions of the alert writes that won, and none of those that lost', async () => {
    const logged: AlertTransition[] = [];
    const log: TransitionLog = {
      append: async (ts) => void logged.push(...ts),
      forAlert: async () => [],
    };
    const result: EvaluationResult = {
      rules: [],
      statuses: [],
      changed: [alert('won', 1), alert('lost', 1)],
      transitions: [transition('won', 1), transition('lost', 1)],
    };
    const outcomes: Record<string, 'written' | 'conflict'> = { won: 'written', lost: 'conflict' };
    const store = { put: async (a: AlertRecord) => outcomes[a.id]!, label: 'kept' };
    const wrapped = loggingTransitions({ evaluate: async () => result }, store, log);
    const evaluated = await wrapped.evaluator.evaluate([], T0);
    expect(evaluated).toBe(result);
    for (const a of evaluated.changed) await wrapped.store.put(a);
    expect(logged.map((t) => t.alertId)).toEqual(['won']);
    expect(wrapped.store.label).toBe('kept');
  });
});
