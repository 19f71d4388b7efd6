import { FIXED_LIMITS } from './limits.js';
import type { LogLevel } from './model.js';
import {
  anyValue,
  asArray,
  asObject,
  attributes,
  mergeAttributes,
  type NativeBatch,
  nanosToMs,
  nativeBatch,
  otlpId,
  resourceStamp,
} from './otlp-common.js';

/** OTLP `ExportLogsServiceRequest` (JSON) → one native batch per resource. */
export function levelOf(severityNumber: unknown, severityText: unknown): LogLevel {
  const n = Number(severityNumber);
  if (Number.isInteger(n) && n >= 1 && n <= 24) {
    return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)]!;
  }
  const text = typeof severityText === 'string' ? severityText.toLowerCase() : '';
  if (text.startsWith('warn')) return 'warn';
  if (text.startsWith('err')) return 'error';
  if (text === 'critical' || text === 'fatal') return 'fatal';
  if (text === 'trace' || text === 'debug') return text;
  return 'info';
}

export function mapOtlpLogs(body: unknown): NativeBatch[] {
  const batches: NativeBatch[] = [];
  for (const rl of asArray(asObject(body)?.resourceLogs)) {
    const stamp = resourceStamp(asObject(rl)?.resource);
    const logs: unknown[] = [];
    for (const sl of asArray(asObject(rl)?.scopeLogs)) {
      for (const raw of asArray(asObject(sl)?.logRecords)) {
        const record = asObject(raw) ?? {};
        const body = anyValue(record.body, FIXED_LIMITS.messageLength);
        const traceId = otlpId(record.traceId, 16);
        const spanId = otlpId(record.spanId, 8);
        logs.push({
          timestamp: nanosToMs(record.timeUnixNano) ?? nanosToMs(record.observedTimeUnixNano),
          level: levelOf(record.severityNumber, record.severityText),
          message: body === undefined ? '' : String(body),
          attributes: mergeAttributes(attributes(record.attributes), stamp.resource, FIXED_LIMITS.attributeCount),
          ...(traceId ? { traceId } : {}),
          ...(spanId ? { spanId } : {}),
        });
      }
    }
    if (logs.length) batches.push({ ...nativeBatch(stamp), logs });
  }
  return batches;
}
