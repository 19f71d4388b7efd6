import * as v from 'valibot';
import { DynamoDbTokenStore } from '../adapters/dynamodb-token-store.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import { SCOPES } from '../core/scopes.js';
import { mintToken, summarize } from '../core/tokens.js';
import { parse } from '../core/validate.js';
import type { FunctionEnv } from '../platform/config.js';
import { httpFunction } from '../platform/http-function.js';
import { lambdaHandler } from '../platform/lambda-handler.js';
import { type RuntimeOverrides, runtime } from '../platform/runtime.js';

const NewTokenSchema = v.object({
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(64, 'must be at most 64 characters'),
  ),
  scopes: v.pipe(
    v.array(v.picklist(SCOPES, `must be one of: ${SCOPES.join(', ')}`)),
    v.minLength(1, 'must name at least one scope'),
  ),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
});

export function createHandler(env: FunctionEnv, overrides: RuntimeOverrides = {}) {
  const rt = runtime('tokens', env, overrides);
  const store = new DynamoDbTokenStore(rt.db, rt.table('tokens'));
  return httpFunction({
    name: 'tokens',
    obs: rt.obs,
    auth: rt.auth,
    maxBodyBytes: rt.settings.maxBodyBytes,
    routes: {
      'POST /v1/tokens': async (req) => {
        const input = parse(NewTokenSchema, req.body ?? {});
        const { token, record } = mintToken(input, rt.clock());
        await store.put(record);
        req.logger.info('token minted', { tokenId: record.id, scopes: record.scopes, by: req.principal?.id });
        return { status: 201, body: { ...summarize(record), token }, headers: { location: `/v1/tokens/${record.id}` } };
      },
      'GET /v1/tokens': async () => {
        const now = rt.clock();
        const items = (await store.list()).map((r) => ({
          ...summarize(r),
          expired: r.expiresAt !== undefined && r.expiresAt <= now,
        }));
        return { status: 200, body: { items } };
      },
      'DELETE /v1/tokens/{id}': async (req) => {
        const id = req.params.id ?? '';
        const existing = await store.get(id);
        if (!existing) throw new NotFoundError(`no token with id ${id}`);
        if (existing.bootstrap) {
          throw new ConflictError(
            'the bootstrap admin token is managed by local mode or the deployment; change it there',
          );
        }
        await store.delete(id);
        req.logger.info('token revoked', { tokenId: id, by: req.principal?.id });
        return { status: 204 };
      },
    },
  });
}

export const handler = lambdaHandler(createHandler);
