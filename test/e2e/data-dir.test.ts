import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Issue #9 item 17: local mode's data folder and every file in it are the owner's only (0700 / 0600). */
const parent = mkdtempSync(join(tmpdir(), 'vigil-e2e-modes-'));
const dataDir = join(parent, 'data');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
  );
}

describe('the data directory', () => {
  it('is 0700 with files 0600 after a run that stored data', async () => {
    const child = spawn('npx', ['tsx', 'bin/local.ts'], {
      env: { ...process.env, VIGIL_PORT: '0', VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: join(parent, 'none.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
        if (m?.[1] && /Admin token: .+\n/.test(output)) resolve(m[1]);
      });
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    const token = output.match(/Admin token: (\S+)/)![1]!;
    const minted = await fetch(`${url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'modes', scopes: ['read'] }),
    });
    expect(minted.status).toBe(201);
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;

    const entries = [dataDir, ...walk(dataDir)];
    expect(entries.some((p) => p.endsWith('admin-token'))).toBe(true);
    expect(entries.filter((p) => statSync(p).isFile()).length).toBeGreaterThan(2);
    for (const path of entries) {
      const mode = statSync(path).mode & 0o777;
      expect(mode.toString(8), path).toBe(statSync(path).isDirectory() ? '700' : '600');
    }
  }, 90_000);
});
