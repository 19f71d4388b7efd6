import type { RuleOf } from '../rule-model.js';
import type { RuleType, Sample } from './rule-type.js';

/** 0 up, 1 degraded, 2 down: the value templates see. */
export const HEALTH_VALUE = { up: 0, degraded: 1, down: 2 } as const;

/**
 * A probe target down (or degraded, when listed): one alert per target, labelled `target` and the
 * target's `service`. A target not probed yet (`unknown`) has no data.
 */
export const health: RuleType<RuleOf<'health'>> = {
  cloudWatchQueries: () => [],

  async evaluate(rule, input) {
    const { target, service, statuses } = rule.spec;
    const targets = (await input.data.targets()).filter(
      (t) =>
        (target === undefined || t.id === target) && (service === undefined || service === '' || t.service === service),
    );
    return targets.map((t): Sample => {
      const labels = { target: t.id, service: t.service };
      if (t.status === 'unknown') {
        return { labels, observation: { kind: 'nodata', description: `target ${t.id} has not been probed yet` } };
      }
      const bad = (statuses as readonly string[]).includes(t.status);
      const why = t.reason ? ` (${t.reason})` : '';
      return {
        labels,
        observation: {
          kind: 'value',
          condition: bad,
          value: HEALTH_VALUE[t.status],
          description: `target ${t.id} is ${t.status}${why}`,
        },
      };
    });
  },
};
