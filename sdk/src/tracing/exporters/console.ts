import { safeStringify } from '../../internal/safe-json.js';
import type { SpanExporter } from '../state.js';

/** One JSON line per span on stdout; for development. */
export function consoleSpanExporter(write: (line: string) => void = (l) => process.stdout.write(l)): SpanExporter {
  return {
    name: 'console',
    onEnd(span) {
      write(`${safeStringify({ span: span.toWire() })}\n`);
    },
    flush: () => Promise.resolve(),
  };
}

/** Drops every span (tracing on for propagation, off for export). */
export function noopSpanExporter(): SpanExporter {
  return { name: 'none', onEnd() {}, flush: () => Promise.resolve() };
}
