import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../functions/core/alerting/duration.js';
import { createEvaluator } from '../../../functions/core/alerting/evaluate.js';
import type { AlertRecord } from '../../../functions/core/alerting/model.js';
import type { Rule } from '../../../functions/core/alerting/rule-model.js';
import { parseRule } from '../../../functions/core/alerting/rule-parse.js';
import { memorySource } from '../../../functions/core/alerting/rule-tests/memory-source.js';

/**
 * The oracle for alert timing: `promtool test rules` (Debian package `prometheus`, 2.42 has keep_firing_for).
 * For seeded random conditions and every combination of `for` and `keepFiringFor`, Vigil's evaluator says
 * which minutes the alert fires; those become the expectations of a promtool test of the same rule
 * (`x > 800` with the same for / keep_firing_for), and promtool must pass it. Where promtool is absent the
 * test is skipped with the reason in its title.
 */
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const MIN = 60_000;
const START = Date.UTC(2026, 0, 5);
const MINUTES = 30;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Scenario {
  readonly name: string;
  readonly forMs: number;
  readonly keepMs: number;
  readonly values: number[];
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  const durations = [0, MIN, 90_000, 2 * MIN, 5 * MIN];
  let seed = 1;
  for (const forMs of durations) {
    for (const keepMs of [0, MIN, 2 * MIN, 4 * MIN]) {
      for (let k = 0; k < 3; k++) {
        const rand = mulberry32(seed++);
        // Runs of true and false of random lengths, so pending is cut short, fires, and flickers while keeping.
        const values: number[] = [];
        let high = rand() < 0.5;
        while (values.length < MINUTES) {
          const run = 1 + Math.floor(rand() * 6);
          for (let i = 0; i < run && values.length < MINUTES; i++) values.push(high ? 900 : 100);
          high = !high;
        }
        out.push({ name: `s${out.length}`, forMs, keepMs, values });
      }
    }
  }
  return out;
}

async function vigilFiring(s: Scenario): Promise<boolean[]> {
  const parsed = parseRule(
    {
      type: 'threshold',
      metric: { service: 'svc', name: 'x', stat: 'max' },
      op: '>',
      value: 800,
      window: '1m',
      for: formatDuration(s.forMs),
      keepFiringFor: formatDuration(s.keepMs),
      flapping: { maxChanges: 100, window: '1m' },
    },
    'api',
    s.name,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const rule: Rule = parsed.rule;
  let now = START;
  const data = memorySource({
    series: [
      {
        service: 'svc',
        name: 'x',
        type: 'gauge',
        tags: {},
        points: s.values.map((v, i) => [START + i * MIN, v] as const),
      },
    ],
    now: () => now,
  });
  const evaluator = createEvaluator({ rules: { list: async () => [rule] }, data });
  const store = new Map<string, AlertRecord>();
  const firing: boolean[] = [];
  for (let i = 0; i < MINUTES; i++) {
    now = START + i * MIN;
    const result = await evaluator.evaluate([...store.values()], now);
    for (const a of result.changed) store.set(a.id, { ...a, version: a.version + 1 });
    firing.push([...store.values()].some((a) => a.state === 'firing'));
  }
  return firing;
}

const promDuration = (ms: number) => (ms % MIN === 0 ? `${ms / MIN}m` : `${ms / 1_000}s`);

describe.skipIf(!PROMTOOL)(
  `alert timing against promtool test rules${PROMTOOL ? '' : ' (skipped: promtool is not installed; apt-get install prometheus)'}`,
  () => {
    it('fires and resolves at the same evaluations as Prometheus for 60 conditions × for × keepFiringFor', async () => {
      const all = scenarios();
      const rules = ['groups:', '  - name: oracle', '    rules:'];
      const tests = [
        'rule_files: [rules.yml]',
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
      ];
      const checks: string[] = [];
      let firingMinutes = 0;
      for (const s of all) {
        rules.push(
          `      - alert: ${s.name}`,
          `        expr: x{scenario="${s.name}"} > 800`,
          `        for: ${promDuration(s.forMs)}`,
        );
        if (s.keepMs) rules.push(`        keep_firing_for: ${promDuration(s.keepMs)}`);
        tests.push(`      - series: 'x{scenario="${s.name}"}'`, `        values: '${s.values.join(' ')}'`);
        const firing = await vigilFiring(s);
        firing.forEach((f, i) => {
          if (f) firingMinutes++;
          checks.push(
            `      - eval_time: ${i}m`,
            `        alertname: ${s.name}`,
            f ? `        exp_alerts: [{ exp_labels: { scenario: "${s.name}" } }]` : '        exp_alerts: []',
          );
        });
      }
      tests.push('    alert_rule_test:', ...checks);
      const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
      try {
        writeFileSync(join(dir, 'rules.yml'), `${rules.join('\n')}\n`);
        writeFileSync(join(dir, 'test.yml'), `${tests.join('\n')}\n`);
        const run = spawnSync(PROMTOOL!, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8' });
        expect(`${run.stdout}${run.stderr}`.trim()).toBe('Unit Testing:  test.yml\n  SUCCESS');
        expect(run.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // The conditions exercise both sides: the alert fires in some minutes and not in others.
      expect(firingMinutes).toBeGreaterThan(200);
      expect(firingMinutes).toBeLessThan(all.length * MINUTES - 200);
    });
  },
);
