import protobuf from 'protobufjs/minimal.js';
import { BadRequestError } from '../../core/errors.js';
import otlp from './otlp.generated.cjs';

/**
 * OTLP/HTTP protobuf: request bytes → the same object shape OTLP/JSON parses to (camelCase fields, 64-bit
 * integers as decimal strings, enums as numbers, ids as base64, which the mappers accept), and the answer
 * object → response bytes. Decoding uses the static code generated from the official opentelemetry-proto
 * definitions (see scripts/generate-otlp-proto.sh); unknown fields are skipped, as protobuf intends.
 */
export type ProtoSignal = 'traces' | 'metrics' | 'logs';

const services = otlp.opentelemetry.proto.collector;
const TYPES = {
  traces: {
    request: services.trace.v1.ExportTraceServiceRequest,
    response: services.trace.v1.ExportTraceServiceResponse,
    name: 'ExportTraceServiceRequest',
  },
  metrics: {
    request: services.metrics.v1.ExportMetricsServiceRequest,
    response: services.metrics.v1.ExportMetricsServiceResponse,
    name: 'ExportMetricsServiceRequest',
  },
  logs: {
    request: services.logs.v1.ExportLogsServiceRequest,
    response: services.logs.v1.ExportLogsServiceResponse,
    name: 'ExportLogsServiceRequest',
  },
} as const;

const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false } as const;

export { PROTOBUF } from './media-type.js';

export function decodeOtlpProtobuf(signal: ProtoSignal, bytes: Uint8Array): Record<string, unknown> {
  const type = TYPES[signal];
  const reader = protobuf.Reader.create(bytes);
  try {
    return type.request.toObject(type.request.decode(reader), TO_OBJECT);
  } catch (error) {
    const why =
      error instanceof RangeError && /call stack/i.test(error.message)
        ? 'messages are nested too deeply'
        : (error as Error).message;
    throw new BadRequestError(
      `body is not a protobuf opentelemetry.proto.collector.${signal === 'traces' ? 'trace' : signal}.v1.${type.name}: at byte ${reader.pos} of ${bytes.length}: ${why}`,
    );
  }
}

export function encodeOtlpProtobuf(signal: ProtoSignal, answer: Record<string, unknown>): Uint8Array {
  const type = TYPES[signal].response;
  return type.encode(type.fromObject(answer)).finish();
}
