import { spawn } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';

/**
 * Everything the CLI touches outside itself, so a test can pin the clock, skip the waiting, play the API
 * and capture the output. `runCli` uses `systemIo()`.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly readFile: (path: string) => Promise<string>;
  readonly appendFile: (path: string, text: string) => Promise<void>;
  /** Runs a command line through the shell with extra environment variables; resolves to its exit status. */
  readonly runShell: (command: string, env: Record<string, string>) => Promise<ShellResult>;
}

export interface ShellResult {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: string | null;
}

export function systemIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    fetch: globalThis.fetch,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    readFile: (path) => readFile(path, 'utf8'),
    appendFile: (path, text) => appendFile(path, text, 'utf8'),
    runShell: (command, env) =>
      new Promise((resolve) => {
        const child = spawn(command, { shell: true, stdio: 'inherit', env: { ...process.env, ...env } });
        child.on('error', () => resolve({ code: 127, signal: null }));
        child.on('exit', (code, signal) => resolve({ code, signal }));
      }),
  };
}
