import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { cursorCodec } from '../../functions/adapters/cursor.js';
import { ValidationError } from '../../functions/core/errors.js';
import { parseTimeRange } from '../../functions/core/time-range.js';
import { parse } from '../../functions/core/validate.js';

const violationsOf = (schema: v.GenericSchema, input: unknown) => {
  try {
    parse(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations;
  }
  throw new Error('expected a violation');
};

describe('validation messages for people', () => {
  const Schema = v.object({
    service: v.string(),
    count: v.number(),
    tags: v.array(v.string()),
    kind: v.picklist(['a', 'b']),
    name: v.optional(v.pipe(v.string(), v.minLength(2), v.maxLength(3))),
    size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(9))),
    own: v.optional(v.pipe(v.string(), v.regex(/^x/, 'must start with x'))),
  });

  it.each([
    [{}, 'service', 'required'],
    [{ service: 1 }, 'service', 'must be text'],
    [{ count: 'x' }, 'count', 'must be a number'],
    [{ tags: 'q' }, 'tags', 'must be a list'],
    [{ kind: 'z' }, 'kind', 'must be one of: "a", "b"'],
    [{ name: 'x' }, 'name', 'must have at least 2 characters'],
    [{ name: 'long' }, 'name', 'must have at most 3 characters'],
    [{ size: 1.5 }, 'size', 'must be a whole number'],
    [{ size: 0 }, 'size', 'must be at least 1'],
    [{ size: 10 }, 'size', 'must be at most 9'],
    [{ own: 'y' }, 'own', 'must start with x'],
  ])('%j: %s %s', (input, path, message) => {
    expect(violationsOf(Schema, input)).toContainEqual({ path, message });
  });

  it('never echoes the value sent, nor valibot wording', () => {
    const all = violationsOf(Schema, { service: 'SECRET-VALUE'.repeat(3), count: 'SECRET', kind: 'SECRET' });
    for (const { message } of all) {
      expect(message).not.toContain('SECRET');
      expect(message).not.toMatch(/^Invalid |Expected|received/);
    }
    expect(violationsOf(v.strictObject({ a: v.string() }), { a: 'x', b: 1 })).toEqual([
      { path: 'b', message: 'is not a known field' },
    ]);
    expect(violationsOf(Schema, null)).toEqual([{ path: '', message: 'must be an object' }]);
  });
});

describe('one time-range parser', () => {
  const now = Date.UTC(2026, 0, 10);
  it.each([
    [{}, { from: now - 3_600_000, to: now }],
    [{ from: '-15m' }, { from: now - 900_000, to: now }],
    [
      { from: 'now-2h', to: '-1h' },
      { from: now - 7_200_000, to: now - 3_600_000 },
    ],
    [
      { from: '2026-01-09T00:00:00Z', to: String(now) },
      { from: Date.UTC(2026, 0, 9), to: now },
    ],
  ])('%j', (q, range) => {
    expect(parseTimeRange(q, now)).toEqual(range);
  });

  it.each([
    [{ to: '9000000000000000' }, 'query.to', 'years 2000 to 2100'],
    [{ from: '-999999999d' }, 'query.from', 'years 2000 to 2100'],
    [{ from: 'yesterday' }, 'query.from', 'relative like -1h'],
    [{ from: '-1h', to: '-2h' }, 'query.from', 'must be before "to"'],
    [{ from: '-32d' }, 'query.from', 'at most 31 days'],
  ])('refuses %j naming %s', (q, path, words) => {
    try {
      parseTimeRange(q, now);
      throw new Error('accepted');
    } catch (error) {
      expect((error as ValidationError).violations[0]?.path).toBe(path);
      expect((error as ValidationError).violations[0]?.message).toContain(words);
    }
  });
});

describe('cursor codec', () => {
  const codec = cursorCodec('k'.repeat(32));
  it('round-trips a position for its scope only', () => {
    const cursor = codec.encode('H#a', { pk: 'H#a', sk: '1' });
    expect(codec.decode('H#a', cursor)).toEqual({ pk: 'H#a', sk: '1' });
    expect(codec.decode('H#a', undefined)).toBeUndefined();
    expect(() => codec.decode('H#b', cursor)).toThrow(ValidationError);
    expect(() => cursorCodec('j'.repeat(32)).decode('H#a', cursor)).toThrow(ValidationError);
  });
  it.each(['eyJ6eiI6MX0', 'eyJ6eiI6MX0.', '.AAAA', 'a.b.c', 'x'.repeat(3_000), '!!!.???'])('refuses %s', (c) => {
    expect(() => codec.decode('H#a', c)).toThrow('query.cursor: is not a cursor this API returned for this query');
  });
});
