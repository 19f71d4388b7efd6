import type { AlertRecord, AlertTransition, Silence } from '../core/alerting/model.js';

/** The public shapes of alerts and silences: times as ISO 8601, absent values as null (notifications: notifications/handler.ts). */
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function alertView(a: AlertRecord, now: number) {
  const ackActive = a.ack !== undefined && (a.ack.until === undefined || a.ack.until > now);
  return {
    id: a.id,
    ruleId: a.ruleId,
    state: a.state,
    severity: a.severity,
    labels: a.labels,
    annotations: a.annotations,
    value: a.value ?? null,
    activeAt: iso(a.activeAt),
    firedAt: iso(a.firedAt),
    resolvedAt: iso(a.resolvedAt),
    keepFiringSince: iso(a.keepFiringSince),
    lastEvaluatedAt: iso(a.lastEvalAt),
    flapping: a.flapping,
    acknowledged:
      a.ack && ackActive
        ? { by: a.ack.by, comment: a.ack.comment ?? null, at: iso(a.ack.at), until: iso(a.ack.until) }
        : null,
    manualResolve: a.manualResolve
      ? { by: a.manualResolve.by, comment: a.manualResolve.comment ?? null, at: iso(a.manualResolve.at) }
      : null,
    transitionCount: a.seq,
  };
}

export function transitionView(t: AlertTransition) {
  return { seq: t.seq, from: t.from, to: t.to, at: iso(t.at), value: t.value ?? null, reason: t.reason };
}

export function silenceState(s: Silence, now: number): 'pending' | 'active' | 'expired' {
  if (s.endsAt <= now) return 'expired';
  return s.startsAt > now ? 'pending' : 'active';
}

export function silenceView(s: Silence, now: number) {
  return {
    id: s.id,
    matchers: s.matchers,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    comment: s.comment,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    ...(s.weekly ? { weekly: s.weekly, timeZone: s.timeZone ?? 'UTC' } : {}),
    state: silenceState(s, now),
  };
}
