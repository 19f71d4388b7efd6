import { get } from './client.js';

export interface ErrorGroup {
  readonly fingerprint: string;
  readonly service: string;
  readonly type: string;
  readonly message: string;
  readonly frames: readonly string[];
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly versions: readonly string[];
  readonly environments: readonly string[];
}

export const listErrors = (q: { service?: string; from: number; to: number }) =>
  get<{ items: ErrorGroup[] }>('/v1/errors', { ...q });
