/**
 * How much of a fetched body a reason may quote. Reasons are shown to every `read` token and stored in
 * history and events: a body can be an internal document, so only a short, marked beginning is quoted.
 */
export const EXCERPT_CHARS = 200;

export const TRUNCATED_MARK = '… (truncated)';

/** The first `max` characters of `text`, marked when cut (never splitting a surrogate pair). */
export function excerpt(text: string, max: number = EXCERPT_CHARS): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}${TRUNCATED_MARK}`;
}

/** A JSON value as a reason quotes it: primitives as JSON (bounded), containers by their shape only. */
export function quoteValue(value: unknown, max: number = EXCERPT_CHARS): string {
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') {
    const n = Object.keys(value).length;
    return `an object with ${n} key${n === 1 ? '' : 's'}`;
  }
  return excerpt(JSON.stringify(value) ?? String(value), max);
}
