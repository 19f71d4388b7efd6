import { ConflictError } from '../errors.js';
import { reason } from '../reason.js';
import type { Acknowledgement, AlertRecord, AlertTransition } from './model.js';

/**
 * What people do to an alert (`POST /v1/alerts/{id}/ack|unack|resolve`), as pure functions of the record;
 * the API writes the result with the same version condition as the evaluator. Acknowledging changes no
 * state (it stops repeats and escalation in the pipeline); a manual resolve lasts until the condition
 * clears (state-machine.ts), so a condition that comes back afterwards alerts again.
 */
const OPEN = new Set(['pending', 'firing', 'nodata']);

export function acknowledge(alert: AlertRecord, ack: Omit<Acknowledgement, 'at'>, now: number): AlertRecord {
  if (!OPEN.has(alert.state))
    throw new ConflictError(
      `alert ${alert.id} is ${alert.state}; only pending, firing or nodata alerts can be acknowledged`,
    );
  if (ack.until !== undefined && ack.until <= now) throw new ConflictError('until must be in the future');
  return { ...alert, ack: { ...ack, at: now } };
}

export function unacknowledge(alert: AlertRecord): AlertRecord {
  if (!alert.ack) throw new ConflictError(`alert ${alert.id} is not acknowledged`);
  return { ...alert, ack: undefined };
}

/** Whether an acknowledgement is in force at `now` (one with `until` ends by itself). */
export const isAcknowledged = (alert: AlertRecord, now: number): boolean =>
  alert.ack !== undefined && (alert.ack.until === undefined || alert.ack.until > now);

export function resolveManually(
  alert: AlertRecord,
  by: { by: string; comment?: string },
  now: number,
): { next: AlertRecord; transition: AlertTransition } {
  if (!OPEN.has(alert.state))
    throw new ConflictError(`alert ${alert.id} is ${alert.state}; there is nothing to resolve`);
  const seq = alert.seq + 1;
  const note = by.comment ? `: ${by.comment}` : '';
  const transition: AlertTransition = {
    alertId: alert.id,
    ruleId: alert.ruleId,
    seq,
    from: alert.state,
    to: 'resolved',
    at: now,
    value: alert.value,
    reason: reason(
      'manual-resolve',
      `resolved by ${by.by}${note}; it alerts again once the condition has cleared and returns`,
    ),
  };
  const next: AlertRecord = {
    ...alert,
    state: 'resolved',
    seq,
    resolvedAt: now,
    activeAt: undefined,
    keepFiringSince: undefined,
    ack: undefined,
    manualResolve: { by: by.by, ...(by.comment ? { comment: by.comment } : {}), at: now },
    changes: [...alert.changes, now].slice(-50),
  };
  return { next, transition };
}
