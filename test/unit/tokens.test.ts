import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '../../functions/core/errors.js';
import {
  hashesMatch,
  hashToken,
  installBootstrapToken,
  mintToken,
  resolveToken,
  type TokenRecord,
  type TokenStore,
  tokenId,
} from '../../functions/core/tokens.js';
import { authenticator, bearerToken } from '../../functions/platform/auth.js';

function memoryStore(): TokenStore & { items: Map<string, TokenRecord>; gets: number } {
  const items = new Map<string, TokenRecord>();
  const store = {
    items,
    gets: 0,
    get: async (id: string) => {
      store.gets++;
      return items.get(id);
    },
    put: async (r: TokenRecord) => void items.set(r.id, r),
    list: async () => [...items.values()],
    delete: async (id: string) => items.delete(id),
  };
  return store;
}

describe('tokens', () => {
  it('stores only the hash; the id is a prefix of the hash', () => {
    const { token, record } = mintToken({ name: 'ci', scopes: ['read', 'read', 'ingest'] }, 1_000);
    expect(token).toMatch(/^vgl_[\w-]{32}$/);
    expect(record.hash).toBe(hashToken(token));
    expect(record.id).toBe(tokenId(record.hash));
    expect(JSON.stringify(record)).not.toContain(token);
    expect(record.scopes).toEqual(['read', 'ingest']);
  });

  it('resolves a token only when the full hash matches and it has not expired', async () => {
    const store = memoryStore();
    const { token, record } = mintToken({ name: 'x', scopes: ['read'], expiresInDays: 1 }, 0);
    await store.put(record);
    expect((await resolveToken(store, token, 1_000))?.id).toBe(record.id);
    expect(await resolveToken(store, `${token}x`, 1_000)).toBeUndefined();
    expect(await resolveToken(store, token, 86_400_000)).toBeUndefined();
    // Same id prefix, different hash: rejected by the constant-time comparison.
    await store.put({ ...record, hash: `${record.hash.slice(0, 16)}${'0'.repeat(48)}` });
    expect(await resolveToken(store, token, 1_000)).toBeUndefined();
  });

  it('compares hashes of different lengths as unequal without throwing', () => {
    expect(hashesMatch('abcd', 'abcd')).toBe(true);
    expect(hashesMatch('abcd', 'abcdef')).toBe(false);
    expect(hashesMatch('', '')).toBe(false);
  });

  it('replaces the previous bootstrap token when the admin token changes', async () => {
    const store = memoryStore();
    const first = await installBootstrapToken(store, 'first', 1, 'admin');
    const again = await installBootstrapToken(store, 'first', 5, 'admin');
    expect(again.createdAt).toBe(1);
    const second = await installBootstrapToken(store, 'second', 9, 'admin');
    expect([...store.items.keys()]).toEqual([second.id]);
    expect(first.id).not.toBe(second.id);
    expect(second).toMatchObject({ scopes: ['admin'], bootstrap: true });
  });
});

describe('authenticator', () => {
  it.each([
    [undefined, 'missing bearer token'],
    ['Basic abc', 'missing bearer token'],
    ['Bearer', 'missing bearer token'],
    ['Bearer unknown', 'unknown, revoked or expired token'],
  ])('answers 401 for %s', async (header, message) => {
    const auth = authenticator(memoryStore(), { cacheSeconds: 0, now: () => 0 });
    const err = await auth.authenticate(header, 'read').catch((e) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err.message).toContain(message);
  });

  it('answers 403 when the scope is missing; admin implies every scope', async () => {
    const store = memoryStore();
    const reader = mintToken({ name: 'r', scopes: ['read'] }, 0);
    const admin = mintToken({ name: 'a', scopes: ['admin'] }, 0);
    await store.put(reader.record);
    await store.put(admin.record);
    const auth = authenticator(store, { cacheSeconds: 0, now: () => 0 });
    expect((await auth.authenticate(`Bearer ${reader.token}`, 'read')).id).toBe(reader.record.id);
    await expect(auth.authenticate(`Bearer ${reader.token}`, 'write')).rejects.toBeInstanceOf(ForbiddenError);
    for (const scope of ['ingest', 'read', 'write', 'verify', 'admin'] as const) {
      expect((await auth.authenticate(`bearer ${admin.token}`, scope)).id).toBe(admin.record.id);
    }
  });

  it('caches a resolved token for cacheSeconds, then looks it up again', async () => {
    const store = memoryStore();
    const t = mintToken({ name: 'r', scopes: ['read'] }, 0);
    await store.put(t.record);
    let now = 0;
    const auth = authenticator(store, { cacheSeconds: 30, now: () => now });
    await auth.authenticate(`Bearer ${t.token}`, 'read');
    await auth.authenticate(`Bearer ${t.token}`, 'read');
    expect(store.gets).toBe(1);
    await store.delete(t.record.id);
    now = 30_001;
    await expect(auth.authenticate(`Bearer ${t.token}`, 'read')).rejects.toBeInstanceOf(UnauthorizedError);
    expect(store.gets).toBe(2);
  });

  it('parses bearer headers strictly', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
