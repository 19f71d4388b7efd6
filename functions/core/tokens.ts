import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from './scopes.js';

/**
 * API tokens. Only the SHA-256 hash of a token is stored. The token's public id is the first 16 hex
 * characters of that hash, so any string (including an operator-chosen admin token) has an id to look
 * it up by; the full hash is then compared in constant time.
 */
export interface TokenRecord {
  readonly id: string;
  readonly hash: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  /** Epoch ms; absent for tokens that do not expire. */
  readonly expiresAt?: number;
  /** Set for the admin token that local mode or the deploy bootstrap manages. */
  readonly bootstrap?: boolean;
}

export type TokenSummary = Omit<TokenRecord, 'hash'>;

/** Port: where token records live. */
export interface TokenStore {
  get(id: string): Promise<TokenRecord | undefined>;
  put(record: TokenRecord): Promise<void>;
  list(): Promise<TokenRecord[]>;
  delete(id: string): Promise<boolean>;
}

export const TOKEN_PREFIX = 'vgl_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenId(hash: string): string {
  return hash.slice(0, 16);
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(24).toString('base64url');
}

export function hashesMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function summarize(record: TokenRecord): TokenSummary {
  const { hash: _hash, ...rest } = record;
  return rest;
}

export interface NewToken {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly expiresInDays?: number;
}

/** Mints a token; the caller stores the record and shows the token once. */
export function mintToken(
  input: NewToken,
  now: number,
  token = generateToken(),
): { token: string; record: TokenRecord } {
  const hash = hashToken(token);
  const record: TokenRecord = {
    id: tokenId(hash),
    hash,
    name: input.name,
    scopes: [...new Set(input.scopes)],
    createdAt: now,
    ...(input.expiresInDays ? { expiresAt: now + input.expiresInDays * 86_400_000 } : {}),
  };
  return { token, record };
}

/** Resolves a presented token to its record, or undefined when unknown or expired. */
export async function resolveToken(store: TokenStore, token: string, now: number): Promise<TokenRecord | undefined> {
  const hash = hashToken(token);
  const record = await store.get(tokenId(hash));
  if (!record || !hashesMatch(record.hash, hash)) return undefined;
  if (record.expiresAt !== undefined && record.expiresAt <= now) return undefined;
  return record;
}

/**
 * Installs the operator's admin token (local mode's `VIGIL_ADMIN_TOKEN`, or the deploy-time secret) and
 * removes any earlier bootstrap token, so changing the setting rotates it.
 */
export async function installBootstrapToken(
  store: TokenStore,
  token: string,
  now: number,
  name: string,
): Promise<TokenRecord> {
  const { record } = mintToken({ name, scopes: ['admin'] }, now, token);
  for (const existing of await store.list()) {
    if (existing.bootstrap && existing.id !== record.id) await store.delete(existing.id);
  }
  const current = await store.get(record.id);
  const installed: TokenRecord = { ...record, createdAt: current?.createdAt ?? now, bootstrap: true };
  await store.put(installed);
  return installed;
}
