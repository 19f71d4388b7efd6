import type { WriteStream } from 'node:fs';
import { LogLevel } from './levels.js';
import { bufferedStdout } from './stdout-buffer.js';

/** Live logging settings, read on every call. */
export const logState = {
  level: LogLevel.info as number,
  json: true,
  console: true,
  file: undefined as WriteStream | undefined,
  ship: false,
  /** Lines queued in the file stream beyond this are dropped (a stuck disk must not grow memory). */
  maxFileBufferBytes: 8 * 1024 * 1024,
  write: bufferedStdout as (line: string) => void,
};
