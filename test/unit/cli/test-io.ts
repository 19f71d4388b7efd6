import { readFile } from 'node:fs/promises';
import { type CliIo, systemIo } from '../../../cli/src/io.js';

/** A CliIo with a virtual clock (sleep advances it at once), captured output and the real fetch and shell. */
export interface TestIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly sleeps: number[];
  readonly shells: { command: string; env: Record<string, string> }[];
  readonly files: Map<string, string>;
}

export function testIo(env: Record<string, string | undefined>, overrides: Partial<CliIo> = {}): TestIo {
  let stdout = '';
  let stderr = '';
  let clock = Date.UTC(2026, 11, 2, 12, 0, 0);
  const sleeps: number[] = [];
  const shells: TestIo['shells'] = [];
  const files = new Map<string, string>();
  const real = systemIo();
  return {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    fetch: globalThis.fetch,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    readFile: (path) => (files.has(path) ? Promise.resolve(files.get(path)!) : readFile(path, 'utf8')),
    appendFile: async (path, text) => {
      files.set(path, (files.get(path) ?? '') + text);
    },
    runShell: (command, extra) => {
      shells.push({ command, env: extra });
      return real.runShell(command, extra);
    },
    ...overrides,
    out: () => stdout,
    err: () => stderr,
    sleeps,
    shells,
    files,
  };
}
