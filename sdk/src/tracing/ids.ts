import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hex = '';
let offset = 0;

/**
 * `chars` random lowercase hex characters. One randomFillSync and one hex conversion per 4 KiB
 * of randomness; each id is then a slice of that string, far cheaper than a crypto call per span.
 */
function takeHex(chars: number): string {
  if (offset + chars > hex.length) {
    randomFillSync(pool);
    hex = pool.toString('hex');
    offset = 0;
  }
  const id = hex.slice(offset, offset + chars);
  offset += chars;
  return id;
}

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** 32 lowercase hex characters, never all zero. */
export function newTraceId(): string {
  let id = takeHex(32);
  while (id === ZERO_TRACE) id = takeHex(32);
  return id;
}

/** 16 lowercase hex characters, never all zero. */
export function newSpanId(): string {
  let id = takeHex(16);
  while (id === ZERO_SPAN) id = takeHex(16);
  return id;
}
