import { getExportSettings, getResource } from '../config/resource.js';
import {
  countDrop,
  DropReason,
  restoreUnreportedDrops,
  takeUnreportedDrops,
  warnOnce,
} from '../internal/diagnostics.js';
import { safeStringify } from '../internal/safe-json.js';
import { registerFlushable } from '../lifecycle/shutdown.js';
import { Batcher } from './batcher.js';
import { postJson, type SendResult } from './http-sender.js';
import type { IngestEnvelope, PipeItem, WireError, WireLog, WireMetric, WireSpan } from './wire.js';

/** Builds the `/v1/ingest` body for a batch; drop counts ride along as `vigil.sdk.dropped`. */
export function buildEnvelope(
  items: readonly PipeItem[],
  resource = getResource(),
  drops: ReadonlyArray<{ kind: string; reason: string; count: number }> = [],
): IngestEnvelope {
  const metrics: WireMetric[] = [];
  const logs: WireLog[] = [];
  const spans: WireSpan[] = [];
  const errors: WireError[] = [];
  for (const item of items) {
    if (item.kind === 'metric') metrics.push(item.data);
    else if (item.kind === 'log') logs.push(item.data);
    else if (item.kind === 'span') spans.push('toWire' in item.data ? item.data.toWire() : item.data);
    else errors.push(item.data);
  }
  for (const drop of drops) {
    metrics.push({
      name: 'vigil.sdk.dropped',
      type: 'counter',
      value: drop.count,
      tags: { kind: drop.kind, reason: drop.reason },
    });
  }
  return {
    service: resource.serviceName,
    ...(resource.environment === undefined ? {} : { environment: resource.environment }),
    ...(resource.version === undefined ? {} : { version: resource.version }),
    ...(metrics.length ? { metrics } : {}),
    ...(logs.length ? { logs } : {}),
    ...(spans.length ? { spans } : {}),
    ...(errors.length ? { errors } : {}),
  };
}

function countItems(items: readonly PipeItem[], reason: DropReason): void {
  let m = 0;
  let l = 0;
  let s = 0;
  let e = 0;
  for (const item of items) {
    if (item.kind === 'metric') m++;
    else if (item.kind === 'log') l++;
    else if (item.kind === 'span') s++;
    else e++;
  }
  countDrop('metric', reason, m);
  countDrop('log', reason, l);
  countDrop('span', reason, s);
  countDrop('error', reason, e);
}

async function send(items: readonly PipeItem[], key: string, timeoutMs: number): Promise<SendResult> {
  const resource = getResource();
  const drops = takeUnreportedDrops();
  const envelope = buildEnvelope(items, resource, drops);
  // Items are flattened to scalars when queued, so plain JSON.stringify (no replacer) is safe and
  // several times faster on large batches; safeStringify is the fallback for anything odd.
  let body: string;
  try {
    body = JSON.stringify(envelope);
  } catch {
    body = safeStringify(envelope);
  }
  const headers: Record<string, string> = { 'idempotency-key': key };
  if (resource.token) headers.authorization = `Bearer ${resource.token}`;
  else warnOnce('no-token', 'no VIGIL_TOKEN / token option: sending without Authorization');
  const result = await postJson(`${resource.endpoint}/v1/ingest`, body, headers, timeoutMs);
  if (!result.ok) restoreUnreportedDrops(drops);
  else reportRejected(result.body);
  return result;
}

/** The server may accept a batch but reject some items; those are counted as dropped. */
function reportRejected(body: unknown): void {
  const rejected = (body as { rejected?: Array<{ path?: string; reason?: string }> } | undefined)?.rejected;
  if (!Array.isArray(rejected) || rejected.length === 0) return;
  for (const r of rejected) {
    const kind = r.path?.split('[')[0];
    const mapped = kind === 'metrics' ? 'metric' : kind === 'logs' ? 'log' : kind === 'spans' ? 'span' : 'error';
    countDrop(mapped, DropReason.rejected);
  }
  warnOnce(
    'partial-reject',
    `Vigil rejected ${rejected.length} item(s), e.g. ${rejected[0]?.path}: ${rejected[0]?.reason}`,
  );
}

/** The shared batch pipe to Vigil's `/v1/ingest` for metrics, logs, spans and errors. */
export const vigilPipe = new Batcher<PipeItem>({
  name: 'vigil ingest',
  settings: getExportSettings,
  send,
  onDropped: countItems,
  weight: (item) => (item.kind === 'metric' && item.data.values ? item.data.values.length : 1),
  // Vigil rejects batches over 10,000 items (histogram values each count); stay well below.
  maxBatchWeight: 5000,
});

registerFlushable({
  name: 'vigil-pipe',
  stage: 100,
  flush: (timeoutMs) => vigilPipe.flush(timeoutMs),
  shutdown: (timeoutMs) => vigilPipe.shutdown(timeoutMs),
});
