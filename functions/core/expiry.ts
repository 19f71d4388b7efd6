/**
 * DynamoDB deletes expired items up to days late, and dynalite never does: every read filters them.
 * TTL attributes hold epoch seconds, as DynamoDB requires.
 */
export function isLive(item: Record<string, unknown>, nowMs: number, ttlAttribute = 'expiresAt'): boolean {
  const ttl = item[ttlAttribute];
  return typeof ttl !== 'number' || ttl * 1000 > nowMs;
}

export function ttlAfter(nowMs: number, seconds: number): number {
  return Math.floor(nowMs / 1000) + Math.ceil(seconds);
}
