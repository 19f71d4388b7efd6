import type { CloudWatchQuery, SeriesPoints } from '../data-source.js';
import type { RuleOf } from '../rule-model.js';
import { judge, seasonalBaseline, trainingSlots, withoutWindows } from './anomaly-baseline.js';
import { cloudWatchWindow, describeMetric, fmt, latest, over, type RuleType, type Sample } from './rule-type.js';

type AnomalyRule = RuleOf<'anomaly'>;
const key = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(labels).sort());

/**
 * The metric leaves the band learned from its own history: the statistic over the window against the
 * baseline of the same time of day (±30 minutes) and weekday on the training days, one point per window
 * step, deployment windows left out.
 * Too little history for a label set is no data for it (said so in the description).
 */
export const anomaly: RuleType<AnomalyRule> = {
  cloudWatchQueries(rule, now) {
    const { metric, windowMs, trainingMs } = rule.spec;
    if (metric.source !== 'cloudwatch') return [];
    const periodSeconds = Math.max(60, Math.ceil(windowMs / 60_000) * 60);
    return [
      cloudWatchWindow(metric, windowMs, now),
      ...trainingSlots(now, trainingMs).map(([from, to]): CloudWatchQuery => ({ metric, from, to, periodSeconds })),
    ];
  },

  async evaluate(rule, input, now) {
    const { metric, windowMs, trainingMs, sensitivity, direction, minSlotPoints } = rule.spec;
    const what = `${describeMetric(metric)} ${over(windowMs)}`;
    const slots = trainingSlots(now, trainingMs);
    let current: { labels: Record<string, string>; value: number }[];
    let history: SeriesPoints[];
    if (metric.source === 'cloudwatch') {
      const value = latest(input.cloudWatch[0]);
      current = value === undefined ? [] : [{ labels: {}, value }];
      history = [{ labels: {}, points: input.cloudWatch.slice(1).flatMap((r) => (r.ok ? r.points : [])) }];
    } else {
      const [values, windows, ...days] = await Promise.all([
        input.data.windowStat(metric, now - windowMs, now),
        input.data.deployWindows(metric.service, now - trainingMs, now),
        ...slots.map(([from, to]) => input.data.series(metric, from, to, windowMs)),
      ]);
      current = values.map((v) => ({ labels: { ...v.labels }, value: v.value }));
      const merged = new Map<string, (readonly [number, number])[]>();
      for (const day of days as SeriesPoints[][]) {
        for (const s of day)
          merged.set(key(s.labels), [
            ...(merged.get(key(s.labels)) ?? []),
            ...withoutWindows(s.points, windowMs, windows),
          ]);
      }
      history = [...merged].map(([k, points]) => ({
        labels: Object.fromEntries(JSON.parse(k) as [string, string][]),
        points,
      }));
    }
    const byKey = new Map(history.map((h) => [key(h.labels), h.points]));
    return current.map(({ labels, value }): Sample => {
      const baseline = seasonalBaseline(byKey.get(key(labels)) ?? [], now, minSlotPoints);
      if (!baseline) {
        return {
          labels,
          observation: {
            kind: 'nodata',
            description: `${what} is ${fmt(value)} but its history has fewer than ${minSlotPoints} points for this time of day`,
          },
        };
      }
      const j = judge(value, baseline, sensitivity, direction);
      const description = `${what} is ${fmt(value)}, ${j.anomalous ? 'outside' : 'inside'} the band ${fmt(j.low)}–${fmt(j.high)} (median ${fmt(baseline.median)} of ${baseline.points} points of the same ${baseline.slot === 'hour' ? 'time of day' : 'time and weekday'}, score ${fmt(j.score)}, sensitivity ${sensitivity})`;
      return { labels, observation: { kind: 'value', condition: j.anomalous, value, description } };
    });
  },
};
