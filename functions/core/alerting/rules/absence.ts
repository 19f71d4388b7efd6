import { formatDuration } from '../duration.js';
import type { RuleOf } from '../rule-model.js';
import { cloudWatchWindow, type RuleType } from './rule-type.js';

/**
 * No datapoint of a metric (or no ingest at all from a service) for the window. The condition is about
 * missing data, so this rule always has a sample and its noData policy never applies. The value is the
 * seconds since the last datapoint (absent when there was none in twice the window).
 */
export const absence: RuleType<RuleOf<'absence'>> = {
  cloudWatchQueries: (rule, now) =>
    rule.spec.metric.source === 'cloudwatch' ? [cloudWatchWindow(rule.spec.metric, rule.spec.windowMs, now)] : [],

  async evaluate(rule, input, now) {
    const { metric, windowMs } = rule.spec;
    const what =
      metric.source === 'cloudwatch'
        ? `${metric.namespace}/${metric.metricName}`
        : (metric.name ?? `any ingest from ${metric.service}`);
    if (metric.source === 'cloudwatch') {
      const result = input.cloudWatch[0];
      const points = result?.ok ? result.points.length : 0;
      return [
        {
          labels: {},
          observation: {
            kind: 'value',
            condition: points === 0,
            value: points === 0 ? undefined : 0,
            description:
              points === 0
                ? `no datapoint of ${what} in ${formatDuration(windowMs)}`
                : `${what} has datapoints in the last ${formatDuration(windowMs)}`,
          },
        },
      ];
    }
    const last = await input.data.lastSeen(
      { service: metric.service, name: metric.name, ...('tags' in metric ? { tags: metric.tags } : {}) },
      now - 2 * windowMs,
      now,
    );
    const age = last === undefined ? undefined : Math.max(0, now - last);
    const absent = age === undefined || age >= windowMs;
    const description =
      age === undefined
        ? `no datapoint of ${what} in the last ${formatDuration(2 * windowMs)}`
        : `the last datapoint of ${what} was ${formatDuration(age)} ago (absent after ${formatDuration(windowMs)})`;
    return [
      {
        labels: {},
        observation: {
          kind: 'value',
          condition: absent,
          value: age === undefined ? undefined : age / 1_000,
          description,
        },
      },
    ];
  },
};
