import { get } from './client.js';

export interface ServiceSummary {
  readonly service: string;
  readonly lastSeen: number;
  readonly environments: readonly string[];
  readonly requestRate: number | null;
  readonly errorRate: number | null;
  readonly p95LatencyMs: number | null;
  readonly source: 'metrics' | 'spans' | 'none';
}

export const listServices = () => get<{ window: string; items: ServiceSummary[] }>('/v1/services');
