import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchSeries, CloudWatchSource } from '../core/verification/ports.js';
import type { CloudWatchMetric } from '../core/verification/request-schema.js';

/**
 * `"source": "cloudwatch"` metrics through `GetMetricData`: one query, one value per period, every page
 * read (a verification's window is at most an hour, 60 one-minute values).
 */
export class CloudWatchMetricSource implements CloudWatchSource {
  constructor(private readonly client: CloudWatchClient) {}

  async series(
    metric: CloudWatchMetric,
    from: number,
    to: number,
    dimensions?: Readonly<Record<string, string>>,
  ): Promise<CloudWatchSeries> {
    const dims = dimensions ?? metric.dimensions;
    const query: MetricDataQuery = {
      Id: 'm0',
      MetricStat: {
        Metric: {
          Namespace: metric.namespace,
          MetricName: metric.metricName,
          Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: metric.periodSeconds,
        Stat: metric.stat,
      },
      ReturnData: true,
    };
    const timestamps: number[] = [];
    const values: number[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new GetMetricDataCommand({
          MetricDataQueries: [query],
          StartTime: new Date(from),
          EndTime: new Date(to),
          ScanBy: 'TimestampAscending',
          ...(token ? { NextToken: token } : {}),
        }),
      );
      const result = out.MetricDataResults?.find((r) => r.Id === 'm0');
      (result?.Timestamps ?? []).forEach((t, i) => {
        const value = result?.Values?.[i];
        if (value !== undefined && Number.isFinite(value)) {
          timestamps.push(t.getTime());
          values.push(value);
        }
      });
      token = out.NextToken;
    } while (token);
    return { timestamps, values };
  }
}
