import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runRulesTest } from '../../../cli/src/rules-test.js';
import {
  expandValues,
  expandWords,
  parseSelector,
} from '../../../functions/core/alerting/rule-tests/series-notation.js';

function capture(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      readFile: async (path: string) => (path in files ? files[path]! : readFile(path, 'utf8')),
    },
  };
}

describe('promtool series notation', () => {
  it.each([
    ['0+10x5', [0, 10, 20, 30, 40, 50]],
    ['-2+4x3', [-2, 2, 6, 10]],
    ['100-1x2', [100, 99, 98]],
    ['7x3', [7, 7, 7, 7]],
    ['1 _x3 2', [1, undefined, undefined, undefined, 2]],
    ['0.1+0.1x2', [0.1, 0.2, 0.3]],
    ['1e3 _', [1_000, undefined]],
  ])('%s', (text, values) => expect(expandValues(text)).toEqual({ ok: true, values }));

  it('refuses what it cannot read', () => {
    expect(expandValues('1 two')).toEqual({
      ok: false,
      message: '"two" is not a value; use numbers, "a+bxn", "a-bxn", "axn" or "_"',
    });
    expect(expandValues('0x100000').ok).toBe(false);
    expect(expandWords('up downx2 _ degraded', ['up', 'degraded', 'down'])).toEqual({
      ok: true,
      values: ['up', 'down', 'down', 'down', undefined, 'degraded'],
    });
    expect(parseSelector('http.server.duration{service="checkout", route="/c\\"art"}')).toEqual({
      ok: true,
      name: 'http.server.duration',
      labels: { service: 'checkout', route: '/c"art' },
    });
    expect(parseSelector('x{service=checkout}')).toEqual({
      ok: false,
      message: 'cannot read the labels at "service=checkout"; write them as name="value", …',
    });
  });
});

