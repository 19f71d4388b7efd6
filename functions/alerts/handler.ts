import { randomUUID } from 'node:crypto';
import { DynamoDbAlertStore } from '../adapters/dynamodb-alert-store.js';
import { DynamoDbOutboxStore } from '../adapters/dynamodb-outbox-store.js';
import { DynamoDbSilenceStore } from '../adapters/dynamodb-silence-store.js';
import { DynamoDbTransitionLog } from '../adapters/dynamodb-transition-log.js';
import { acknowledge, resolveManually, unacknowledge } from '../core/alerting/alert-actions.js';
import type { AlertRecord, AlertTransition, Silence } from '../core/alerting/model.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { parse } from '../core/validate.js';
import { notificationView } from '../notifications/handler.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';
import { AckSchema, AlertQuerySchema, MAX_SILENCE_MS, ResolveSchema, SilenceSchema, UnackSchema } from './inputs.js';
import { alertView, silenceView, transitionView } from './views.js';

/**
 * Alerts and silences, by people: list and inspect alerts (transitions and every notification decision),
 * acknowledge, unacknowledge, resolve by hand; create, list and expire silences. An action is written with
 * the evaluator's version condition; losing to a concurrent evaluation re-reads and re-applies it.
 */
const WRITE_ATTEMPTS = 3;

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('alerts', env, overrides);
  const table = rt.table('alerts');
  const retentionDays = rt.settings.notificationRetentionDays;
  const alerts = new DynamoDbAlertStore(rt.db, table);
  const outbox = new DynamoDbOutboxStore(rt.db, table, retentionDays);
  const silences = new DynamoDbSilenceStore(rt.db, table);
  const transitions = new DynamoDbTransitionLog(rt.db, table, retentionDays);

  async function existing(id: string): Promise<AlertRecord> {
    const alert = await alerts.get(id);
    if (!alert) throw new NotFoundError(`no alert with id ${id}`);
    return alert;
  }

  /** Applies a person's action on the current version, re-reading after a lost race. */
  async function act(
    id: string,
    change: (alert: AlertRecord, now: number) => { next: AlertRecord; transition?: AlertTransition },
  ): Promise<AlertRecord> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const now = rt.clock();
      const { next, transition } = change(await existing(id), now);
      if ((await alerts.put(next)) === 'written') {
        if (transition) await transitions.append([transition]);
        return { ...next, version: next.version + 1 };
      }
    }
    throw new ConflictError(`alert ${id} kept changing while this was applied; try again`);
  }

  return httpFunction({
    name: 'alerts',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'GET /v1/alerts': async (req) => {
        const q = parse(AlertQuerySchema, req.query, 'query');
        const now = rt.clock();
        const items = (await alerts.list())
          .filter((a) => (q.state ? a.state === q.state : a.state !== 'inactive'))
          .filter((a) => !q.severity || a.severity === q.severity)
          .filter((a) => !q.service || a.labels.service === q.service)
          .sort((a, b) => (b.activeAt ?? b.lastEvalAt) - (a.activeAt ?? a.lastEvalAt) || a.id.localeCompare(b.id))
          .map((a) => alertView(a, now));
        return { status: 200, body: { items } };
      },
      'GET /v1/alerts/{id}': async (req) => {
        const alert = await existing(req.params.id ?? '');
        const now = rt.clock();
        const [history, notes] = await Promise.all([
          transitions.forAlert(alert.id, now),
          outbox.forAlert(alert.id, now),
        ]);
        return {
          status: 200,
          body: {
            ...alertView(alert, now),
            transitions: history.map(transitionView),
            notifications: notes.map(notificationView),
          },
        };
      },
      'POST /v1/alerts/{id}/ack': async (req) => {
        const body = parse(AckSchema, req.body ?? {});
        const next = await act(req.params.id ?? '', (a, now) => ({
          next: acknowledge(
            a,
            {
              by: body.by,
              ...(body.comment ? { comment: body.comment } : {}),
              ...(body.until !== undefined ? { until: body.until } : {}),
            },
            now,
          ),
        }));
        req.logger.info('alert acknowledged', { alertId: next.id, by: body.by, principal: req.principal?.id });
        return { status: 200, body: alertView(next, rt.clock()) };
      },
      'POST /v1/alerts/{id}/unack': async (req) => {
        parse(UnackSchema, req.body);
        const next = await act(req.params.id ?? '', (a) => ({ next: unacknowledge(a) }));
        req.logger.info('alert unacknowledged', { alertId: next.id, principal: req.principal?.id });
        return { status: 200, body: alertView(next, rt.clock()) };
      },
      'POST /v1/alerts/{id}/resolve': async (req) => {
        const body = parse(ResolveSchema, req.body ?? {});
        const next = await act(req.params.id ?? '', (a, now) =>
          resolveManually(a, { by: body.by, ...(body.comment ? { comment: body.comment } : {}) }, now),
        );
        req.logger.info('alert resolved by hand', { alertId: next.id, by: body.by, principal: req.principal?.id });
        return { status: 200, body: alertView(next, rt.clock()) };
      },
      'POST /v1/silences': async (req) => {
        const body = parse(SilenceSchema, req.body ?? {});
        const now = rt.clock();
        const startsAt = body.startsAt ?? now;
        if (body.endsAt <= startsAt) throw new ValidationError([{ path: 'endsAt', message: 'must be after startsAt' }]);
        if (body.endsAt <= now) throw new ValidationError([{ path: 'endsAt', message: 'must be in the future' }]);
        if (body.endsAt - startsAt > MAX_SILENCE_MS)
          throw new ValidationError([{ path: 'endsAt', message: 'must be at most 366 days after startsAt' }]);
        const open = await silences.list(now);
        if (open.length >= rt.settings.maxSilences) {
          throw new ConflictError(
            `silences: the limit of ${rt.settings.maxSilences} silences that have not ended is reached (VIGIL_MAX_SILENCES); expire one or raise the limit`,
          );
        }
        const silence: Silence = {
          id: randomUUID(),
          matchers: body.matchers,
          startsAt,
          endsAt: body.endsAt,
          comment: body.comment,
          createdBy: body.createdBy,
          createdAt: now,
          ...(body.weekly ? { weekly: body.weekly, timeZone: body.timeZone ?? 'UTC' } : {}),
        };
        await silences.put(silence);
        req.logger.info('silence created', { silenceId: silence.id, by: body.createdBy, principal: req.principal?.id });
        return {
          status: 201,
          body: silenceView(silence, now),
          headers: { location: `/v1/silences/${silence.id}` },
        };
      },
      'GET /v1/silences': async () => {
        const now = rt.clock();
        const items = (await silences.list(now))
          .sort((a, b) => a.startsAt - b.startsAt)
          .map((s) => silenceView(s, now));
        return { status: 200, body: { items } };
      },
      'DELETE /v1/silences/{id}': async (req) => {
        const id = req.params.id ?? '';
        if (!(await silences.expire(id, rt.clock()))) throw new NotFoundError(`no silence with id ${id}`);
        req.logger.info('silence expired', { silenceId: id, principal: req.principal?.id });
        return { status: 204 };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
