import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbAlertStore } from '../../functions/adapters/dynamodb-alert-store.js';
import { DynamoDbVerificationStore } from '../../functions/adapters/dynamodb-verification-store.js';
import type { AlertRecord } from '../../functions/core/alerting/model.js';
import { parse } from '../../functions/core/validate.js';
import type { StepMessage } from '../../functions/core/verification/ports.js';
import { newVerification } from '../../functions/core/verification/record.js';
import { verificationRequestSchema } from '../../functions/core/verification/request-schema.js';
import { createHandler as createWorker } from '../../functions/verify-worker/handler.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import { startTestVigil, type TestVigil } from '../support/local-vigil.js';

/**
 * The errorBudget check and the firing alerts, end to end against dynalite: a burn_rate rule stored through
 * the rules API, good/total counters sent through the ingestion API, alerts in the alert store, and the
 * worker (built from its declared environment) judging a verification with a pinned clock.
 */
let vigil: TestVigil;
let store: DynamoDbVerificationStore;
let alerts: DynamoDbAlertStore;
const STEP_MS = 10_000;
// Counters must not be in the future for the ingestion API, so the verification starts 10 minutes ago.
const C = Math.floor((Date.now() - 600_000) / STEP_MS) * STEP_MS;
const schema = verificationRequestSchema(1);

const ingest = async (service: string, good: number, total: number, timestamp: number) => {
  const res = await vigil.request('/v1/ingest', {
    method: 'POST',
    json: {
      service,
      environment: 'staging',
      version: '2.0.0',
      metrics: [
        { name: 'requests.good', type: 'counter', value: good, timestamp },
        { name: 'requests.total', type: 'counter', value: total, timestamp },
      ],
    },
  });
  expect(res.status).toBe(202);
};

const putRule = async (id: string, body: unknown) => {
  const res = await vigil.request(`/v1/rules/${id}`, { method: 'PUT', json: body });
  expect(res.status).toBe(201);
};

const sloRule = (service: string) => ({
  type: 'burn_rate',
  objective: 90,
  period: '7d',
  good: { service, name: 'requests.good' },
  total: { service, name: 'requests.total' },
  windows: [{ long: '1h', short: '5m', burnRate: 1.2 }],
});

const alert = (id: string, service: string, state: AlertRecord['state'], summary: string): AlertRecord => ({
  id,
  ruleId: `${service}-latency`,
  labels: { service, rule: `${service}-latency`, severity: 'critical' },
  annotations: { summary },
  severity: 'critical',
  state,
  value: 900,
  activeAt: C,
  firedAt: state === 'firing' ? C + 60_000 : undefined,
  resolvedAt: undefined,
  keepFiringSince: undefined,
  lastEvalAt: C + 60_000,
  changes: [C],
  flapping: false,
  ack: undefined,
  manualResolve: undefined,
  seq: 1,
  version: 0,
});

