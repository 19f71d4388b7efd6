import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 8192;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

// One randomFillSync per 8 KiB of ids: far cheaper than a crypto call per span.
function takeHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** 32 lowercase hex characters, never all zero. */
export function newTraceId(): string {
  let id = takeHex(16);
  while (id === ZERO_TRACE) id = takeHex(16);
  return id;
}

/** 16 lowercase hex characters, never all zero. */
export function newSpanId(): string {
  let id = takeHex(8);
  while (id === ZERO_SPAN) id = takeHex(8);
  return id;
}
