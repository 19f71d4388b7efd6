import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../functions/core/alerting/duration.js';
import { matches } from '../../../functions/core/alerting/matchers.js';
import { unknownMetricViolations } from '../../../functions/core/alerting/rule-metrics.js';
import { parseRule, SRE_WORKBOOK_WINDOWS } from '../../../functions/core/alerting/rule-parse.js';
import { renderTemplate, templateProblem } from '../../../functions/core/alerting/template.js';

const threshold = (extra: Record<string, unknown> = {}) => ({
  type: 'threshold',
  metric: {
    service: 'checkout',
    name: 'http.server.duration',
    stat: 'p95',
    tags: { route: '/cart' },
    groupBy: ['route'],
  },
  op: '>',
  value: 800,
  window: '5m',
  ...extra,
});

const issuesOf = (json: unknown, id = 'r1') => {
  const result = parseRule(json, 'api', id);
  return result.ok ? [] : result.issues;
};

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['0', 0],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['5 minutes', '5', '1.5h', '-1m', '', '5M', '30m1h', '401d'])('%j is refused', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it('formats back to the shortest spelling', () => {
    expect([300_000, 5_400_000, 0, 90_061_000].map(formatDuration)).toEqual(['5m', '1h30m', '0s', '1d1h1m1s']);
  });
});

describe('templates', () => {
  it('renders value and labels, Prometheus spellings too', () => {
    const data = { value: 812.3456, labels: { route: '/cart', service: 'checkout' } };
    expect(
      renderTemplate('p95 of {{ labels.route }} is {{ value }} ms ({{$labels.service}}, {{ $value }})', data),
    ).toBe('p95 of /cart is 812.3 ms (checkout, 812.3)');
    expect(renderTemplate('{{ labels.missing }}|{{ value }}', { value: undefined, labels: {} })).toBe('|');
  });

  it.each([
    ['{{ vlue }}', '"{{ vlue }}" is not a template field; use {{ value }} or {{ labels.NAME }}'],
    ['{{ labels. }}', '"{{ labels. }}" is not a template field; use {{ value }} or {{ labels.NAME }}'],
    ['value {{ value', 'has an unclosed "{{" or a stray "}}"'],
    ['value }}', 'has an unclosed "{{" or a stray "}}"'],
  ])('%j is refused: %s', (template, message) => expect(templateProblem(template)).toBe(message));

  it('a template that does not parse renders as written', () => {
    expect(renderTemplate('{{ nope }}', { value: 1, labels: {} })).toBe('{{ nope }}');
  });
});

describe('matchers', () => {
  it.each([
    ['=', 'checkout', 'checkout', true],
    ['!=', 'checkout', 'checkout', false],
    ['=~', 'check.*', 'checkout', true],
    ['=~', 'check', 'checkout', false],
    ['!~', 'api|web', 'webapp', true],
  ] as const)('%s %s on %s → %s', (op, value, actual, expected) =>
    expect(matches({ label: 'service', op, value }, { service: actual })).toBe(expected),
  );
});

