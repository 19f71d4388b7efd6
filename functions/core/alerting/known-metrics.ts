import type { Violation } from '../errors.js';
import type { MetricRef, Rule } from './rule-model.js';

/**
 * A rule saved through the API must name metrics Vigil has received: a typo in a metric name would
 * otherwise sit silently in `nodata`. Only Vigil's own metrics are checked (CloudWatch metrics are read
 * with the deployment's role at evaluation, and an unknown one shows as the rule's `error`). Rules in
 * vigil.config.json are not checked, since a deploy may come before the first data.
 */
export interface SeriesNames {
  /** Whether `service` has sent at least one series named `name`. */
  has(service: string, name: string): Promise<boolean>;
}

function metricsOf(rule: Rule): [string, MetricRef | { source: 'vigil'; service: string; name?: undefined }][] {
  switch (rule.type) {
    case 'threshold':
    case 'anomaly':
    case 'absence':
      return [['metric', rule.spec.metric]];
    case 'error_rate':
      return [
        ['errors', rule.spec.errors],
        ['total', rule.spec.total],
      ];
    case 'burn_rate':
      return [...(rule.spec.good ? [['good', rule.spec.good] as [string, MetricRef]] : []), ['total', rule.spec.total]];
    case 'health':
      return [];
  }
}

export async function unknownMetricViolations(rule: Rule, series: SeriesNames): Promise<Violation[]> {
  const checks = metricsOf(rule).flatMap(([path, m]) =>
    m.source === 'vigil' && m.name !== undefined ? [{ path, service: m.service, name: m.name }] : [],
  );
  const results = await Promise.all(checks.map(async (c) => ({ ...c, known: await series.has(c.service, c.name) })));
  return results
    .filter((r) => !r.known)
    .map((r) => ({
      path: `${r.path}.name`,
      message: `no metric named ${r.name} has been received from service ${r.service}; check the name, or send data first`,
    }));
}
