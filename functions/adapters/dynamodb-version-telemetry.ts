import type { TelemetryReader } from '../core/telemetry/read-ports.js';
import type { SeriesInfo } from '../core/telemetry/rollup-plan.js';
import { bucketRank, bucketValue } from '../core/telemetry/sketch.js';
import type {
  ErrorGroupSource,
  Histogram,
  NewErrorCandidate,
  SeriesFilter,
  VersionTelemetry,
} from '../core/verification/ports.js';

/**
 * Per-version reads of Vigil's rollups. Ingest tags every series with `environment` and (when the sender
 * gives one) `version` (the SDK's `version`, OTLP's `service.version`), so a version's data is the series of
 * a metric whose tags carry it, merged over their rollup steps: no extra per-version rollup is written.
 * A series is an error series when it is tagged `error=true` or with a 5xx status
 * (`http.response.status_code`, `http.status_code`, `status_code`, `status`).
 */
const STATUS_TAGS = ['http.response.status_code', 'http.status_code', 'status_code', 'status'] as const;

export function isErrorSeries(tags: Readonly<Record<string, string>>): boolean {
  if (tags.error === 'true') return true;
  return STATUS_TAGS.some((t) => /^5\d\d$/.test(tags[t] ?? ''));
}

export class DynamoDbVersionTelemetry implements VersionTelemetry, ErrorGroupSource {
  readonly stats = { seriesQueries: 0, rollupQueries: 0 };

  constructor(
    private readonly reader: TelemetryReader,
    /** Rollup resolution (`VIGIL_ROLLUP_STEP_SECONDS`): a window's first step starts at or before `from`. */
    private readonly stepSeconds: number,
  ) {}

  private async series(metric: string, f: SeriesFilter): Promise<SeriesInfo[]> {
    this.stats.seriesQueries++;
    const all = await this.reader.listSeries(f.service, metric);
    return all.filter(
      (s) =>
        s.name === metric &&
        (s.tags.environment ?? 'default') === f.environment &&
        (f.version === undefined || s.tags.version === f.version),
    );
  }

  private async rollups(s: SeriesInfo, f: SeriesFilter) {
    this.stats.rollupQueries++;
    const step = this.stepSeconds * 1_000;
    return this.reader.readRollups(f.service, s.id, Math.floor(f.from / step) * step, f.to);
  }

  async hasData(metric: string, f: SeriesFilter): Promise<boolean> {
    for (const s of await this.series(metric, f)) {
      const rows = await this.rollups(s, f);
      if (rows.some((r) => r.count > 0)) return true;
    }
    return false;
  }

  async histogram(metric: string, f: SeriesFilter): Promise<Histogram> {
    const buckets = new Map<string, number>();
    let count = 0;
    let errors = 0;
    const series = await this.series(metric, f);
    const rows = await Promise.all(series.map((s) => this.rollups(s, f)));
    series.forEach((s, i) => {
      for (const row of rows[i] ?? []) {
        count += row.count;
        if (isErrorSeries(s.tags)) errors += row.count;
        for (const [k, n] of row.buckets) buckets.set(k, (buckets.get(k) ?? 0) + n);
      }
    });
    const ordered = [...buckets.entries()].filter(([, n]) => n > 0).sort((a, b) => bucketRank(a[0]) - bucketRank(b[0]));
    const unit = series[0]?.unit;
    return {
      count,
      errors,
      values: ordered.map(([k]) => bucketValue(k)),
      weights: ordered.map(([, n]) => n),
      describe: `${metric} observations${unit ? ` in ${unit}` : ''}${f.version ? ` of version ${f.version}` : ''}, bucketed at ±1%`,
    };
  }

  async total(metric: string, f: SeriesFilter): Promise<number> {
    const series = await this.series(metric, f);
    const rows = await Promise.all(series.map((s) => this.rollups(s, f)));
    let total = 0;
    series.forEach((s, i) => {
      for (const row of rows[i] ?? []) total += s.type === 'counter' ? row.sum : row.count;
    });
    return total;
  }

  async groups(service: string): Promise<NewErrorCandidate[]> {
    const groups = await this.reader.errorGroups(service);
    return groups.map((g) => ({
      fingerprint: g.fingerprint,
      type: g.type,
      message: g.message,
      count: g.count,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      versions: g.versions,
    }));
  }
}