describe('parseRule', () => {
  it('fills every default of the issue example', () => {
    const result = parseRule(threshold({ for: '2m', keepFiringFor: '5m' }), 'api', 'checkout-latency');
    expect(result).toEqual({
      ok: true,
      rule: {
        id: 'checkout-latency',
        type: 'threshold',
        severity: 'warning',
        service: 'checkout',
        labels: {},
        annotations: {},
        forMs: 120_000,
        keepFiringForMs: 300_000,
        noData: 'nodata',
        duringDeploy: 'hold',
        groupBy: ['service'],
        groupWaitMs: 30_000,
        groupIntervalMs: 300_000,
        repeatIntervalMs: 14_400_000,
        throttlePeriodMs: 300_000,
        escalation: [],
        dependsOn: [],
        flapping: { maxChanges: 6, windowMs: 1_800_000 },
        origin: 'api',
        spec: {
          metric: {
            source: 'vigil',
            service: 'checkout',
            name: 'http.server.duration',
            stat: 'p95',
            tags: { route: '/cart' },
            match: [],
            groupBy: ['route'],
          },
          op: '>',
          value: 800,
          windowMs: 300_000,
        },
      },
    });
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'a bad duration',
      threshold({ window: '5 minutes' }),
      [{ path: 'window', message: 'must be a duration such as "30s", "5m", "2h", "1d" or "1h30m"' }],
    ],
    ['a window of 0', threshold({ window: '0s' }), [{ path: 'window', message: 'must be longer than 0' }]],
    ['an unknown operator', threshold({ op: '=>' }), [{ path: 'op', message: 'must be one of: > >= < <= == !=' }]],
    [
      'an unknown type',
      { type: 'ratio' },
      [{ path: 'type', message: 'must be one of threshold, absence, health, error_rate, anomaly, burn_rate' }],
    ],
    ['not an object', 'threshold', [{ path: '', message: 'must be an object' }]],
    ['a typo', threshold({ keepFiringFro: '5m' }), [{ path: 'keepFiringFro', message: 'unknown field' }]],
    ['a missing field', { ...threshold(), value: undefined }, [{ path: 'value', message: 'must be a number' }]],
    [
      'a missing metric name',
      threshold({ metric: { service: 'checkout' } }),
      [{ path: 'metric.name', message: 'required' }],
    ],
    [
      'an unknown statistic',
      threshold({ metric: { service: 'c', name: 'x', stat: 'median' } }),
      [{ path: 'metric.stat', message: 'must be count, sum, avg, min, max, rate or a percentile such as p95' }],
    ],
    [
      'an invalid regex',
      threshold({ metric: { service: 'c', name: 'x', match: [{ label: 'route', op: '=~', value: '(cart' }] } }),
      [
        {
          path: 'metric.match[0].value',
          message: 'is not a valid regular expression (/^(?:(cart)$/u: Unterminated group)',
        },
      ],
    ],
    [
      'a template that does not parse',
      threshold({ annotations: { summary: 'p95 {{ value ' } }),
      [{ path: 'annotations.summary', message: 'has an unclosed "{{" or a stray "}}"' }],
    ],
    [
      'a bad severity',
      threshold({ severity: 'page' }),
      [{ path: 'severity', message: 'must be one of: critical, warning, info' }],
    ],
    [
      'a bad noData',
      threshold({ noData: 'ignore' }),
      [{ path: 'noData', message: 'must be one of: nodata, ok, alerting, keep' }],
    ],
    [
      'escalation out of order',
      threshold({
        escalation: [
          { after: '30m', topic: 'escalation' },
          { after: '15m', topic: 'critical' },
        ],
      }),
      [{ path: 'escalation[1].after', message: 'must be later than the step before it' }],
    ],
    [
      'a reserved label',
      threshold({ labels: { severity: 'x' } }),
      [{ path: 'labels', message: '"rule" and "severity" are set by Vigil; choose another label name' }],
    ],
    [
      'a CloudWatch metric without a service',
      threshold({ metric: { source: 'cloudwatch', namespace: 'AWS/Lambda', metricName: 'Errors' } }),
      [{ path: 'service', message: "required when the metric is from CloudWatch (the alerts' service label)" }],
    ],
    [
      'a bad CloudWatch statistic',
      threshold({
        service: 's',
        metric: { source: 'cloudwatch', namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'avg' },
      }),
      [
        {
          path: 'metric.stat',
          message: 'must be a CloudWatch statistic: SampleCount, Average, Sum, Minimum, Maximum or pNN',
        },
      ],
    ],
    [
      'an error rate as a percentage',
      { type: 'error_rate', service: 'checkout', value: 5, window: '5m' },
      [{ path: 'value', message: 'must be a ratio from 0 to 1 (0.05 is 5%)' }],
    ],
    [
      'an SLO of 100%',
      { type: 'burn_rate', objective: 100, total: { service: 'c', name: 'r' }, good: { name: 'g' } },
      [{ path: 'objective', message: 'must be a percentage below 100, such as 99.9' }],
    ],
    [
      'an SLO without good',
      { type: 'burn_rate', objective: 99.9, total: { service: 'c', name: 'r' } },
      [{ path: 'good', message: 'required unless latencyThreshold is given' }],
    ],
    [
      'an anomaly window over an hour',
      { type: 'anomaly', metric: { service: 'c', name: 'x' }, window: '2h' },
      [{ path: 'window', message: 'must be at most 1h (the baseline is per hour of day and weekday)' }],
    ],
    [
      'an id that differs from the path',
      threshold({ id: 'other' }),
      [{ path: 'id', message: 'must match the id in the path (r1)' }],
    ],
  ])('refuses %s, naming the field', (_name, json, expected) => expect(issuesOf(json)).toEqual(expected));

  it('a config entry needs its id', () => {
    expect(parseRule(threshold(), 'config')).toEqual({ ok: false, issues: [{ path: 'id', message: 'required' }] });
    const ok = parseRule(threshold({ id: 'from-file' }), 'config');
    expect(ok.ok && ok.rule.id).toBe('from-file');
    expect(ok.ok && ok.rule.origin).toBe('config');
  });

  it('for may be 0 or shorter than the evaluation interval', () => {
    const r = parseRule(threshold({ for: '10s' }), 'api', 'r');
    expect(r.ok && r.rule.forMs).toBe(10_000);
  });

  it('error_rate defaults to 5xx over all requests with a minimum request count', () => {
    const r = parseRule({ type: 'error_rate', service: 'checkout', value: 0.05, window: '5m' }, 'api', 'e');
    expect(r.ok && r.rule.type === 'error_rate' && r.rule.spec).toEqual({
      errors: {
        source: 'vigil',
        service: 'checkout',
        name: 'http.server.requests',
        stat: 'sum',
        tags: { status_class: '5xx' },
        match: [],
        groupBy: [],
      },
      total: {
        source: 'vigil',
        service: 'checkout',
        name: 'http.server.requests',
        stat: 'sum',
        tags: {},
        match: [],
        groupBy: [],
      },
      op: '>',
      value: 0.05,
      windowMs: 300_000,
      minRequests: 20,
    });
  });

  it('burn_rate defaults to the SRE workbook windows', () => {
    const r = parseRule(
      { type: 'burn_rate', objective: 99.9, total: { service: 'c', name: 'r' }, good: { name: 'g' } },
      'api',
      'slo',
    );
    expect(r.ok && r.rule.type === 'burn_rate' && r.rule.spec.windows).toBe(SRE_WORKBOOK_WINDOWS);
    expect(SRE_WORKBOOK_WINDOWS.map((w) => [w.longMs / 60_000, w.shortMs / 60_000, w.burnRate, w.action])).toEqual([
      [60, 5, 14.4, 'page'],
      [360, 30, 6, 'page'],
      [4320, 360, 1, 'ticket'],
    ]);
  });
});

