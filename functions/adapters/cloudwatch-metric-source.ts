import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchSeries, CloudWatchSource } from '../core/verification/ports.js';
import type { CloudWatchMetric } from '../core/verification/request-schema.js';
import { CloudWatchAlertReader } from './alert-data-cloudwatch.js';

/**
 * `"source": "cloudwatch"` metrics of a verification, read through the one GetMetricData reader that alert
 * rules use (batching, paging, per-query status): one query, one value per period.
 */
export class CloudWatchMetricSource implements CloudWatchSource {
  private readonly reader: CloudWatchAlertReader;

  constructor(client: CloudWatchClient) {
    this.reader = new CloudWatchAlertReader(client);
  }

  async series(
    metric: CloudWatchMetric,
    from: number,
    to: number,
    dimensions?: Readonly<Record<string, string>>,
  ): Promise<CloudWatchSeries> {
    const [result] = await this.reader.read([
      {
        metric: {
          source: 'cloudwatch',
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: { ...(dimensions ?? metric.dimensions) },
          stat: metric.stat,
        },
        from,
        to,
        periodSeconds: metric.periodSeconds,
      },
    ]);
    if (!result?.ok)
      throw new Error(`GetMetricData failed: ${result?.ok === false ? result.error : 'no result'}`);
    const points = result.points.filter(([, value]) => Number.isFinite(value));
    return { timestamps: points.map(([t]) => t), values: points.map(([, value]) => value) };
  }
}
