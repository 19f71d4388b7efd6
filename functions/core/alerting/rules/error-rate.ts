import { compare, type RuleOf } from '../rule-model.js';
import { cloudWatchWindow, fmt, latest, over, type RuleType, type Sample } from './rule-type.js';

const key = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(labels).sort());
const percent = (ratio: number) => `${fmt(ratio * 100)}%`;

/**
 * errors / total over the window (5xx over all requests by default), compared with `value`; below
 * `minRequests` requests the condition is false, so 1 error in 2 requests does not page.
 */
export const errorRate: RuleType<RuleOf<'error_rate'>> = {
  cloudWatchQueries(rule, now) {
    const { errors, total, windowMs } = rule.spec;
    return errors.source === 'cloudwatch' && total.source === 'cloudwatch'
      ? [cloudWatchWindow(errors, windowMs, now), cloudWatchWindow(total, windowMs, now)]
      : [];
  },

  async evaluate(rule, input, now) {
    const { errors, total, op, value: limit, windowMs, minRequests } = rule.spec;
    const sample = (labels: Record<string, string>, bad: number, all: number): Sample => {
      const ratio = bad / all;
      const enough = all >= minRequests;
      const description = enough
        ? `error rate ${over(windowMs)} is ${percent(ratio)} (${fmt(bad)} of ${fmt(all)} requests; ${op} ${percent(limit)} is ${compare(ratio, op, limit)})`
        : `error rate ${over(windowMs)} is ${percent(ratio)} but only ${fmt(all)} requests (fewer than ${minRequests})`;
      return {
        labels,
        observation: { kind: 'value', condition: enough && compare(ratio, op, limit), value: ratio, description },
      };
    };
    if (errors.source === 'cloudwatch' || total.source === 'cloudwatch') {
      const all = latest(input.cloudWatch[1]);
      if (all === undefined || all <= 0) return [];
      return [sample({}, latest(input.cloudWatch[0]) ?? 0, all)];
    }
    const [bad, all] = await Promise.all([
      input.data.windowStat(errors, now - windowMs, now),
      input.data.windowStat(total, now - windowMs, now),
    ]);
    const badBy = new Map(bad.map((b) => [key(b.labels), b.value]));
    return all.filter((t) => t.value > 0).map((t) => sample({ ...t.labels }, badBy.get(key(t.labels)) ?? 0, t.value));
  },
};
