import type { MetricPoint } from '../collect.js';

export const MetricsBackendName = ['vigil', 'prometheus', 'statsd', 'emf', 'console'] as const;
export type MetricsBackendName = (typeof MetricsBackendName)[number];

/** Where collected points go. Prometheus is pull-only and has no `push`. */
export interface MetricsBackend {
  readonly name: MetricsBackendName;
  push?(points: readonly MetricPoint[]): void;
  /** False while the destination is failing: collection waits and counters keep aggregating in memory. */
  accepting?(): boolean;
  flush?(timeoutMs?: number): Promise<void>;
  close?(): Promise<void>;
}
