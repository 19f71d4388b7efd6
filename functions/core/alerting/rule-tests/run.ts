import type { Violation } from '../../errors.js';
import { createEvaluator } from '../evaluate.js';
import type { AlertRecord } from '../model.js';
import type { Rule } from '../rule-model.js';
import { parseRule } from '../rule-parse.js';
import { memorySource } from './memory-source.js';
import { type ExpectedAlert, readTestFile, type TestCase } from './test-file.js';

/**
 * Runs rule tests with the evaluator of the Lambda (createEvaluator, the same rule types and state
 * machine) over an in-memory data source and a pinned clock: evaluation at every `evaluation_interval`
 * from the test's start (and at each `eval_time`), alert state kept between evaluations, and at each
 * check the rule's open alerts (pending, firing, nodata) compared with the expected ones.
 */
export interface RuleTestInput {
  /** The test file, parsed from YAML or JSON. */
  readonly test: unknown;
  /** The contents of the test file's `rule_files`, parsed, by the path as written in the file. */
  readonly ruleFiles: Readonly<Record<string, unknown>>;
}

export type RuleTestOutcome =
  | { readonly kind: 'invalid'; readonly issues: readonly Violation[] }
  | { readonly kind: 'ran'; readonly passed: number; readonly failures: readonly Failure[] };

export interface Failure {
  readonly test: string;
  readonly ruleId: string;
  readonly evalTime: string;
  /** A readable diff: `-` expected only, `+` got only, two spaces both. */
  readonly diff: readonly string[];
}

interface Seen {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: string;
  readonly annotations: Readonly<Record<string, string>>;
}

const labelText = (labels: Readonly<Record<string, string>>) =>
  `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;

const line = (a: Seen | ExpectedAlert, annotations: boolean) =>
  `${a.state} ${labelText(a.labels)}${annotations && a.annotations ? ` annotations ${labelText(a.annotations)}` : ''}`;

export function rulesOf(
  test: unknown,
  ruleFiles: Readonly<Record<string, unknown>>,
): { rules: Rule[]; issues: Violation[] } {
  const rules: Rule[] = [];
  const issues: Violation[] = [];
  const add = (entries: unknown, where: string) => {
    const list = Array.isArray(entries)
      ? entries
      : entries && typeof entries === 'object' && 'rules' in entries
        ? (entries as { rules: unknown }).rules
        : undefined;
    if (!Array.isArray(list))
      return issues.push({ path: where, message: 'must be a list of rules or an object with "rules"' });
    list.forEach((json, i) => {
      const r = parseRule(json, 'config');
      if (r.ok) rules.push(r.rule);
      else
        for (const issue of r.issues)
          issues.push({ path: `${where}[${i}]${issue.path ? `.${issue.path}` : ''}`, message: issue.message });
    });
  };
  const file = (test ?? {}) as { rules?: unknown; rule_files?: unknown };
  for (const path of Array.isArray(file.rule_files) ? (file.rule_files as string[]) : [])
    add(ruleFiles[path], `${path}: rules`);
  if (file.rules !== undefined) add(file.rules, 'rules');
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) issues.push({ path: 'rules', message: `rule id ${r.id} is defined twice` });
    ids.add(r.id);
  }
  return { rules, issues };
}

async function runCase(c: TestCase, rules: readonly Rule[], evaluationMs: number): Promise<Failure[]> {
  let now = c.start;
  const data = memorySource({
    series: c.series,
    cloudwatch: c.cloudwatch,
    targets: c.targets,
    deployments: c.deployments,
    now: () => now,
  });
  const evaluator = createEvaluator({ rules: { list: async () => [...rules] }, data, concurrency: 1 });
  const last = Math.max(...c.checks.map((k) => k.at));
  const times = new Set<number>(c.checks.map((k) => k.at));
  for (let t = c.start; t <= last; t += evaluationMs) times.add(t);
  const store = new Map<string, AlertRecord>();
  const failures: Failure[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    now = t;
    const result = await evaluator.evaluate([...store.values()], t);
    for (const a of result.changed) store.set(a.id, { ...a, version: a.version + 1 });
    for (const check of c.checks.filter((k) => k.at === t)) {
      const status = result.statuses.find((s) => s.ruleId === check.ruleId);
      if (!status) {
        failures.push({
          test: c.name,
          ruleId: check.ruleId,
          evalTime: check.evalTime,
          diff: [`no rule with id ${check.ruleId}`],
        });
        continue;
      }
      const got: Seen[] = [...store.values()]
        .filter(
          (a) => a.ruleId === check.ruleId && (a.state === 'pending' || a.state === 'firing' || a.state === 'nodata'),
        )
        .map((a) => {
          const { rule: _rule, ...labels } = a.labels;
          return {
            labels,
            state: a.state,
            annotations: Object.fromEntries(Object.entries(a.annotations).filter(([, x]) => x !== undefined)) as Record<
              string,
              string
            >,
          };
        });
      const withAnnotations = check.expected.some((e) => e.annotations !== undefined);
      const expected = check.expected.map((e) => line(e, withAnnotations)).sort();
      const actual = got.map((g) => line(g, withAnnotations)).sort();
      if (JSON.stringify(expected) === JSON.stringify(actual)) continue;
      const diff = [
        ...expected.map((x) => (actual.includes(x) ? `  ${x}` : `- ${x}`)),
        ...actual.filter((x) => !expected.includes(x)).map((x) => `+ ${x}`),
      ];
      if (status.health === 'error') diff.push(`  (the rule's evaluation failed: ${status.error})`);
      failures.push({ test: c.name, ruleId: check.ruleId, evalTime: check.evalTime, diff });
    }
  }
  return failures;
}

export async function runRuleTests(input: RuleTestInput): Promise<RuleTestOutcome> {
  const read = readTestFile(input.test);
  if (!read.ok) return { kind: 'invalid', issues: read.issues };
  const { rules, issues } = rulesOf(input.test, input.ruleFiles);
  if (issues.length) return { kind: 'invalid', issues };
  const failures: Failure[] = [];
  let passed = 0;
  for (const c of read.cases) {
    const f = await runCase(c, rules, read.evaluationMs);
    if (f.length) failures.push(...f);
    else passed++;
  }
  return { kind: 'ran', passed, failures };
}
