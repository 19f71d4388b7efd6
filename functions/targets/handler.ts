import { DynamoDbProbeHistory } from '../adapters/dynamodb-probe-history.js';
import { DynamoDbTargetStore } from '../adapters/dynamodb-target-store.js';
import { NotFoundError } from '../core/errors.js';
import { prepareApiSpec } from '../core/probing/redact-headers.js';
import { TargetIdSchema, TargetSpecSchema } from '../core/probing/target-schema.js';
import {
  eventsView,
  historyHours,
  historyView,
  targetDetailView,
  targetList,
  targetView,
  uptimeRange,
} from '../core/probing/target-views.js';
import { deleteTarget, putTarget } from '../core/probing/targets.js';
import { parse } from '../core/validate.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { urlPolicyOf } from '../platform/url-policy-setting.js';
import { eventsQuery, historyQuery } from './queries.js';

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('targets', env, overrides);
  const table = rt.table('probes');
  const store = new DynamoDbTargetStore(rt.db, table);
  const history = new DynamoDbProbeHistory(rt.db, table, rt.settings.probeRetentionDays, rt.clock, rt.cursors);

  async function existing(id: string) {
    const target = await store.getTarget(id);
    if (!target) throw new NotFoundError(`no target with id ${id}`);
    return target;
  }

  return httpFunction({
    name: 'targets',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'PUT /v1/targets/{id}': async (req) => {
        const id = parse(TargetIdSchema, req.params.id, 'id');
        const spec = await prepareApiSpec(store, id, parse(TargetSpecSchema, req.body ?? {}), urlPolicyOf(rt.settings));
        const { target, created } = await putTarget(store, id, spec, rt.clock());
        req.logger.info(created ? 'target created' : 'target updated', { targetId: id, by: req.principal?.id });
        return {
          status: created ? 201 : 200,
          body: targetView(target, await store.getState(id)),
          ...(created ? { headers: { location: `/v1/targets/${id}` } } : {}),
        };
      },
      'GET /v1/targets': async () => {
        const [targets, states] = await Promise.all([store.listTargets(), store.listStates()]);
        return { status: 200, body: { items: targetList(targets, states) } };
      },
      'GET /v1/targets/{id}': async (req) => {
        const target = await existing(req.params.id ?? '');
        const now = rt.clock();
        const [state, rollups] = await Promise.all([
          store.getState(target.id),
          history.rollups(target.id, uptimeRange(now)),
        ]);
        return { status: 200, body: targetDetailView(target, state, rollups, now) };
      },
      'DELETE /v1/targets/{id}': async (req) => {
        await deleteTarget(store, req.params.id ?? '');
        req.logger.info('target deleted', { targetId: req.params.id, by: req.principal?.id });
        return { status: 204 };
      },
      'GET /v1/targets/{id}/history': async (req) => {
        const target = await existing(req.params.id ?? '');
        const q = historyQuery(req.query, rt.clock());
        const range = { from: q.from, to: q.to };
        const [page, transitions, rollups, state] = await Promise.all([
          history.results(target.id, range, q.limit, q.cursor),
          history.targetEvents(target.id, range),
          history.rollups(target.id, historyHours(range)),
          store.getState(target.id),
        ]);
        return { status: 200, body: historyView(target.id, range, page, transitions, rollups, state) };
      },
      'GET /v1/target-events': async (req) => {
        const q = eventsQuery(req.query, rt.clock());
        const events = await history.events({ from: q.from, to: q.to });
        return { status: 200, body: eventsView(q, events, q.service) };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
