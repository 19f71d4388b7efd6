import { describe, expect, it } from 'vitest';
import type { RuleRecord } from '../../../functions/core/alerting/rule-records.js';
import { memorySource } from '../../../functions/core/alerting/rule-tests/memory-source.js';
import { ruleSloReader } from '../../../functions/core/verification/rule-slo-reader.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;

const record = (id: string, definition: Record<string, unknown>): RuleRecord => ({
  id,
  definition,
  origin: 'api',
  createdAt: T0 - 86_400_000,
  updatedAt: T0 - 86_400_000,
});

const cw = (metricName: string) => ({
  source: 'cloudwatch',
  namespace: 'AWS/ApiGateway',
  metricName,
  dimensions: { ApiId: 'a1' },
  stat: 'Sum',
});

// A CloudWatch SLO: good and total per minute; 99.9% objective; the SRE workbook's default window pairs.
const rules = new Map([
  [
    'api-cw',
    record('api-cw', { type: 'burn_rate', service: 'api', objective: 99.9, good: cw('Good'), total: cw('Count') }),
  ],
]);
const store = { get: async (id: string) => rules.get(id) };

const perMinute = (value: number, minutes: number) =>
  Array.from({ length: minutes }, (_, i) => [T0 - (minutes - i) * MIN + 1_000, value] as [number, number]);

describe('ruleSloReader with a CloudWatch SLO', () => {
  it('burns over the window from one CloudWatch period, fast-burn rate from the default pairs', async () => {
    // Last 10 minutes: 1,000 a minute, 980 good (2% bad ÷ 0.1% allowed = 20×, above 14.4×). Before: all good.
    const data = memorySource({
      series: [],
      now: () => T0,
      cloudwatch: [
        { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiId: 'a1' }, points: perMinute(1_000, 60) },
        {
          namespace: 'AWS/ApiGateway',
          metricName: 'Good',
          dimensions: { ApiId: 'a1' },
          points: [...perMinute(1_000, 60).slice(0, 50), ...perMinute(980, 10)],
        },
      ],
    });
    const burn = await ruleSloReader(store, data).burn('api-cw', 'api', T0 - 10 * MIN, T0);
    expect(burn).toMatchObject({ slo: 'api-cw', objective: 99.9, fastBurnRate: 14.4 });
    if ('unknown' in burn) throw new Error('unknown');
    expect(burn.burnRate).toBeCloseTo(20, 6);
    // Over the period: 200 bad of the 60 allowed (0.1% of 60,000): overspent, so none remains.
    expect(burn.remainingBudget).toBe(0);
  });

  it('throws when CloudWatch cannot be read (the step retries the read)', async () => {
    const data = memorySource({
      series: [],
      now: () => T0,
      cloudwatch: [
        {
          namespace: 'AWS/ApiGateway',
          metricName: 'Count',
          dimensions: { ApiId: 'a1' },
          points: [],
          fail: 'Throttling',
        },
      ],
    });
    await expect(ruleSloReader(store, data).burn('api-cw', 'api', T0 - 10 * MIN, T0)).rejects.toThrow(
      'could not read CloudWatch: Throttling',
    );
  });

  it('a stored rule that no longer parses is unknown, naming the field', async () => {
    const broken = { get: async () => record('old', { type: 'burn_rate', objective: 120, total: cw('Count') }) };
    const burn = await ruleSloReader(broken, memorySource({ series: [], now: () => T0 })).burn(
      'old',
      'api',
      T0 - MIN,
      T0,
    );
    expect(burn).toEqual({
      unknown: true,
      reason: expect.stringMatching(/^rule "old" is not valid \(objective: must be a percentage below 100/),
    });
  });
});
