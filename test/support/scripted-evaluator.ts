import type { AlertRecord, AlertTransition, RuleCommon } from '../../functions/core/alerting/model.js';
import type { EvaluationResult, RuleEvaluator } from '../../functions/core/alerting/ports.js';
import { reason } from '../../functions/core/reason.js';

/**
 * A rule evaluator driven by a script instead of data, for the notification tests: `condition(alertId,
 * now)` says whether each alert's condition holds; an alert fires on the first true evaluation (`for` 0)
 * and resolves on the first false one. It behaves as the real evaluator's contract says: changed alerts
 * carry the version they were read with, new ones 0, and each transition has the alert's next `seq`.
 */
export function scriptedEvaluator(
  rules: readonly RuleCommon[],
  alerts: readonly { id: string; ruleId: string; service: string; target?: string }[],
  condition: (alertId: string, now: number) => boolean,
): RuleEvaluator {
  return {
    async evaluate(previous, now): Promise<EvaluationResult> {
      const byId = new Map(previous.map((a) => [a.id, a]));
      const changed: AlertRecord[] = [];
      const transitions: AlertTransition[] = [];
      for (const spec of alerts) {
        const rule = rules.find((r) => r.id === spec.ruleId)!;
        const prev: AlertRecord = byId.get(spec.id) ?? {
          id: spec.id,
          ruleId: spec.ruleId,
          labels: {
            service: spec.service,
            rule: spec.ruleId,
            severity: rule.severity,
            ...(spec.target ? { target: spec.target } : {}),
          },
          annotations: { summary: '{{ labels.service }} is slow: {{ value }} ms' },
          severity: rule.severity,
          state: 'inactive',
          value: undefined,
          activeAt: undefined,
          firedAt: undefined,
          resolvedAt: undefined,
          keepFiringSince: undefined,
          lastEvalAt: 0,
          changes: [],
          flapping: false,
          ack: undefined,
          manualResolve: undefined,
          seq: 0,
          version: 0,
        };
        const on = condition(spec.id, now);
        const firing = prev.state === 'firing';
        if (on === firing) continue;
        const seq = prev.seq + 1;
        const to = on ? 'firing' : 'resolved';
        changed.push({
          ...prev,
          state: to,
          value: on ? 900 : 100,
          activeAt: on ? now : prev.activeAt,
          firedAt: on ? now : prev.firedAt,
          resolvedAt: on ? undefined : now,
          lastEvalAt: now,
          changes: [...prev.changes, now].slice(-10),
          seq,
        });
        transitions.push({
          alertId: spec.id,
          ruleId: spec.ruleId,
          seq,
          from: prev.state,
          to,
          at: now,
          value: on ? 900 : 100,
          reason: on ? reason('condition-true', 'above 800') : reason('condition-false', 'below 800'),
        });
      }
      return {
        rules,
        statuses: rules.map((r) => ({ ruleId: r.id, evaluatedAt: now, health: 'ok' as const, active: 0 })),
        changed,
        transitions,
      };
    },
  };
}
