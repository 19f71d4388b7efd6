import { compare, type RuleOf } from '../rule-model.js';
import { cloudWatchWindow, describeMetric, fmt, latest, over, type RuleType, type Sample } from './rule-type.js';

/** The statistic over the window, compared at each evaluation; one alert per `groupBy` value. */
export const threshold: RuleType<RuleOf<'threshold'>> = {
  cloudWatchQueries: (rule, now) =>
    rule.spec.metric.source === 'cloudwatch' ? [cloudWatchWindow(rule.spec.metric, rule.spec.windowMs, now)] : [],

  async evaluate(rule, input, now) {
    const { metric, op, value: limit, windowMs } = rule.spec;
    const what = `${describeMetric(metric)} ${over(windowMs)}`;
    const sample = (labels: Record<string, string>, value: number): Sample => ({
      labels,
      observation: {
        kind: 'value',
        condition: compare(value, op, limit),
        value,
        description: `${what} is ${fmt(value)} (${op} ${fmt(limit)} is ${compare(value, op, limit)})`,
      },
    });
    if (metric.source === 'cloudwatch') {
      const value = latest(input.cloudWatch[0]);
      return value === undefined ? [] : [sample({}, value)];
    }
    const values = await input.data.windowStat(metric, now - windowMs, now);
    return values.map((v) => sample({ ...v.labels }, v.value));
  },
};
