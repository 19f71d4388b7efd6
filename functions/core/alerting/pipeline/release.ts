import { reason } from '../../reason.js';
import type { AlertNotifyState, OutboxRecord } from '../model.js';
import { iso, type PipelineContext } from './types.js';

export interface Reconsidered {
  readonly record: OutboxRecord;
  /** The alert's pipeline state, when releasing the record changed it. */
  readonly state?: AlertNotifyState;
}

const STATE_KINDS = new Set(['firing', 'resolved', 'nodata']);

/**
 * A held notification whose hold is due is looked at again: dropped if a later transition of its alert
 * superseded it (`superseded`), held on while its deployment verification still runs, or released
 * (`pending`, to be sent by this run's dispatch).
 */
export function reconsider(record: OutboxRecord, ctx: PipelineContext): Reconsidered {
  const { now } = ctx;
  const alert = ctx.alerts.get(record.alertId);
  const heldBy = record.decisions.at(-1)?.code ?? 'held';
  if (alert && record.seq !== undefined && alert.seq > record.seq && STATE_KINDS.has(record.kind)) {
    const why = reason(
      'superseded',
      `${alert.id} moved on (transition ${alert.seq}, ${alert.state}) before this went out`,
    );
    return {
      record: { ...record, status: 'suppressed', nextAttemptAt: undefined, decisions: [...record.decisions, why] },
    };
  }
  const release = (code: string, message: string): OutboxRecord => ({
    ...record,
    status: 'pending',
    nextAttemptAt: now,
    decisions: [...record.decisions, reason(code, message)],
  });
  if (heldBy === 'deploy-window') {
    const service = alert?.labels.service ?? String(record.attributes.service ?? '');
    if ((ctx.deploys.get(service) ?? []).length > 0) {
      return { record: { ...record, nextAttemptAt: now + ctx.options.deployRecheckMs } };
    }
    const released = release(
      'deploy-window-ended',
      `no verification runs for ${service} any more: released at ${iso(now)}`,
    );
    const s = ctx.notified.get(record.alertId);
    if (!s) return { record: released };
    const state: AlertNotifyState = {
      ...s,
      lastAt: Math.max(s.lastAt ?? 0, now),
      ...(record.kind === 'firing' && record.seq !== undefined ? { firing: { seq: record.seq, at: now } } : {}),
      ...(record.kind === 'resolved' ? { firing: undefined } : {}),
    };
    return { record: released, state };
  }
  return { record: release('released', `${heldBy} hold ended: released at ${iso(now)}`) };
}
