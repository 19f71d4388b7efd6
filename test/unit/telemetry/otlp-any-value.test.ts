import { describe, expect, it } from 'vitest';
import {
  ANY_VALUE_LIMITS,
  anyValue,
  attributes,
  DEPTH_MARKER,
  TRUNCATED_MARKER,
} from '../../../functions/core/telemetry/otlp-common.js';
import { mapOtlpLogs } from '../../../functions/core/telemetry/otlp-logs.js';
import { mapOtlpTraces } from '../../../functions/core/telemetry/otlp-traces.js';

/** The reproducer: `d` nested arrayValues around one string, as parsed JSON. */
function nestedArrays(d: number): unknown {
  let value: unknown = { stringValue: 'x' };
  for (let i = 0; i < d; i++) value = { arrayValue: { values: [value] } };
  return value;
}

function nestedKvlists(d: number): unknown {
  let value: unknown = { stringValue: 'x' };
  for (let i = 0; i < d; i++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
  return value;
}

describe('OTLP AnyValue conversion', () => {
  it('converts nested values once: inner arrays are JSON arrays, not re-escaped strings', () => {
    const v = {
      arrayValue: {
        values: [
          { stringValue: 'a' },
          { arrayValue: { values: [{ intValue: '2' }, { boolValue: true }] } },
          { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }] } },
          {},
        ],
      },
    };
    expect(anyValue(v)).toBe('["a",[2,true],{"k":1.5},null]');
  });

  it('depth 28 (the reproducer): bounded, the levels past 16 replaced by a marker', () => {
    const out = anyValue(nestedArrays(28)) as string;
    expect(out).toBe(`${'['.repeat(16)}${JSON.stringify(DEPTH_MARKER)}${']'.repeat(16)}`);
    expect(JSON.parse(out)).toBeInstanceOf(Array);
    expect(ANY_VALUE_LIMITS.maxDepth).toBe(16);
  });

  it('depth 10,000 of arrays and of key-value lists: no stack overflow, same bounded result', () => {
    const arrays = anyValue(nestedArrays(10_000)) as string;
    expect(arrays).toBe(anyValue(nestedArrays(28)));
    const kv = anyValue(nestedKvlists(10_000)) as string;
    expect(kv).toBe(`${'{"k":'.repeat(16)}${JSON.stringify(DEPTH_MARKER)}${'}'.repeat(16)}`);
  });

  it('keeps a value at exactly 16 levels whole', () => {
    expect(anyValue(nestedArrays(16))).toBe(`${'['.repeat(16)}"x"${']'.repeat(16)}`);
  });

  it('cuts a wide value at the character limit and marks it', () => {
    const wide = { arrayValue: { values: Array.from({ length: 50_000 }, () => ({ stringValue: 'abcdefgh' })) } };
    const out = anyValue(wide, 1_000) as string;
    expect(out.length).toBeLessThanOrEqual(1_000);
    expect(out.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(out.startsWith('["abcdefgh","abcdefgh"')).toBe(true);
    // The default limit is the attribute value limit.
    expect((anyValue(wide) as string).length).toBeLessThanOrEqual(4_096);
  });

  it('treats __proto__ as a key, not a prototype', () => {
    const v = { kvlistValue: { values: [{ key: '__proto__', value: { kvlistValue: { values: [] } } }] } };
    expect(anyValue(v)).toBe('{"__proto__":{}}');
  });

  it('applies to log bodies (message limit), log, resource, span and event attributes', () => {
    const deep = nestedArrays(10_000);
    const [logs] = mapOtlpLogs({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'r', value: deep }] },
          scopeLogs: [{ logRecords: [{ body: deep, attributes: [{ key: 'a', value: deep }] }] }],
        },
      ],
    });
    const log = (logs!.logs as { message: string; attributes: Record<string, string> }[])[0]!;
    expect(log.message).toContain(DEPTH_MARKER);
    expect(log.attributes.a).toContain(DEPTH_MARKER);
    expect(log.attributes.r).toContain(DEPTH_MARKER);
    const [traces] = mapOtlpTraces({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  name: 's',
                  attributes: [{ key: 'a', value: deep }],
                  events: [{ name: 'exception', attributes: [{ key: 'exception.message', value: deep }] }],
                },
              ],
            },
          ],
        },
      ],
    });
    const span = (traces!.spans as { attributes: Record<string, string> }[])[0]!;
    expect(span.attributes.a).toContain(DEPTH_MARKER);
    expect((traces!.errors as { message: string }[])[0]!.message).toContain(DEPTH_MARKER);
    expect(attributes([{ key: 'a', value: deep }]).a).toContain(DEPTH_MARKER);
  });
});
