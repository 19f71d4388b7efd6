import type { IncomingMessage, ServerResponse } from 'node:http';
import { warnOnce } from '../../internal/diagnostics.js';
import { Counter } from '../counter.js';
import { Gauge } from '../gauge.js';
import { registry } from '../registry.js';
import { metricsState } from '../state.js';
import type { MetricsBackend } from './backend.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const UNIT_SUFFIX: Readonly<Record<string, string>> = {
  ms: 'seconds',
  s: 'seconds',
  bytes: 'bytes',
  By: 'bytes',
  '%': 'percent',
};

/**
 * Prometheus wants base units (https://prometheus.io/docs/practices/naming/#base-units): a duration recorded
 * in milliseconds is exposed in seconds. Values are divided, not multiplied by 0.001, so 250 ms reads 0.25.
 */
const UNIT_DIVISOR: Readonly<Record<string, number>> = { ms: 1_000 };

/** The divisor that turns a value recorded in `unit` into Prometheus' base unit. */
export function prometheusUnitDivisor(unit: string | undefined): number {
  return (unit && UNIT_DIVISOR[unit]) || 1;
}

/** `[a-zA-Z_:][a-zA-Z0-9_:]*` from a Vigil name, with the unit and `_total` suffixes Prometheus expects. */
export function prometheusName(name: string, type: string, unit?: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (!/^[a-zA-Z_:]/.test(out)) out = `_${out}`;
  const suffix = unit ? (UNIT_SUFFIX[unit] ?? unit.replace(/[^a-zA-Z0-9_]/g, '_')) : undefined;
  // A name that already says milliseconds (`latency_ms`) is renamed to the unit it is exposed in.
  if (unit === 'ms') out = out.replace(/_(ms|millis|milliseconds)$/, '');
  if (suffix && !out.endsWith(`_${suffix}`)) out += `_${suffix}`;
  if (type === 'counter' && !out.endsWith('_total')) out += '_total';
  return out;
}

/** `[a-zA-Z_][a-zA-Z0-9_]*`, never starting with the reserved `__`. */
export function prometheusLabelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (!/^[a-zA-Z_]/.test(out)) out = `_${out}`;
  if (out.startsWith('__')) out = `x${out}`;
  return out;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A description is written for the unit it was recorded in; in seconds it says so, and it is never empty. */
function helpText(description: string, unit: string | undefined): string {
  const text = description.trim() || 'No description given';
  return unit === 'ms' ? text.replace(/\bin milliseconds\b/g, 'in seconds') : text;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number, divisor = 1): string {
  if (divisor !== 1 && Number.isFinite(value)) value = value / divisor;
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

function labelString(tags: Readonly<Record<string, string>>, extra?: string, histogram = false): string {
  const merged: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(metricsState.defaultTags)) merged[prometheusLabelName(k)] = v;
  for (const [k, v] of Object.entries(tags)) merged[prometheusLabelName(k)] = v;
  // A histogram's own `le` wins; a tag of that name is kept as `exported_le`, as Prometheus renames clashes.
  if (histogram && merged.le !== undefined) {
    merged.exported_le = merged.le;
    delete merged.le;
  }
  const parts = Object.entries(merged).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/**
 * Every metric in the Prometheus text exposition format (0.0.4), with cumulative totals.
 * @example
 * res.setHeader('content-type', PROMETHEUS_CONTENT_TYPE).end(renderPrometheus());
 */
export function renderPrometheus(): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of registry.values()) {
    const name = prometheusName(family.fullName().replace(/\./g, '_'), family.type, family.unit);
    if (seen.has(name)) {
      warnOnce(`prom-dup:${name}`, `two metrics map to Prometheus name ${name}; only the first is exposed`);
      continue;
    }
    seen.add(name);
    const d = prometheusUnitDivisor(family.unit);
    const samples: string[] = [];
    if (family instanceof Counter) {
      for (const s of family.series.values()) samples.push(`${name}${labelString(s.tags)} ${formatValue(s.total, d)}`);
    } else if (family instanceof Gauge) {
      family.refresh();
      for (const s of family.series.values()) {
        if (s.touched) samples.push(`${name}${labelString(s.tags)} ${formatValue(s.value, d)}`);
      }
    } else {
      for (const s of family.series.values()) {
        let cumulative = 0;
        family.bounds.forEach((bound, i) => {
          cumulative += s.bucketCounts[i] ?? 0;
          samples.push(`${name}_bucket${labelString(s.tags, `le="${formatValue(bound, d)}"`, true)} ${cumulative}`);
        });
        samples.push(`${name}_bucket${labelString(s.tags, 'le="+Inf"', true)} ${s.count}`);
        samples.push(`${name}_sum${labelString(s.tags, undefined, true)} ${formatValue(s.sum, d)}`);
        samples.push(`${name}_count${labelString(s.tags, undefined, true)} ${s.count}`);
      }
    }
    // A family without samples gets no HELP/TYPE lines either: an empty family is noise to a scraper.
    if (samples.length === 0) continue;
    lines.push(
      `# HELP ${name} ${escapeHelp(helpText(family.description, family.unit))}`,
      `# TYPE ${name} ${family.type}`,
    );
    lines.push(...samples);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * A Node `http` handler (also works as an Express handler) that serves {@link renderPrometheus}.
 * @example
 * http.createServer((req, res) => req.url === '/metrics' ? metricsHandler(req, res) : app(req, res));
 */
export function metricsHandler(_req: IncomingMessage, res: ServerResponse): void {
  let body: string;
  try {
    body = renderPrometheus();
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${String(error)}`);
    return;
  }
  res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(body);
}

/** Pull-only: Prometheus scrapes `/metrics`. */
export function prometheusBackend(): MetricsBackend {
  return { name: 'prometheus' };
}
