import { vigilPipe } from '../../export/vigil-pipe.js';
import type { SpanExporter } from '../state.js';

/** Spans go through the shared `/v1/ingest` pipe; they are serialised at send time (see {@link Span.toJson}). */
export function vigilSpanExporter(): SpanExporter {
  return {
    name: 'vigil',
    onEnd(span) {
      vigilPipe.add({ kind: 'span', data: span });
    },
    flush: (timeoutMs) => vigilPipe.flush(timeoutMs),
  };
}
