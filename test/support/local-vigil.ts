import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from '../../functions/core/scopes.js';
import { type LocalOptions, type LocalVigil, startLocal } from '../../lib/local/server.js';

/**
 * Starts local mode in this test process: dynalite in memory (or in a temp dir), the gateway on a free
 * loopback port, the real handlers. Each vitest file runs in its own worker, so each gets its own Vigil.
 */
export interface TestVigil extends LocalVigil {
  /** fetch relative to the Vigil URL; `token` defaults to the admin token. */
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  mintToken(scopes: Scope[], name?: string): Promise<string>;
}

export async function startTestVigil(
  env: Record<string, string> = {},
  options: { disk?: string; functions?: LocalOptions['functions']; clock?: () => number } = {},
): Promise<TestVigil> {
  const vigil = await startLocal({
    memory: !options.disk,
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      // In memory nothing is written: the directory is never created.
      VIGIL_DATA_DIR: options.disk ?? join(tmpdir(), 'vigil-test-in-memory'),
      VIGIL_ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
      VIGIL_LOG_LEVEL: 'SILENT',
      VIGIL_PROBE_INTERVAL: '3600',
      VIGIL_EVAL_INTERVAL: '3600',
      // A vigil.config.json in the working directory must not leak into tests.
      VIGIL_CONFIG: join(tmpdir(), 'vigil-test-no-config.json'),
      ...env,
    },
    print: () => undefined,
  });
  const request: TestVigil['request'] = (path, init = {}) => {
    const { token = vigil.adminToken, json, headers, ...rest } = init;
    const h = new Headers(headers);
    if (token !== null) h.set('authorization', `Bearer ${token}`);
    if (json !== undefined) h.set('content-type', 'application/json');
    return fetch(`${vigil.url}${path}`, {
      ...rest,
      headers: h,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };
  return {
    ...vigil,
    request,
    mintToken: async (scopes, name = 'test') => {
      const res = await request('/v1/tokens', { method: 'POST', json: { name, scopes } });
      if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
}
