import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchQuery, CloudWatchResult } from '../core/alerting/data-source.js';

/**
 * CloudWatch metrics for alert rules, read with GetMetricData. One call carries one time range, so the
 * queries of every rule are grouped by (from, to) (rules with the same window evaluated together share
 * one) and sent up to 500 per call (GetMetricData's limit), following NextToken. A call that fails fails
 * its own queries (`ok: false` with the error), never the others; a query CloudWatch answers with a
 * status other than Complete/PartialData fails alone.
 */
export const MAX_QUERIES_PER_CALL = 500;

export class CloudWatchAlertReader {
  constructor(private readonly client: CloudWatchClient) {}

  async read(queries: readonly CloudWatchQuery[]): Promise<CloudWatchResult[]> {
    const results = new Array<CloudWatchResult>(queries.length);
    const byRange = new Map<string, number[]>();
    queries.forEach((q, i) => {
      const key = `${q.from}-${q.to}`;
      byRange.set(key, [...(byRange.get(key) ?? []), i]);
    });
    const calls: { from: number; to: number; indexes: number[] }[] = [];
    for (const indexes of byRange.values()) {
      const { from, to } = queries[indexes[0]!]!;
      for (let i = 0; i < indexes.length; i += MAX_QUERIES_PER_CALL) {
        calls.push({ from, to, indexes: indexes.slice(i, i + MAX_QUERIES_PER_CALL) });
      }
    }
    await Promise.all(
      calls.map(async ({ from, to, indexes }) => {
        try {
          const found = await this.call(
            from,
            to,
            indexes.map((i) => queries[i]!),
          );
          indexes.forEach((index, n) => {
            results[index] = found[n]!;
          });
        } catch (error) {
          const message = `${(error as Error).name}: ${(error as Error).message}`;
          for (const index of indexes) results[index] = { ok: false, error: message };
        }
      }),
    );
    return results;
  }

  private async call(from: number, to: number, queries: readonly CloudWatchQuery[]): Promise<CloudWatchResult[]> {
    const metricQueries: MetricDataQuery[] = queries.map((q, n) => ({
      Id: `q${n}`,
      MetricStat: {
        Metric: {
          Namespace: q.metric.namespace,
          MetricName: q.metric.metricName,
          Dimensions: Object.entries(q.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: q.periodSeconds,
        Stat: q.metric.stat,
      },
      ReturnData: true,
    }));
    const points = queries.map((): [number, number][] => []);
    const failed = new Map<number, string>();
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new GetMetricDataCommand({
          StartTime: new Date(from),
          EndTime: new Date(to),
          MetricDataQueries: metricQueries,
          ScanBy: 'TimestampDescending',
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const r of out.MetricDataResults ?? []) {
        const n = Number(r.Id?.slice(1));
        if (!Number.isInteger(n) || n < 0 || n >= queries.length) continue;
        if (r.StatusCode && r.StatusCode !== 'Complete' && r.StatusCode !== 'PartialData') {
          failed.set(n, `${r.StatusCode}${r.Messages?.length ? `: ${r.Messages.map((m) => m.Value).join('; ')}` : ''}`);
        }
        (r.Timestamps ?? []).forEach((t, k) => {
          const v = r.Values?.[k];
          if (v !== undefined) points[n]!.push([t.getTime(), v]);
        });
      }
      token = out.NextToken;
    } while (token);
    return points.map((p, n) =>
      failed.has(n) ? { ok: false, error: failed.get(n)! } : { ok: true, points: p.sort((a, b) => a[0] - b[0]) },
    );
  }
}
