import { mapLimit } from '../core/map-limit.js';
import { matches, type SeriesRows } from '../core/telemetry/metric-query.js';
import type { StoredSpan, TelemetryReader } from '../core/telemetry/read-ports.js';

/** Reads the rollups of every series of `service` named `name` that matches `filter`, a few at a time. */
export async function loadSeries(
  reader: TelemetryReader,
  service: string,
  name: string,
  filter: Readonly<Record<string, string>>,
  from: number,
  to: number,
): Promise<SeriesRows[]> {
  const series = (await reader.listSeries(service, name)).filter((s) => matches(s.tags, filter));
  return mapLimit(series, 16, async (s) => ({ series: s, rows: await reader.readRollups(service, s.id, from, to) }));
}

export interface TraceSummary {
  readonly traceId: string;
  readonly service: string;
  readonly name: string;
  readonly startTime: number;
  readonly durationMs: number;
  readonly status: string;
}

/** One summary per trace: its earliest entry span (the root when the root's service reports to Vigil). */
export function summariseTraces(spans: readonly StoredSpan[], limit: number): TraceSummary[] {
  const byTrace = new Map<string, StoredSpan>();
  for (const span of spans) {
    const seen = byTrace.get(span.traceId);
    if (!seen || span.startTime < seen.startTime || (span.startTime === seen.startTime && !span.parentSpanId))
      byTrace.set(span.traceId, span);
  }
  return [...byTrace.values()]
    .sort((a, b) => b.startTime - a.startTime)
    .slice(0, limit)
    .map((s) => ({
      traceId: s.traceId,
      service: s.service,
      name: s.name,
      startTime: s.startTime,
      durationMs: s.durationMs,
      status: s.status,
    }));
}
