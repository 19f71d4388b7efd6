/**
 * promtool's expanding notation for test input: `0+10x5` is 0 10 20 30 40 50, `100-1x2` is 100 99 98,
 * `7x3` is 7 7 7 7, `_` is a missing sample and `_x3` three of them. Words (target statuses) repeat the
 * same way: `downx2` is down down down.
 */
export type Expanded<T> = { ok: true; values: (T | undefined)[] } | { ok: false; message: string };

const NUMBER = '[-+]?(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
const STEP = new RegExp(`^(${NUMBER})([-+])(${NUMBER})x(\\d+)$`);
const REPEAT = new RegExp(`^(${NUMBER})x(\\d+)$`);
const SINGLE = new RegExp(`^${NUMBER}$`);
const MISSING = /^_(?:x(\d+))?$/;
/** No test needs more samples per series than a week of minutes. */
export const MAX_SAMPLES = 10_080;

export function expandValues(text: string): Expanded<number> {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const missing = MISSING.exec(token);
    const step = STEP.exec(token);
    const repeat = REPEAT.exec(token);
    if (missing) out.push(...new Array<undefined>(missing[1] ? Number(missing[1]) : 1).fill(undefined));
    else if (step) {
      const [a, sign, b, n] = [Number(step[1]), step[2], Number(step[3]), Number(step[4])];
      for (let i = 0; i <= n; i++) out.push(Number((a + (sign === '-' ? -b : b) * i).toPrecision(15)));
    } else if (repeat) out.push(...new Array<number>(Number(repeat[2]) + 1).fill(Number(repeat[1])));
    else if (SINGLE.test(token)) out.push(Number(token));
    else return { ok: false, message: `"${token}" is not a value; use numbers, "a+bxn", "a-bxn", "axn" or "_"` };
    if (out.length > MAX_SAMPLES) return { ok: false, message: `expands to more than ${MAX_SAMPLES} samples` };
  }
  return { ok: true, values: out };
}

export function expandWords<W extends string>(text: string, words: readonly W[]): Expanded<W> {
  const out: (W | undefined)[] = [];
  const pattern = new RegExp(`^(${words.join('|')}|_)(?:x(\\d+))?$`);
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = pattern.exec(token);
    if (!m)
      return { ok: false, message: `"${token}" is not one of ${words.join(', ')} or "_" (with an optional "xN")` };
    const times = m[2] === undefined ? 1 : m[1] === '_' ? Number(m[2]) : Number(m[2]) + 1;
    out.push(...new Array<W | undefined>(times).fill(m[1] === '_' ? undefined : (m[1] as W)));
    if (out.length > MAX_SAMPLES) return { ok: false, message: `expands to more than ${MAX_SAMPLES} samples` };
  }
  return { ok: true, values: out };
}

/** `http.server.duration{service="checkout", route="/cart"}` → name and labels. */
export function parseSelector(
  text: string,
): { ok: true; name: string; labels: Record<string, string> } | { ok: false; message: string } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.:-]*)\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!m)
    return { ok: false, message: 'must be a series such as http.server.duration{service="checkout", route="/cart"}' };
  const labels: Record<string, string> = {};
  let rest = (m[2] ?? '').trim();
  const pair = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*)?/;
  while (rest) {
    const p = pair.exec(rest);
    if (!p) return { ok: false, message: `cannot read the labels at "${rest}"; write them as name="value", …` };
    labels[p[1]!] = p[2]!.replace(/\\(.)/g, '$1');
    rest = rest.slice(p[0].length);
  }
  return { ok: true, name: m[1]!, labels };
}
