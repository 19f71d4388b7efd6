import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlertReader } from '../adapters/alert-data-cloudwatch.js';
import { vigilAlertData } from '../adapters/alert-data-vigil.js';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { DynamoDbTelemetryReader } from '../adapters/dynamodb-telemetry-reader.js';
import { formatDuration } from '../core/alerting/duration.js';
import { type SeriesNames, unknownMetricViolations } from '../core/alerting/known-metrics.js';
import { deleteRule, putRule } from '../core/alerting/rule-lifecycle.js';
import { parseRule } from '../core/alerting/rule-parse.js';
import { readErrorBudget } from '../core/alerting/rules/burn-rate.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { ruleView } from './rule-view.js';

/**
 * Alert rules through the API: `PUT` validates with the same `parseRule` the evaluator and the config file
 * use (every refusal names its field), refuses Vigil metrics no data has been received for
 * (known-metrics.ts), and stores the definition as given; rules from vigil.config.json are
 * read-only here (409); a new rule past `VIGIL_MAX_RULES` is refused (409).
 */
const iso = (ms: number) => new Date(ms).toISOString();
const finite = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);

export interface RulesOverrides extends RuntimeOverrides {
  readonly cloudWatch?: CloudWatchClient;
}

export function createHandler(env: FunctionEnv, overrides: RulesOverrides = {}) {
  const rt = runtime('rules', env, overrides);
  const store = new DynamoDbRuleStore(rt.db, rt.table('alerts'));
  const telemetry = new DynamoDbTelemetryReader(rt.db, rt.table('telemetry'), rt.clock);
  const data = vigilAlertData({
    reader: telemetry,
    targets: new DynamoDbTargetStore(rt.db, rt.table('probes')),
    stepSeconds: rt.settings.rollupStepSeconds,
    cloudWatch: new CloudWatchAlertReader(overrides.cloudWatch ?? new CloudWatchClient({})),
    now: rt.clock,
  });
  const series: SeriesNames = { has: async (service, name) => (await telemetry.listSeries(service, name)).length > 0 };

  return httpFunction({
    name: 'rules',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'PUT /v1/rules/{id}': async (req) => {
        const id = req.params.id ?? '';
        const parsed = parseRule(req.body ?? {}, 'api', id);
        if (!parsed.ok) throw new ValidationError(parsed.issues);
        const unknown = await unknownMetricViolations(parsed.rule, series);
        if (unknown.length > 0) throw new ValidationError(unknown);
        const { id: _id, ...definition } = req.body as Record<string, unknown>;
        const { rule, created } = await putRule(store, id, definition, rt.clock(), rt.settings.maxRules);
        req.logger.info(created ? 'rule created' : 'rule updated', { ruleId: id, by: req.principal?.id });
        return {
          status: created ? 201 : 200,
          body: ruleView(rule, await store.status(id)),
          ...(created ? { headers: { location: `/v1/rules/${encodeURIComponent(id)}` } } : {}),
        };
      },
      'GET /v1/rules': async () => {
        const [rules, statuses] = await Promise.all([store.list(), store.statuses()]);
        const byId = new Map(statuses.map((s) => [s.ruleId, s]));
        const items = rules.sort((a, b) => a.id.localeCompare(b.id)).map((r) => ruleView(r, byId.get(r.id)));
        return { status: 200, body: { items } };
      },
      'GET /v1/rules/{id}': async (req) => {
        const id = req.params.id ?? '';
        const [rule, status] = await Promise.all([store.get(id), store.status(id)]);
        if (!rule) throw new NotFoundError(`no rule with id ${id}`);
        return { status: 200, body: ruleView(rule, status) };
      },
      'GET /v1/slos/{ruleId}': async (req) => {
        const id = req.params.ruleId ?? '';
        const record = await store.get(id);
        if (!record) throw new NotFoundError(`no rule with id ${id}`);
        const parsed = parseRule({ ...record.definition, id }, record.origin, id);
        if (!parsed.ok || parsed.rule.type !== 'burn_rate') {
          throw new NotFoundError(`rule ${id} is not a burn_rate rule: it has no SLO`);
        }
        const now = rt.clock();
        const b = await readErrorBudget(parsed.rule, data, now);
        return {
          status: 200,
          body: {
            ruleId: id,
            objective: b.objective,
            period: formatDuration(b.periodMs),
            from: iso(b.from),
            to: iso(b.to),
            good: b.good,
            total: b.total,
            sli: finite(b.sli),
            allowedBad: b.allowedBad,
            bad: b.bad,
            remaining: finite(b.remaining),
            exhausted: b.remaining <= 0,
          },
        };
      },
      'DELETE /v1/rules/{id}': async (req) => {
        await deleteRule(store, req.params.id ?? '');
        req.logger.info('rule deleted', { ruleId: req.params.id, by: req.principal?.id });
        return { status: 204 };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
