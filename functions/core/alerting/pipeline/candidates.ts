import { reason } from '../../reason.js';
import {
  type AlertRecord,
  type AlertState,
  type AlertTransition,
  type NotificationKind,
  notificationIdOf,
} from '../model.js';
import type { Candidate, PipelineContext } from './types.js';

/**
 * Which transitions notify. The evaluator reports flap detection as a transition with `flapping`
 * (`started`/`ended`, reason code `flapping-started`/`flapping-ended`); otherwise the state entered decides: `firing`, `resolved` (or a
 * firing alert going straight back to `inactive`), `nodata`. Entering `pending` or `inactive` notifies nobody.
 */
export function kindOf(t: Pick<AlertTransition, 'from' | 'to' | 'reason' | 'flapping'>): NotificationKind | undefined {
  if (t.flapping) return `flapping-${t.flapping}`;
  if (t.reason.code === 'flapping-started' || t.reason.code === 'flapping-ended') return t.reason.code;
  if (t.to === 'firing') return 'firing';
  if (t.to === 'resolved' || (t.to === 'inactive' && t.from === 'firing')) return 'resolved';
  if (t.to === 'nodata') return 'nodata';
  return undefined;
}

/** The topic of a state notice: the alert's severity's; no data goes to `info`. */
export const topicOf = (alert: AlertRecord, kind: NotificationKind): string =>
  kind === 'nodata' ? 'info' : alert.severity;

function candidate(alert: AlertRecord, t: AlertTransition, kind: NotificationKind, ctx: PipelineContext): Candidate {
  // The message describes the alert as the transition left it.
  const state: AlertState = t.to;
  return {
    id: notificationIdOf(alert.id, t.seq),
    kind,
    alert: { ...alert, state },
    rule: ctx.rules.get(alert.ruleId),
    seq: t.seq,
    transition: t,
    topic: topicOf(alert, kind),
  };
}

/**
 * The candidates of this run's transitions, and of transitions an earlier run stored but did not get to
 * notify (it stopped between writing the alert and writing the outbox): an alert whose `seq` is past the
 * pipeline's `processedSeq` for it and has no transition here gets one for its current state
 * (`recovered`). Returns the transition numbers processed, per alert.
 */
export function transitionCandidates(
  transitions: readonly AlertTransition[],
  ctx: PipelineContext,
): { candidates: Candidate[]; processed: Map<string, number> } {
  const candidates: Candidate[] = [];
  const processed = new Map<string, number>();
  const sorted = [...transitions].sort((a, b) => a.alertId.localeCompare(b.alertId) || a.seq - b.seq);
  for (const t of sorted) {
    const alert = ctx.alerts.get(t.alertId);
    if (!alert) continue;
    processed.set(t.alertId, Math.max(processed.get(t.alertId) ?? 0, t.seq));
    const kind = kindOf(t);
    if (kind) candidates.push(candidate(alert, t, kind, ctx));
  }
  for (const alert of ctx.alerts.values()) {
    const done = ctx.notified.get(alert.id)?.processedSeq ?? 0;
    if (alert.seq <= done || processed.has(alert.id)) continue;
    processed.set(alert.id, alert.seq);
    const t: AlertTransition = {
      alertId: alert.id,
      ruleId: alert.ruleId,
      seq: alert.seq,
      from: alert.state,
      to: alert.state,
      at: alert.lastEvalAt,
      value: alert.value,
      reason: reason('recovered', `transition ${alert.seq} was stored by a run that did not notify it`),
    };
    const kind = kindOf(t);
    if (kind) candidates.push(candidate(alert, t, kind, ctx));
  }
  return { candidates, processed };
}