describe('vigil rules test', () => {
  it('passes the shipped example (exit 0)', async () => {
    const { io, out, err } = capture();
    expect(await runRulesTest(['examples/rules/checkout.test.yaml'], io)).toBe(0);
    expect(out.join('')).toBe('Unit Testing: examples/rules/checkout.test.yaml\n  SUCCESS (3 tests)\n');
    expect(err).toEqual([]);
  });

  it('fails the shipped failing example with a readable diff (exit 1)', async () => {
    const { io, out } = capture();
    expect(await runRulesTest(['examples/rules/failing.test.yaml'], io)).toBe(1);
    expect(out.join('')).toBe(
      [
        'Unit Testing: examples/rules/failing.test.yaml',
        '  FAILED:',
        '    test "latency fires at once (wrong)", alertname checkout-latency, time 2m: expected (-) and got (+)',
        '      - firing {route="/cart", service="checkout", severity="warning"} annotations {runbook="https://runbooks.example.com/checkout/latency", summary="/cart p95 is 800 ms"}',
        '      + pending {route="/cart", service="checkout", severity="warning"} annotations {runbook="https://runbooks.example.com/checkout/latency", summary="/cart p95 is 900 ms"}',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['one minute early for the firing state', '      - eval_time: 3m', '      - eval_time: 2m'],
    [
      'the resolved alert expected to keep firing',
      '      - eval_time: 7m\n        alertname: checkout-latency\n        exp_alerts: []',
      '      - eval_time: 7m\n        alertname: checkout-latency\n        exp_alerts:\n          - exp_labels: { route: /cart, service: checkout, severity: warning }',
    ],
    [
      'a wrong label',
      'exp_labels: { service: checkout, target: checkout-health, severity: critical }\n            exp_annotations',
      'exp_labels: { service: checkout, target: checkout-api, severity: critical }\n            exp_annotations',
    ],
  ])('a changed expectation fails: %s', async (_name, from, to) => {
    const text = await readFile('examples/rules/checkout.test.yaml', 'utf8');
    expect(text.includes(from)).toBe(true);
    const { io } = capture({ 'examples/rules/changed.test.yaml': text.replace(from, to) });
    expect(await runRulesTest(['examples/rules/changed.test.yaml'], io)).toBe(1);
  });

  it('JSON test files with inline rules work too', async () => {
    const test = {
      rules: [
        {
          id: 'hot',
          type: 'threshold',
          metric: { service: 's', name: 'temp', stat: 'max' },
          op: '>',
          value: 50,
          window: '1m',
        },
      ],
      tests: [
        {
          input_series: [{ series: 'temp{service="s"}', values: '10 60 10' }],
          alert_rule_test: [
            { eval_time: '1m', alertname: 'hot', exp_alerts: [{ exp_labels: { service: 's', severity: 'warning' } }] },
            { eval_time: '2m', alertname: 'hot', exp_alerts: [] },
          ],
        },
      ],
    };
    const { io, out } = capture({ 't.json': JSON.stringify(test) });
    expect(await runRulesTest(['t.json'], io)).toBe(0);
    expect(out.join('')).toContain('SUCCESS (1 test)');
  });

  it('CloudWatch series feed CloudWatch rules, and a failing read shows in the diff', async () => {
    const metric = {
      source: 'cloudwatch',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'pay' },
      stat: 'Sum',
    };
    const test = (fail?: string) => ({
      rules: [{ id: 'pay-errors', type: 'threshold', service: 'pay', metric, op: '>', value: 5, window: '1m' }],
      tests: [
        {
          input_series: [
            {
              cloudwatch: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'pay' } },
              values: '0 9 1',
              ...(fail ? { fail } : {}),
            },
          ],
          alert_rule_test: [
            {
              eval_time: '1m',
              alertname: 'pay-errors',
              exp_alerts: [{ exp_labels: { service: 'pay', severity: 'warning' } }],
            },
            { eval_time: '2m', alertname: 'pay-errors', exp_alerts: [] },
          ],
        },
      ],
    });
    const ok = capture({ 'cw.json': JSON.stringify(test()) });
    expect(await runRulesTest(['cw.json'], ok.io)).toBe(0);
    const failing = capture({ 'cw.json': JSON.stringify(test('Throttling: Rate exceeded')) });
    expect(await runRulesTest(['cw.json'], failing.io)).toBe(1);
    expect(failing.out.join('')).toContain(
      [
        '      - firing {service="pay", severity="warning"}',
        "        (the rule's evaluation failed: could not read CloudWatch: Throttling: Rate exceeded)",
      ].join('\n'),
    );
  });

  it.each<[string, string, string[]]>([
    [
      'an invalid rule',
      'rules: [{id: x, type: threshold, metric: {service: s, name: t}, op: "=>", value: 1, window: 5m}]\ntests: [{alert_rule_test: [{eval_time: 1m, alertname: x}]}]',
      ['  INVALID bad.yaml:\n    rules[0].op: must be one of: > >= < <= == !=\n'],
    ],
    [
      'bad series values',
      'rules: []\ntests: [{input_series: [{series: \'t{service="s"}\', values: "1 x"}], alert_rule_test: [{eval_time: 1m, alertname: x}]}]',
      [
        '  INVALID bad.yaml:\n    tests[0].input_series[0].values: "x" is not a value; use numbers, "a+bxn", "a-bxn", "axn" or "_"\n',
      ],
    ],
    [
      'a bad eval time',
      'tests: [{alert_rule_test: [{eval_time: 1 minute, alertname: x}]}]',
      [
        '  INVALID bad.yaml:\n    tests[0].alert_rule_test[0].eval_time: must be a duration such as "30s", "1m" or "1h30m"\n',
      ],
    ],
    [
      'not YAML',
      'tests: [unclosed',
      [
        '  bad.yaml: is not valid YAML or JSON (Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 17:)\n',
      ],
    ],
  ])('%s: exit 2 naming the field', async (_name, text, err) => {
    const c = capture({ 'bad.yaml': text });
    expect(await runRulesTest(['bad.yaml'], c.io)).toBe(2);
    expect(c.err).toEqual(err);
  });

  it('usage errors and unreadable files exit 2', async () => {
    const none = capture();
    expect(await runRulesTest([], none.io)).toBe(2);
    expect(none.err.join('')).toMatch(/^vigil rules test: name at least one test file/);
    const flag = capture();
    expect(await runRulesTest(['--fast', 'x.yaml'], flag.io)).toBe(2);
    const missing = capture();
    expect(await runRulesTest(['no/such/file.yaml'], missing.io)).toBe(2);
    expect(missing.err).toEqual(['  no/such/file.yaml: cannot be read (ENOENT)\n']);
  });
});
