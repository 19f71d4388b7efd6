import { get } from './client.js';

export interface LogLine {
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly timestamp: number;
}

export interface LogSearch {
  readonly service?: string;
  readonly level?: string;
  readonly q?: string;
  readonly traceId?: string;
  readonly from: number;
  readonly to: number;
  readonly limit?: number;
  readonly cursor?: string;
}

export const searchLogs = (s: LogSearch) => get<{ items: LogLine[]; nextCursor: string | null }>('/v1/logs', { ...s });
