import { getExportSettings, getResource } from '../../config/resource.js';
import { Batcher } from '../../export/batcher.js';
import { postJson } from '../../export/http-sender.js';
import { countDrop } from '../../internal/diagnostics.js';
import { safeStringify } from '../../internal/safe-json.js';
import { toOtlpTraces } from '../otlp-format.js';
import type { Span } from '../span.js';
import type { SpanExporter } from '../state.js';

/** OTLP/HTTP JSON to `{endpoint}/v1/traces`, batched and retried like the Vigil pipe. */
export function otlpSpanExporter(url: string, headers: Readonly<Record<string, string>>): SpanExporter {
  const batcher = new Batcher<Span>({
    name: 'otlp traces',
    settings: getExportSettings,
    send: (spans, _key, timeoutMs) =>
      postJson(url, safeStringify(toOtlpTraces(spans, getResource())), { ...headers }, timeoutMs),
    onDropped: (items, reason) => countDrop('span', reason, items.length),
  });
  return {
    name: 'otlp',
    onEnd: (span) => {
      batcher.add(span);
    },
    flush: (timeoutMs) => batcher.flush(timeoutMs),
    shutdown: (timeoutMs) => batcher.shutdown(timeoutMs),
  };
}
