import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm start -- --memory --demo` as a real process on a free port; resolves once the demo data is in. */
export async function startDemoVigil(
  admin: string,
): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  let output = '';
  const proc = spawn('npm', ['start', '--', '--memory', '--demo'], {
    env: {
      ...process.env,
      VIGIL_PORT: '0',
      VIGIL_ADMIN_TOKEN: admin,
      VIGIL_LOG_LEVEL: 'ERROR',
      VIGIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigil-demo-')),
      VIGIL_CONFIG: join(tmpdir(), 'vigil-e2e-no-config.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 110_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Dashboard:\s+(http:\/\/\S+?)\/\s/);
      if (m?.[1] && /\nDemo: /.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    proc.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { proc, url, output: () => output };
}

export function stopProcessGroup(proc: ChildProcess): void {
  if (proc.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
}
