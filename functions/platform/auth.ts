import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import { grants, type Scope } from '../core/scopes.js';
import { resolveToken, type TokenRecord, type TokenStore } from '../core/tokens.js';

/**
 * Bearer-token authentication with scopes. Resolved tokens are cached per function instance for
 * `cacheSeconds` (a revoked token stops working within that time); unknown tokens are never cached.
 */
export interface Authenticator {
  authenticate(authorization: string | undefined, required: Scope): Promise<TokenRecord>;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

export function authenticator(store: TokenStore, options: { cacheSeconds: number; now: () => number }): Authenticator {
  const cache = new Map<string, { record: TokenRecord; until: number }>();
  return {
    async authenticate(authorization, required) {
      const token = bearerToken(authorization);
      if (!token) throw new UnauthorizedError('missing bearer token: send "Authorization: Bearer <token>"');
      const now = options.now();
      let record = cache.get(token);
      if (!record || record.until <= now) {
        cache.delete(token);
        const found = await resolveToken(store, token, now);
        if (!found) throw new UnauthorizedError('unknown, revoked or expired token');
        record = { record: found, until: now + options.cacheSeconds * 1000 };
        if (options.cacheSeconds > 0) {
          if (cache.size > 1_000) cache.clear();
          cache.set(token, record);
        }
      }
      if (record.record.expiresAt !== undefined && record.record.expiresAt <= now) {
        cache.delete(token);
        throw new UnauthorizedError('unknown, revoked or expired token');
      }
      if (!grants(record.record.scopes, required)) {
        throw new ForbiddenError(
          `this route needs the "${required}" scope; the token has: ${record.record.scopes.join(', ')}`,
        );
      }
      return record.record;
    },
  };
}