function worker(clock: () => number) {
  const handler = createWorker(
    { ...vigil.environmentOf('verifyWorker'), POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    { clock, stepQueue: { send: async () => undefined } },
  );
  return (message: StepMessage) =>
    handler(
      {
        Records: [{ messageId: 'm1', body: JSON.stringify({ vigilVerificationStep: message }) }],
      } as unknown as SQSEvent,
      lambdaContext('verifyWorker', 60) as Context,
    );
}

const start = async (id: string, service: string, slo: string) => {
  const request = parse(schema, {
    service,
    environment: 'staging',
    version: '2.0.0',
    checks: { errorBudget: { slo, windowSeconds: 300 } },
  });
  expect(await store.create(newVerification(id, request, C))).toBe('created');
  const out = await worker(() => C + 301_000)({ id, step: 0 });
  expect(out).toEqual({ batchItemFailures: [] });
  return store.get(id);
};

beforeAll(async () => {
  vigil = await startTestVigil({ VIGIL_ROLLUP_STEP_SECONDS: '10' });
  const env = vigil.environmentOf('verifyWorker');
  const db = documentClient({ endpoint: env.VIGIL_DYNAMODB_ENDPOINT });
  store = new DynamoDbVerificationStore(db, env.VIGIL_TABLE_DEPLOYMENTS!, 90, () => C);
  alerts = new DynamoDbAlertStore(db, env.VIGIL_TABLE_ALERTS!);
});
afterAll(() => vigil?.close());

describe('verification errorBudget from a burn_rate rule, and the firing alerts', () => {
  it('fails on a burn above the fast-burn rate, with the remaining budget, and lists the service’s firing alerts', async () => {
    // Before the window (in the period): 100 bad of 10,000. In the window: 150 bad of 1,000.
    await ingest('slo-svc', 9_900, 10_000, C - 1_800_000);
    await ingest('slo-svc', 850, 1_000, C + 60_000);
    await putRule('slo-svc-availability', sloRule('slo-svc'));
    expect(await alerts.put(alert('a-firing', 'slo-svc', 'firing', 'p95 of slo-svc is 900 ms'))).toBe('written');
    expect(await alerts.put(alert('a-resolved', 'slo-svc', 'resolved', 'old'))).toBe('written');
    expect(await alerts.put(alert('a-other', 'other-svc', 'firing', 'not this service'))).toBe('written');

    const record = await start('55555555-5555-4555-8555-555555555555', 'slo-svc', 'slo-svc-availability');
    const check = record!.checks.errorBudget!;
    expect(check.status).toBe('fail');
    expect(check.reasons.map((r) => r.code)).toEqual(['error-budget-fast-burn']);
    // 15% bad in the window ÷ the 10% the objective allows: 1.5×, above 1.2×. Over the period: 250 bad of the
    // 1,100 allowed (10% of 11,000), so 1 − 250/1,100 of the budget remains.
    expect(check.evidence).toMatchObject({
      slo: 'slo-svc-availability',
      objective: 90,
      burnRate: 1.5,
      fastBurnRate: 1.2,
      windowSeconds: 300,
    });
    expect(check.evidence.remainingBudget as number).toBeCloseTo(1 - 250 / 1_100, 9);
    expect(check.reasons[0]!.message).toContain('77.3% of the budget remains');
    expect(record!.alerts).toEqual([
      {
        id: 'a-firing',
        ruleId: 'slo-svc-latency',
        severity: 'critical',
        state: 'firing',
        firedAt: C + 60_000,
        summary: 'p95 of slo-svc is 900 ms',
      },
    ]);
    expect(record!.verdict).toMatchObject({ verdict: 'fail', rollback: true });
    expect(record!.verdict!.reasons.map((r) => r.code)).toContain('alerts-firing');
  });

  it('passes a burn below the fast-burn rate', async () => {
    await ingest('calm-svc', 995, 1_000, C + 60_000);
    await putRule('calm-availability', sloRule('calm-svc'));
    const record = await start('66666666-6666-4666-8666-666666666666', 'calm-svc', 'calm-availability');
    expect(record!.checks.errorBudget).toMatchObject({
      status: 'pass',
      reasons: [{ code: 'error-budget-ok' }],
      evidence: { burnRate: 0.05, remainingBudget: 0.95 },
    });
  });

  it('an unknown SLO, a rule that is not an SLO, or an SLO without events in the window is inconclusive with the reason', async () => {
    const unknown = await start('77777777-7777-4777-8777-777777777777', 'calm-svc', 'no-such-slo');
    expect(unknown!.checks.errorBudget).toMatchObject({
      status: 'inconclusive',
      reasons: [
        {
          code: 'slo-unknown',
          message: 'error budget of "no-such-slo" could not be judged: there is no alert rule with id "no-such-slo"',
        },
      ],
    });
    await putRule('calm-threshold', {
      type: 'threshold',
      metric: { service: 'calm-svc', name: 'requests.total', stat: 'sum' },
      op: '>',
      value: 1,
      window: '5m',
    });
    const other = await start('88888888-8888-4888-8888-888888888888', 'calm-svc', 'calm-threshold');
    expect(other!.checks.errorBudget!.reasons[0]!.message).toBe(
      'error budget of "calm-threshold" could not be judged: rule "calm-threshold" is a threshold rule, not burn_rate: it has no SLO',
    );
    await ingest('quiet-svc', 10, 10, C - 1_800_000);
    await putRule('quiet-availability', sloRule('quiet-svc'));
    const quiet = await start('99999999-9999-4999-8999-999999999999', 'quiet-svc', 'quiet-availability');
    expect(quiet!.checks.errorBudget).toMatchObject({
      status: 'inconclusive',
      reasons: [{ code: 'slo-unknown', message: expect.stringContaining('no events of "quiet-availability"') }],
    });
  });
});
