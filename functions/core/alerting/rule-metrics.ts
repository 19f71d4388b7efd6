import type { Violation } from '../errors.js';
import type { Rule } from './rule-model.js';

/**
 * The Vigil metrics a rule reads, each with the field path that names it, so `PUT /v1/rules/{id}` can refuse
 * a rule on a metric Vigil has never received ("metric.name: checkout sends no metric http.server.duraton").
 * CloudWatch metrics are not checked (CloudWatch says so at the first evaluation, as the rule's status), and an
 * absence rule's metric is allowed to be missing: that is what it watches for.
 */
export interface MetricUse {
  readonly path: string;
  readonly service: string;
  readonly name: string;
}

export function vigilMetricsOf(rule: Rule): MetricUse[] {
  const use = (path: string, m: { source: string; service?: string; name?: string | undefined }): MetricUse[] =>
    m.source === 'vigil' && m.name !== undefined && m.service ? [{ path, service: m.service, name: m.name }] : [];
  switch (rule.type) {
    case 'threshold':
    case 'anomaly':
      return use('metric.name', rule.spec.metric);
    case 'error_rate':
      return [...use('errors.name', rule.spec.errors), ...use('total.name', rule.spec.total)];
    case 'burn_rate':
      return [...(rule.spec.good ? use('good.name', rule.spec.good) : []), ...use('total.name', rule.spec.total)];
    case 'absence':
    case 'health':
      return [];
  }
}

/** One violation per metric the service has never sent; `known` asks the series registry. */
export async function unknownMetricViolations(
  rule: Rule,
  known: (service: string, name: string) => Promise<boolean>,
): Promise<Violation[]> {
  const uses = vigilMetricsOf(rule);
  const answers = await Promise.all(uses.map((u) => known(u.service, u.name)));
  return uses.flatMap((u, i) =>
    answers[i] ? [] : [{ path: u.path, message: `${u.service} has sent no metric named ${u.name}` }],
  );
}
