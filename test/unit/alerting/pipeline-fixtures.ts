import type {
  AlertNotifyState,
  AlertRecord,
  AlertTransition,
  RuleCommon,
  Silence,
  TargetNode,
} from '../../../functions/core/alerting/model.js';
import { notificationIdOf } from '../../../functions/core/alerting/model.js';
import { DEFAULT_INHIBIT_RULES } from '../../../functions/core/alerting/pipeline/inhibited.js';
import {
  type Candidate,
  DEFAULT_PIPELINE_OPTIONS,
  type PipelineContext,
} from '../../../functions/core/alerting/pipeline/types.js';
import type { ActiveDeploy } from '../../../functions/core/alerting/ports.js';
import { reason } from '../../../functions/core/reason.js';

/** Shared builders for the pipeline's unit tests; the clock is pinned at T0. */
export const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
export const MIN = 60_000;

export function rule(over: Partial<RuleCommon> = {}): RuleCommon {
  return {
    id: 'latency',
    type: 'threshold',
    severity: 'critical',
    labels: {},
    annotations: { summary: 'p95 {{ value }} ms on {{ labels.service }}' },
    forMs: 0,
    keepFiringForMs: 0,
    noData: 'nodata',
    duringDeploy: 'hold',
    groupBy: ['service'],
    groupWaitMs: 30_000,
    groupIntervalMs: 300_000,
    repeatIntervalMs: 14_400_000,
    throttlePeriodMs: 300_000,
    escalation: [],
    origin: 'api',
    ...over,
  };
}

export function alert(over: Partial<AlertRecord> = {}): AlertRecord {
  const ruleId = over.ruleId ?? 'latency';
  const severity = over.severity ?? 'critical';
  return {
    id: over.id ?? `${ruleId}:checkout`,
    ruleId,
    labels: { service: 'checkout', rule: ruleId, severity, ...over.labels },
    annotations: { summary: 'p95 {{ value }} ms on {{ labels.service }}', runbook: 'https://wiki/rb' },
    severity,
    state: 'firing',
    value: 950,
    activeAt: T0 - 2 * MIN,
    firedAt: T0,
    resolvedAt: undefined,
    keepFiringSince: undefined,
    lastEvalAt: T0,
    changes: [],
    flapping: false,
    ack: undefined,
    manualResolve: undefined,
    seq: 2,
    version: 2,
    ...over,
    ...(over.labels ? { labels: { service: 'checkout', rule: ruleId, severity, ...over.labels } } : {}),
  };
}

export function transition(a: AlertRecord, over: Partial<AlertTransition> = {}): AlertTransition {
  return {
    alertId: a.id,
    ruleId: a.ruleId,
    seq: a.seq,
    from: 'pending',
    to: a.state,
    at: a.lastEvalAt,
    value: a.value,
    reason: reason('for-elapsed', 'true for 2 min'),
    ...over,
  };
}

export function notified(alertId: string, over: Partial<AlertNotifyState> = {}): AlertNotifyState {
  return {
    alertId,
    processedSeq: 0,
    lastAt: undefined,
    firing: undefined,
    stepsSeq: 0,
    repeats: 0,
    escalations: 0,
    ...over,
  };
}

export interface CtxInput {
  readonly now?: number;
  readonly alerts?: readonly AlertRecord[];
  readonly rules?: readonly RuleCommon[];
  readonly silences?: readonly Silence[];
  readonly deploys?: Readonly<Record<string, readonly ActiveDeploy[]>>;
  readonly targets?: readonly TargetNode[];
  readonly notified?: readonly AlertNotifyState[];
  readonly groups?: readonly { key: string; flushAt: number }[];
}

export function ctx(i: CtxInput = {}): PipelineContext {
  return {
    now: i.now ?? T0,
    alerts: new Map((i.alerts ?? []).map((a) => [a.id, a])),
    rules: new Map((i.rules ?? [rule()]).map((r) => [r.id, r])),
    silences: i.silences ?? [],
    inhibitRules: DEFAULT_INHIBIT_RULES,
    deploys: new Map(Object.entries(i.deploys ?? {})),
    targets: new Map((i.targets ?? []).map((t) => [t.id, t])),
    notified: new Map((i.notified ?? []).map((s) => [s.alertId, s])),
    groups: new Map((i.groups ?? []).map((g) => [g.key, g])),
    options: DEFAULT_PIPELINE_OPTIONS,
  };
}

export function candidate(a: AlertRecord, over: Partial<Candidate> = {}): Candidate {
  const kind = over.kind ?? (a.state === 'resolved' ? 'resolved' : 'firing');
  return {
    id: notificationIdOf(a.id, a.seq),
    kind,
    alert: a,
    rule: rule({ id: a.ruleId, severity: a.severity }),
    seq: a.seq,
    transition: transition(a),
    topic: a.severity,
    ...over,
  };
}

export function silence(over: Partial<Silence> = {}): Silence {
  return {
    id: 'sil-1',
    matchers: [{ label: 'service', op: '=', value: 'checkout' }],
    startsAt: T0 - 10 * MIN,
    endsAt: T0 + 60 * MIN,
    comment: 'db migration',
    createdBy: 'ana',
    createdAt: T0 - 10 * MIN,
    ...over,
  };
}
