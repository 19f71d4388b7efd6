import { createHash } from 'node:crypto';

/**
 * Error grouping, Sentry-style: the same bug raised from the same code groups together whatever the
 * message's ids or the line numbers of this deploy. The fingerprint is the error type plus the top
 * in-app frames (function and normalised file, no line numbers); without a usable stack, the type plus
 * the message with its variable parts (numbers, hex, UUIDs, quoted strings) masked.
 */
export interface Frame {
  readonly fn?: string;
  readonly file: string;
  readonly inApp: boolean;
}

export const TOP_FRAMES = 3;

// V8: "    at fn (file:line:col)", "    at file:line:col", "    at async fn (file:line:col)"
const V8_FRAME = /^\s*at\s+(?:async\s+)?(?:(.+?)\s+\()?(.+?)(?::\d+)?(?::\d+)?\)?\s*$/;
// Firefox/Safari: "fn@file:line:col"
const GECKO_FRAME = /^\s*(.*?)@(.+?)(?::\d+)?(?::\d+)?\s*$/;

const NOT_IN_APP = [/node_modules\//, /^node:/, /^internal\//, /^<anonymous>$/, /^native$/, /\/node\/lib\//];

export function normaliseFile(file: string): string {
  let f = file.replace(/^file:\/\//, '').replace(/[?#].*$/, '');
  f = f.replace(/^[a-z]+:\/\/[^/]+/i, '');
  // Bundlers put content hashes in file names; deploy paths differ by machine: keep the last two segments.
  f = f.replace(/([.-])[0-9a-f]{6,}(?=\.\w+$)/i, '$1*');
  const parts = f.split(/[\\/]/).filter(Boolean);
  return parts.slice(-2).join('/');
}

export function parseStack(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const match = V8_FRAME.exec(line) ?? (line.includes('@') ? GECKO_FRAME.exec(line) : null);
    if (!match?.[2]) continue;
    const rawFile = match[2];
    if (!/[/\\.:]/.test(rawFile) && rawFile !== 'native') continue; // a message line, not a frame
    const fn = match[1]?.replace(/^Object\./, '').trim() || undefined;
    frames.push({
      ...(fn ? { fn } : {}),
      file: normaliseFile(rawFile),
      inApp: !NOT_IN_APP.some((p) => p.test(rawFile)),
    });
  }
  return frames;
}

export function normaliseMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b(0x)?[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/(["'`]).*?\1/g, '<str>')
    .replace(/-?\d+(\.\d+)?/g, '<n>')
    .slice(0, 512);
}

export interface Fingerprinted {
  readonly fingerprint: string;
  /** The frames that made the fingerprint (`fn (file)`), shown with the group. */
  readonly frames: readonly string[];
}

export function fingerprint(type: string, message: string, stack?: string): Fingerprinted {
  const frames = stack ? parseStack(stack) : [];
  const inApp = frames.filter((f) => f.inApp);
  const chosen = (inApp.length ? inApp : frames)
    .slice(0, TOP_FRAMES)
    .map((f) => (f.fn ? `${f.fn} (${f.file})` : f.file));
  const basis = chosen.length ? `${type}\n${chosen.join('\n')}` : `${type}\n${normaliseMessage(message)}`;
  return { fingerprint: createHash('sha256').update(basis).digest('hex').slice(0, 16), frames: chosen };
}
