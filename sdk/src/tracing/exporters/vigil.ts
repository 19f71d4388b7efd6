import { vigilPipe } from '../../export/vigil-pipe.js';
import type { SpanExporter } from '../state.js';

/** Spans go through the shared `/v1/ingest` pipe; conversion happens at flush time. */
export function vigilSpanExporter(): SpanExporter {
  return {
    name: 'vigil',
    onEnd(span) {
      vigilPipe.add({ kind: 'span', data: span });
    },
    flush: (timeoutMs) => vigilPipe.flush(timeoutMs),
  };
}
