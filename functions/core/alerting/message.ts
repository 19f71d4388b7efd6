import type { Reason } from '../reason.js';
import type { AlertRecord, Annotations, NotificationKind } from './model.js';
import type { Candidate } from './pipeline/types.js';
import type { ActiveDeploy } from './ports.js';
import { compileTemplate, formatValue, renderTemplate } from './template.js';

/** SNS accepts subjects of at most 100 printable ASCII characters. */
export const SUBJECT_MAX = 100;

const KIND_WORD: Record<NotificationKind, string> = {
  firing: 'FIRING',
  resolved: 'RESOLVED',
  nodata: 'NO DATA',
  repeat: 'STILL FIRING',
  escalation: 'ESCALATED',
  'flapping-started': 'FLAPPING',
  'flapping-ended': 'SETTLED',
  event: 'EVENT',
};

export interface MessageExtras {
  readonly decisions: readonly Reason[];
  readonly group: string | undefined;
  readonly dependents: readonly AlertRecord[];
  readonly deploys: readonly ActiveDeploy[];
  /** Base URL of the dashboard; links are left out without it. */
  readonly dashboardUrl: string | undefined;
}

export interface BuiltMessage {
  readonly subject: string;
  readonly message: Record<string, unknown>;
  readonly attributes: Record<string, string>;
  /** Templates that failed to render: sent raw; the caller logs these. */
  readonly templateErrors: readonly { readonly field: string; readonly error: string }[];
}

/** One line, printable ASCII, at most `SUBJECT_MAX` characters (cut with `...`). */
export function clampSubject(text: string): string {
  const clean =
    text
      .replace(/[^\x20-\x7e]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || 'Vigil notification';
  return clean.length > SUBJECT_MAX ? `${clean.slice(0, SUBJECT_MAX - 3)}...` : clean;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The body, subject and attributes of one notification (the SNS message subscribers receive). */
export function buildMessage(c: Candidate, extras: MessageExtras): BuiltMessage {
  const a = c.alert;
  const templateErrors: { field: string; error: string }[] = [];
  const annotations: Record<string, string> = {};
  for (const [field, template] of Object.entries(a.annotations as Annotations)) {
    if (typeof template !== 'string') continue;
    // A template that does not parse (the rule was stored before it was checked, say) is sent raw.
    const compiled = compileTemplate(template);
    if (!compiled.ok) templateErrors.push({ field: `annotations.${field}`, error: compiled.message });
    annotations[field] = renderTemplate(template, { value: a.value, labels: a.labels });
  }
  const service = a.labels.service ?? '';
  const headline = annotations.summary || `${a.ruleId}${a.value === undefined ? '' : ` = ${formatValue(a.value)}`}`;
  const subject = clampSubject(`[${KIND_WORD[c.kind]}] ${a.severity} ${service ? `${service}: ` : ''}${headline}`);
  const base = extras.dashboardUrl?.replace(/\/+$/, '');
  const links: Record<string, string> = {};
  if (base) links.dashboard = `${base}/?view=alerts${service ? `&service=${encodeURIComponent(service)}` : ''}`;
  if (annotations.runbook) links.runbook = annotations.runbook;
  const why = c.transition?.reason ?? extras.decisions[0];
  const message: Record<string, unknown> = {
    notificationId: c.id,
    kind: c.kind,
    alert: {
      id: a.id,
      rule: a.ruleId,
      state: a.state,
      severity: a.severity,
      value: a.value ?? null,
      labels: a.labels,
      activeAt: iso(a.activeAt),
      firedAt: iso(a.firedAt),
      resolvedAt: iso(a.resolvedAt),
      ...(a.ack ? { acknowledgedBy: a.ack.by } : {}),
    },
    annotations,
    ...(c.transition
      ? {
          transition: { seq: c.transition.seq, from: c.transition.from, to: c.transition.to, at: iso(c.transition.at) },
        }
      : {}),
    reason: why ?? null,
    decisions: extras.decisions,
    ...(extras.group ? { group: extras.group } : {}),
    ...(extras.dependents.length
      ? { dependents: extras.dependents.map((d) => ({ id: d.id, rule: d.ruleId, labels: d.labels, state: d.state })) }
      : {}),
    ...(extras.deploys.length ? { deployments: extras.deploys } : {}),
    links,
  };
  const attributes: Record<string, string> = {
    service: service || 'none',
    severity: a.severity,
    state: a.state,
    rule: a.ruleId,
    notificationId: c.id,
  };
  return { subject, message, attributes, templateErrors };
}
