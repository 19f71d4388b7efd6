import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../../../functions/core/alerting/evaluate.js';
import type { AlertRecord, AlertTransition } from '../../../functions/core/alerting/model.js';
import type { Rule } from '../../../functions/core/alerting/rule-model.js';
import { parseRule } from '../../../functions/core/alerting/rule-parse.js';
import {
  type MemoryData,
  type MemorySeries,
  memorySource,
} from '../../../functions/core/alerting/rule-tests/memory-source.js';

/**
 * One table for four rule types: the same condition script (`T` true, `F` false, `_` no data) turned into
 * each type's own data, through the evaluator with a pinned clock, gives the same transitions at the same
 * evaluations: `for`, `keepFiringFor`, missing data and flapping are the rule's, not the type's.
 */
const T0 = Date.UTC(2026, 0, 5, 12);
const MIN = 60_000;
type Script = string;

const at = (i: number) => T0 + i * MIN;
const gauge = (
  name: string,
  script: Script,
  high: number,
  low: number,
  extra: Partial<MemorySeries> = {},
): MemorySeries => ({
  service: 'checkout',
  name,
  type: 'gauge',
  tags: {},
  points: [...script].flatMap((c, i) => (c === '_' ? [] : [[at(i), c === 'T' ? high : low] as const])),
  ...extra,
});

const TYPES: Record<
  string,
  { rule: Record<string, unknown>; data: (s: Script) => Omit<MemoryData, 'now'>; noData: boolean }
> = {
  threshold: {
    rule: { type: 'threshold', metric: { service: 'checkout', name: 'latency' }, op: '>', value: 800, window: '1m' },
    data: (s) => ({ series: [gauge('latency', s, 900, 100)] }),
    noData: true,
  },
  error_rate: {
    rule: { type: 'error_rate', service: 'checkout', value: 0.05, window: '1m' },
    data: (s) => ({
      series: [
        gauge('http.server.requests', s, 80, 100, { type: 'counter', tags: { status_class: '2xx' } }),
        gauge('http.server.requests', s, 20, 0, { type: 'counter', tags: { status_class: '5xx' } }),
      ],
    }),
    noData: true,
  },
  health: {
    rule: { type: 'health', target: 'api' },
    data: (s) => ({
      series: [],
      targets: [
        { id: 'api', service: 'checkout', statuses: [...s].map((c, i) => [at(i), c === 'T' ? 'down' : 'up'] as const) },
      ],
    }),
    noData: false,
  },
  absence: {
    // True = no heartbeat at this minute: the last one is then a minute old, the window.
    rule: { type: 'absence', metric: { service: 'checkout', name: 'heartbeat' }, window: '1m' },
    data: (s) => ({ series: [gauge('heartbeat', [...s].map((c) => (c === 'T' ? '_' : 'F')).join(''), 1, 1)] }),
    noData: false,
  },
};

async function run(type: string, extra: Record<string, unknown>, script: Script) {
  const spec = TYPES[type]!;
  const parsed = parseRule({ ...spec.rule, ...extra }, 'api', type);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const rule: Rule = parsed.rule;
  let now = T0;
  const data = memorySource({ ...spec.data(script), now: () => now });
  const evaluator = createEvaluator({ rules: { list: async () => [rule] }, data });
  const store = new Map<string, AlertRecord>();
  const transitions: AlertTransition[] = [];
  for (let i = 0; i < script.length; i++) {
    now = at(i);
    const result = await evaluator.evaluate([...store.values()], now);
    for (const a of result.changed) store.set(a.id, { ...a, version: a.version + 1 });
    transitions.push(...result.transitions);
  }
  return transitions.map((t) => `${t.flapping ? `flapping-${t.flapping}` : t.to}@${(t.at - T0) / MIN}`).join(' ');
}

describe.each(Object.keys(TYPES))('%s', (type) => {
  it.each<[string, Record<string, unknown>, Script, string]>([
    ['for: 2m', { for: '2m' }, 'FTTTTFF', 'pending@1 firing@3 resolved@5'],
    ['pending cut short starts for over', { for: '2m' }, 'TTFTTT', 'pending@0 inactive@2 pending@3 firing@5'],
    ['keepFiringFor: 2m', { keepFiringFor: '2m' }, 'TFTFFFF', 'firing@0 resolved@5'],
    [
      'flapping after more than 6 changes in 30m',
      {},
      'TFTFTFTF',
      'firing@0 resolved@1 firing@2 resolved@3 firing@4 resolved@5 firing@6 flapping-started@6 resolved@7',
    ],
  ])('%s', async (_name, extra, script, expected) => {
    expect(await run(type, extra, script)).toBe(expected);
  });

  it.runIf(TYPES[type]!.noData)('missing data: nodata once, then back', async () => {
    expect(await run(type, {}, 'T__TF')).toBe('firing@0 nodata@1 firing@3 resolved@4');
    expect(await run(type, { noData: 'ok' }, 'T__T')).toBe('firing@0 resolved@1 firing@3');
    expect(await run(type, { noData: 'alerting', for: '1m' }, 'F___F')).toBe('pending@1 firing@2 resolved@4');
    expect(await run(type, { noData: 'keep' }, 'T__F')).toBe('firing@0 resolved@3');
  });
});
