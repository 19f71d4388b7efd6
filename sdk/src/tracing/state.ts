import type { Span } from './span.js';

/** Receives every sampled span when it ends. */
export interface SpanExporter {
  readonly name: string;
  onEnd(span: Span): void;
  flush(timeoutMs?: number): Promise<void>;
  shutdown?(timeoutMs: number): Promise<void>;
}

/** Receives every exception recorded on a span (sampled or not). */
export type ErrorSink = (span: Span, error: unknown, timestamp: number) => void;

export const tracerState = {
  sampleRate: 1,
  exporter: undefined as SpanExporter | undefined,
  errorSink: undefined as ErrorSink | undefined,
};
