import { countRepair, RepairReason } from '../internal/diagnostics.js';

/** The part of a span that crosses process boundaries. */
export interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  readonly traceState?: string;
}

export type ParseStatus = 'absent' | 'valid' | 'repaired' | 'invalid';

export interface ParsedTraceparent {
  readonly status: ParseStatus;
  readonly context?: SpanContext;
}

const HEX = /^[0-9a-f]+$/;
const ABSENT: ParsedTraceparent = Object.freeze({ status: 'absent' });
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parses a W3C `traceparent` header. Uppercase hex and surrounding whitespace are repaired
 * (counted); anything else malformed gives `invalid` (counted) and the caller starts a new trace.
 * Never throws.
 * @example
 * const { context } = parseTraceparent(req.headers.traceparent, req.headers.tracestate);
 */
export function parseTraceparent(header: unknown, tracestate?: unknown): ParsedTraceparent {
  let raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw === null || raw === '') return ABSENT;
  if (typeof raw !== 'string') return invalid();
  let repaired = Array.isArray(header);
  const trimmed = raw.trim();
  if (trimmed !== raw) repaired = true;
  raw = trimmed.toLowerCase();
  if (raw !== trimmed) repaired = true;
  const text = raw as string;
  const parts = text.split('-');
  if (parts.length < 4) return invalid();
  const [version, traceId, spanId, flags] = parts as [string, string, string, string];
  if (version.length !== 2 || !HEX.test(version) || version === 'ff') return invalid();
  // Version 00 has exactly four fields; later versions may append more, which we ignore.
  if (version === '00' && parts.length !== 4) return invalid();
  if (traceId.length !== 32 || !HEX.test(traceId) || traceId === ZERO_TRACE) return invalid();
  if (spanId.length !== 16 || !HEX.test(spanId) || spanId === ZERO_SPAN) return invalid();
  if (flags.length !== 2 || !HEX.test(flags)) return invalid();
  if (repaired) countRepair(RepairReason.traceparent);
  const traceState = sanitizeTracestate(tracestate);
  return {
    status: repaired ? 'repaired' : 'valid',
    context: {
      traceId,
      spanId,
      sampled: (Number.parseInt(flags, 16) & 1) === 1,
      ...(traceState ? { traceState } : {}),
    },
  };
}

function invalid(): ParsedTraceparent {
  countRepair(RepairReason.invalidTraceparent);
  return { status: 'invalid' };
}

const MEMBER =
  /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_MEMBERS = 32;

/**
 * A `tracestate` value with invalid and duplicate members removed and at most 32 members kept;
 * undefined when nothing valid remains.
 */
export function sanitizeTracestate(header: unknown): string | undefined {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const kept: string[] = [];
  const keys = new Set<string>();
  let dropped = false;
  for (const part of raw.split(',')) {
    const member = part.trim();
    if (member === '') continue;
    const key = member.slice(0, member.indexOf('='));
    if (!MEMBER.test(member) || keys.has(key) || kept.length >= MAX_MEMBERS) {
      dropped = true;
      continue;
    }
    keys.add(key);
    kept.push(member);
  }
  if (dropped) countRepair(RepairReason.tracestate);
  return kept.length ? kept.join(',') : undefined;
}

/** `00-<trace>-<span>-<flags>`. */
export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}