describe('unknown metrics', () => {
  it('names each Vigil metric the service has never sent, with its field', async () => {
    const known = async (service: string, name: string) => service === 'checkout' && name === 'http.server.requests';
    const ok = (json: unknown) => {
      const r = parseRule(json, 'api', 'r');
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.rule;
    };
    expect(
      await unknownMetricViolations(
        ok(threshold({ metric: { service: 'checkout', name: 'http.server.duraton' } })),
        known,
      ),
    ).toEqual([{ path: 'metric.name', message: 'checkout has sent no metric named http.server.duraton' }]);
    expect(
      await unknownMetricViolations(ok({ type: 'error_rate', service: 'checkout', value: 0.05, window: '5m' }), known),
    ).toEqual([]);
    expect(
      await unknownMetricViolations(
        ok({ type: 'absence', metric: { service: 'new', name: 'heartbeat' }, window: '5m' }),
        known,
      ),
    ).toEqual([]);
    expect(
      await unknownMetricViolations(
        ok({
          type: 'burn_rate',
          service: 'checkout',
          objective: 99,
          total: { name: 'http.server.requests' },
          good: { name: 'ok' },
        }),
        known,
      ),
    ).toEqual([{ path: 'good.name', message: 'checkout has sent no metric named ok' }]);
  });
});
