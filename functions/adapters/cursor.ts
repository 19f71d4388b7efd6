import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../core/errors.js';

/**
 * Paging cursors: a position (a DynamoDB key, or a key and an hour partition) as base64url JSON, followed by
 * an HMAC-SHA256 tag over the position and the query it belongs to (`scope`, such as `H#{targetId}`). A
 * cursor is only accepted back for the same kind of query with the same key: a forged, tampered or
 * transplanted cursor is a 400 naming `cursor`, never a DynamoDB error. The key is the `cursorKey` setting
 * (the same for every instance of a deployment); without it each instance draws one at start, which suits
 * one local process (cursors then do not survive a restart).
 */
export interface CursorCodec {
  encode(scope: string, position: Record<string, unknown>): string;
  /** The position, or undefined when no cursor was given; throws a ValidationError for any other cursor. */
  decode(scope: string, cursor: string | undefined): Record<string, unknown> | undefined;
}

const TAG_BYTES = 16;
const MAX_CURSOR_CHARS = 2_000;

export function invalidCursor(path = 'query.cursor'): ValidationError {
  return new ValidationError([{ path, message: 'is not a cursor this API returned for this query' }]);
}

export function cursorCodec(key: string | Buffer = randomBytes(32)): CursorCodec {
  const tag = (scope: string, payload: string) =>
    createHmac('sha256', key).update(scope).update('\n').update(payload).digest().subarray(0, TAG_BYTES);
  return {
    encode(scope, position) {
      const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
      return `${payload}.${tag(scope, payload).toString('base64url')}`;
    },
    decode(scope, cursor) {
      if (cursor === undefined || cursor === '') return undefined;
      if (cursor.length > MAX_CURSOR_CHARS) throw invalidCursor();
      const [payload, mac, extra] = cursor.split('.');
      if (!payload || !mac || extra !== undefined) throw invalidCursor();
      const given = Buffer.from(mac, 'base64url');
      const expected = tag(scope, payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
      try {
        const position: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (position && typeof position === 'object' && !Array.isArray(position)) {
          return position as Record<string, unknown>;
        }
      } catch {
        // fall through: a tag over a payload that is not a position was never made by encode()
      }
      throw invalidCursor();
    },
  };
}
