import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { dueTargets, isDue } from '../../../functions/core/probing/due.js';
import { parseJsonPath, valueAt } from '../../../functions/core/probing/json-path.js';
import { initialState } from '../../../functions/core/probing/status-machine.js';
import { TargetEntrySchema, type TargetRecord } from '../../../functions/core/probing/target-schema.js';
import { planApply } from '../../../functions/core/probing/targets.js';
import { parseConfigFile } from '../../../functions/targets/apply-config.js';

const NOW = Date.UTC(2026, 0, 1);
const entry = (id: string, extra: Record<string, unknown> = {}) =>
  v.parse(TargetEntrySchema, { id, service: 's', url: `http://x/${id}`, ...extra });
const record = (id: string, managedBy: 'api' | 'config', extra: Record<string, unknown> = {}): TargetRecord => {
  const { id: _id, ...spec } = entry(id, extra);
  return { ...spec, id, managedBy, createdAt: NOW - 1000, updatedAt: NOW - 1000 };
};

describe('applying a config file', () => {
  it('creates, updates, keeps, takes over and deletes', () => {
    const existing = [
      record('same', 'config'),
      record('changed', 'config'),
      record('gone', 'config'),
      record('api-only', 'api'),
      record('taken-over', 'api'),
    ];
    const plan = planApply(
      existing,
      [entry('same'), entry('changed', { intervalSeconds: 30 }), entry('new'), entry('taken-over')],
      NOW,
    );
    expect(plan.create.map((t) => t.id)).toEqual(['new']);
    expect(plan.update.map((t) => t.id)).toEqual(['changed', 'taken-over']);
    expect(plan.unchanged).toEqual(['same']);
    // File-managed targets the file no longer lists are deleted; API targets are left alone.
    expect(plan.remove).toEqual(['gone']);
    expect(plan.update[0]).toMatchObject({
      managedBy: 'config',
      createdAt: NOW - 1000,
      updatedAt: NOW,
      intervalSeconds: 30,
    });
  });

  it('names the field of a dependency that does not exist', () => {
    const attempt = () =>
      planApply([record('gone', 'config')], [entry('a'), entry('b', { dependsOn: ['a', 'gone'] })], NOW);
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow('targets[1].dependsOn[1]: no target with id gone');
  });

  it.each([
    ['{', '(file): not valid JSON'],
    ['{"targets": [{"id": "a", "service": "s", "url": "gopher://x"}]}', 'targets[0].url: must use http or https'],
    [
      '{"targets": [{"id": "a", "service": "s", "url": "http://x", "timeout": 5}]}',
      'targets[0].timeout: unknown field',
    ],
    [
      '{"targets": [{"id": "a", "service": "s", "url": "http://x"}, {"id": "a", "service": "s", "url": "http://y"}]}',
      'targets: must not list an id twice',
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseConfigFile(text, { allowPrivate: true })).toThrow(message);
  });

  it('accepts other sections and fills defaults', () => {
    const cfg = parseConfigFile('{"rules": [], "targets": [{"id": "a", "service": "s", "url": "http://x"}]}', {
      allowPrivate: true,
    });
    expect(cfg.targets[0]).toMatchObject({
      id: 'a',
      intervalSeconds: 60,
      timeoutMs: 5000,
      expect: { status: ['2xx'] },
    });
  });
});

describe('due targets', () => {
  const t = (id: string, intervalSeconds: number) => record(id, 'api', { intervalSeconds });
  it('is due when the interval has passed since the last run start, less 10% (at most 10 s) for jitter', () => {
    const state = { ...initialState('a', NOW), lastRunAt: NOW };
    expect(isDue(t('a', 60), undefined, NOW)).toBe(true);
    expect(isDue(t('a', 60), state, NOW + 53_999)).toBe(false);
    expect(isDue(t('a', 60), state, NOW + 54_000)).toBe(true);
    expect(isDue(t('a', 300), state, NOW + 290_000)).toBe(true);
    expect(isDue(t('a', 300), state, NOW + 289_999)).toBe(false);
  });

  it('orders never-probed and stalest first', () => {
    const states = new Map([
      ['b', { ...initialState('b', NOW), lastRunAt: NOW - 120_000 }],
      ['c', { ...initialState('c', NOW), lastRunAt: NOW - 300_000 }],
      ['d', { ...initialState('d', NOW), lastRunAt: NOW - 1_000 }],
    ]);
    expect(dueTargets([t('b', 60), t('c', 60), t('d', 60), t('a', 60)], states, NOW).map((x) => x.id)).toEqual([
      'a',
      'c',
      'b',
    ]);
  });
});

describe('json path', () => {
  it.each([
    ['$', [], { a: 1 }, { a: 1 }],
    ['$.a.b', ['a', 'b'], { a: { b: 'x' } }, 'x'],
    ["$['a b'][1]", ['a b', 1], { 'a b': [0, 7] }, 7],
    ['$.a[0]', ['a', 0], { a: {} }, undefined],
  ])('%s', (path, segments, doc, value) => {
    expect(parseJsonPath(path)).toEqual(segments);
    expect(valueAt(doc, path)).toEqual(value);
  });
  it('rejects what it does not support', () => {
    expect(parseJsonPath('$..a')).toMatch(/unsupported/);
    expect(parseJsonPath('a')).toBe('must start with "$"');
  });
});
