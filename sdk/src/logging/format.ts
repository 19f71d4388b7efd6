import { safeStringify } from '../internal/safe-json.js';

/** A log line before formatting. */
export interface LogRecord {
  readonly timestamp: number;
  readonly level: string;
  readonly service: string;
  readonly message: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly attributes: Record<string, unknown>;
}

/** One JSON object per line: `timestamp`, `level`, `service`, `message`, trace ids, then attributes. */
export function formatJson(record: LogRecord): string {
  const { attributes, timestamp, traceId, spanId, ...core } = record;
  const line: Record<string, unknown> = { timestamp: new Date(timestamp).toISOString(), ...core };
  if (traceId) line.traceId = traceId;
  if (spanId) line.spanId = spanId;
  for (const key in attributes) if (!(key in line)) line[key] = attributes[key];
  return `${safeStringify(line)}\n`;
}

/** Human-readable: `2025-01-01T00:00:00.000Z INFO  [svc] message key=value …`. */
export function formatPretty(record: LogRecord): string {
  let out = `${new Date(record.timestamp).toISOString()} ${record.level.toUpperCase().padEnd(5)} [${record.service}] ${record.message}`;
  for (const [k, v] of Object.entries(record.attributes)) {
    out += ` ${k}=${typeof v === 'string' ? v : safeStringify(v)}`;
  }
  if (record.traceId) out += ` traceId=${record.traceId}`;
  return `${out}\n`;
}
