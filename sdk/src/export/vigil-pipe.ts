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
import type { PipeItem, WireMetric } from './wire.js';

const SECTIONS = { metric: 'metrics', log: 'logs', span: 'spans', error: 'errors' } as const;

function itemJson(item: PipeItem): string {
  if ('json' in item) return item.json;
  if (item.kind === 'span' && 'toJson' in item.data) return item.data.toJson();
  // Items are flattened to scalars when queued, so plain JSON.stringify (no replacer) is safe and
  // fast; safeStringify is the fallback for anything odd.
  try {
    return JSON.stringify(item.data) ?? 'null';
  } catch {
    return safeStringify(item.data);
  }
}

/** The `/v1/ingest` body for a batch, as a JSON string; drop counts ride along as `vigil.sdk.dropped`. */
export function buildBody(
  items: readonly PipeItem[],
  resource = getResource(),
  drops: ReadonlyArray<{ kind: string; reason: string; count: number }> = [],
): string {
  const parts: Record<'metrics' | 'logs' | 'spans' | 'errors', string[]> = {
    metrics: [],
    logs: [],
    spans: [],
    errors: [],
  };
  for (const item of items) parts[SECTIONS[item.kind]].push(itemJson(item));
  for (const drop of drops) {
    const dropped: WireMetric = {
      name: 'vigil.sdk.dropped',
      type: 'counter',
      value: drop.count,
      tags: { kind: drop.kind, reason: drop.reason },
    };
    parts.metrics.push(JSON.stringify(dropped));
  }
  let body = `{"service":${JSON.stringify(resource.serviceName)}`;
  if (resource.environment !== undefined) body += `,"environment":${JSON.stringify(resource.environment)}`;
  if (resource.version !== undefined) body += `,"version":${JSON.stringify(resource.version)}`;
  for (const section of ['metrics', 'logs', 'spans', 'errors'] as const) {
    if (parts[section].length > 0) body += `,"${section}":[${parts[section].join(',')}]`;
  }
  return `${body}}`;
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
  const body = buildBody(items, resource, drops);
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
