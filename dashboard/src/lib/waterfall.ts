/** A trace's spans as waterfall rows: depth-first under their parents, offsets relative to the trace start. */
export interface SpanLike {
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly startTime: number;
  readonly endTime: number;
}

export interface WaterfallRow<S extends SpanLike> {
  readonly span: S;
  readonly depth: number;
  /** Share of the trace (0–1) before the span starts, and its width. */
  readonly offset: number;
  readonly width: number;
}

export function waterfall<S extends SpanLike>(spans: readonly S[]): { rows: WaterfallRow<S>[]; totalMs: number } {
  if (spans.length === 0) return { rows: [], totalMs: 0 };
  const start = Math.min(...spans.map((s) => s.startTime));
  const end = Math.max(...spans.map((s) => s.endTime));
  const total = Math.max(end - start, 1);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, S[]>();
  for (const s of spans) {
    // A parent that is not in the trace (not sent, or sampled away) makes the span a root.
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const rows: WaterfallRow<S>[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.startTime - b.startTime);
    for (const span of list) {
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      rows.push({
        span,
        depth,
        offset: (span.startTime - start) / total,
        width: Math.max((span.endTime - span.startTime) / total, 0.002),
      });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return { rows, totalMs: end - start };
}
