import { get } from './client.js';

export interface Series {
  readonly tags: Record<string, string>;
  readonly points: readonly (readonly [number, number])[];
}

export interface MetricQuery {
  readonly service: string;
  readonly name: string;
  readonly stat?: string;
  readonly from: number;
  readonly to: number;
  readonly step?: number;
  readonly tags?: string;
  readonly groupBy?: string;
}

export const queryMetric = (q: MetricQuery) =>
  get<{ from: number; to: number; step: number; series: Series[] }>('/v1/metrics/query', { ...q });

/** The metrics the SDK sends for HTTP servers; the service view's default charts. */
export const HTTP_REQUESTS = 'http.server.requests';
export const HTTP_DURATION = 'http.server.duration';
