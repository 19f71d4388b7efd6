import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchAlertReader } from '../../functions/adapters/alert-data-cloudwatch.js';
import { vigilAlertData } from '../../functions/adapters/alert-data-vigil.js';
import { createEvaluator } from '../../functions/core/alerting/evaluate.js';
import type { CloudWatchMetric, Rule } from '../../functions/core/alerting/rule-model.js';
import { parseRule } from '../../functions/core/alerting/rule-parse.js';

const cw = mockClient(CloudWatchClient);
afterEach(() => cw.reset());

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const client = () =>
  new CloudWatchClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const cwRule = (id: string, fn: string, window = '5m'): Rule => {
  const r = parseRule(
    {
      type: 'threshold',
      service: 'billing',
      metric: {
        source: 'cloudwatch',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: fn },
        stat: 'Sum',
      },
      op: '>',
      value: 5,
      window,
    },
    'api',
    id,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.rule;
};
const lambdaErrors = (fn: string): CloudWatchMetric => ({
  source: 'cloudwatch',
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: { FunctionName: fn },
  stat: 'Sum',
});
const noReads = { listSeries: async () => [], readRollups: async () => [], listServices: async () => [] } as never;
const noTargets = { listTargets: async () => [], listStates: async () => [] };

describe('CloudWatch alert data', () => {
  it('sends 1,200 rules of one window as three GetMetricData calls of 500, 500 and 200, and fires from their answers', async () => {
    cw.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: { Id: string }[] }) => ({
      MetricDataResults: input.MetricDataQueries.map((q, n) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: [new Date(NOW - 300_000)],
        Values: [n % 2 ? 9 : 1],
      })),
    }));
    const rules = Array.from({ length: 1_200 }, (_, i) => cwRule(`r${i}`, `fn-${i}`));
    const data = vigilAlertData({
      reader: noReads,
      targets: noTargets,
      stepSeconds: 60,
      now: () => NOW,
      cloudWatch: new CloudWatchAlertReader(client()),
    });
    const result = await createEvaluator({ rules: { list: async () => rules }, data }).evaluate([], NOW);

    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries?.length)).toEqual([500, 500, 200]);
    expect(calls[0]!.args[0].input).toEqual({
      StartTime: new Date(NOW - 300_000),
      EndTime: new Date(NOW),
      ScanBy: 'TimestampDescending',
      MetricDataQueries: expect.any(Array),
    });
    expect(calls[0]!.args[0].input.MetricDataQueries![1]).toEqual({
      Id: 'q1',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'fn-1' }],
        },
        Period: 300,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    expect(calls[2]!.args[0].input.MetricDataQueries![0]!.MetricStat!.Metric!.Dimensions).toEqual([
      { Name: 'FunctionName', Value: 'fn-1000' },
    ]);
    // Odd queries of each call answered 9 (> 5): 250 + 250 + 100 alerts fire.
    expect(result.transitions.filter((t) => t.to === 'firing')).toHaveLength(600);
    expect(result.statuses.every((s) => s.health === 'ok')).toBe(true);
  });

  it('groups by time range, follows NextToken, and a failed call fails only its rules', async () => {
    cw.on(GetMetricDataCommand, { StartTime: new Date(NOW - 300_000) })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'q0', StatusCode: 'PartialData', Timestamps: [new Date(NOW - 300_000)], Values: [7] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [{ Id: 'q1', StatusCode: 'Complete', Timestamps: [new Date(NOW - 300_000)], Values: [1] }],
      });
    cw.on(GetMetricDataCommand, { StartTime: new Date(NOW - 600_000) }).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException' }),
    );
    const rules = [cwRule('a', 'fa'), cwRule('b', 'fb'), cwRule('c', 'fc', '10m')];
    const data = vigilAlertData({
      reader: noReads,
      targets: noTargets,
      stepSeconds: 60,
      now: () => NOW,
      cloudWatch: new CloudWatchAlertReader(client()),
    });
    const result = await createEvaluator({ rules: { list: async () => rules }, data }).evaluate([], NOW);

    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(
      calls.map((c) => [
        c.StartTime?.getTime() ? (NOW - c.StartTime.getTime()) / 60_000 : 0,
        c.MetricDataQueries?.length,
        c.NextToken,
      ]),
    ).toEqual([
      [5, 2, undefined],
      [10, 1, undefined],
      [5, 2, 'page-2'],
    ]);
    expect(result.statuses.map((s) => [s.ruleId, s.health, s.error])).toEqual([
      ['a', 'ok', undefined],
      ['b', 'ok', undefined],
      ['c', 'error', 'could not read CloudWatch: LimitExceededException: Rate exceeded'],
    ]);
    expect(result.transitions.map((t) => [t.ruleId, t.to])).toEqual([['a', 'firing']]);
  });

  it('a query CloudWatch refuses fails alone', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'q0',
          StatusCode: 'Forbidden',
          Messages: [{ Code: 'Forbidden', Value: 'not authorized for AWS/Lambda' }],
        },
        { Id: 'q1', StatusCode: 'Complete', Timestamps: [], Values: [] },
      ],
    });
    const out = await new CloudWatchAlertReader(client()).read([
      { metric: lambdaErrors('fa'), from: NOW - 60_000, to: NOW, periodSeconds: 60 },
      { metric: lambdaErrors('fb'), from: NOW - 60_000, to: NOW, periodSeconds: 60 },
    ]);
    expect(out).toEqual([
      { ok: false, error: 'Forbidden: not authorized for AWS/Lambda' },
      { ok: true, points: [] },
    ]);
  });
});
