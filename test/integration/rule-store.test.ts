import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb.js';
import { DynamoDbRuleStore } from '../../functions/adapters/dynamodb-rule-store.js';
import { applyRulePlan, deleteRule, planRuleApply, putRule } from '../../functions/core/alerting/rule-lifecycle.js';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/core/errors.js';
import { type InvalidStoredRule, storedRuleSource } from '../../functions/evaluator/rule-source.js';
import { type LocalDynamo, startLocalDynamo } from '../../lib/local/dynamo.js';

/** The rules store and the rule lifecycle (ownership, limits) against dynalite through the real SDK. */
let dynamo: LocalDynamo;
let store: DynamoDbRuleStore;
const T0 = Date.UTC(2026, 0, 5, 12);
const def = (value: number) => ({ type: 'threshold', severity: 'warning', op: '>', value, window: '5m' });

beforeAll(async () => {
  dynamo = await startLocalDynamo({});
  store = new DynamoDbRuleStore(documentClient({ endpoint: dynamo.endpoint }), dynamo.tables.alerts);
});
afterAll(() => dynamo?.close());

describe('rule store', () => {
  it('creates, updates (keeping createdAt), lists and deletes a rule with its status', async () => {
    const first = await putRule(store, 'cpu', def(1), T0, 10);
    expect(first).toMatchObject({ created: true, rule: { id: 'cpu', origin: 'api', createdAt: T0, updatedAt: T0 } });
    const second = await putRule(store, 'cpu', def(2), T0 + 1_000, 10);
    expect(second.created).toBe(false);
    expect(await store.get('cpu')).toEqual({
      id: 'cpu',
      definition: def(2),
      origin: 'api',
      createdAt: T0,
      updatedAt: T0 + 1_000,
    });
    await store.putStatuses([{ ruleId: 'cpu', evaluatedAt: T0 + 2_000, health: 'ok', active: 1, durationMs: 4 }]);
    expect(await store.status('cpu')).toEqual({
      ruleId: 'cpu',
      evaluatedAt: T0 + 2_000,
      health: 'ok',
      active: 1,
      durationMs: 4,
    });
    expect((await store.list()).map((r) => r.id)).toEqual(['cpu']);
    await deleteRule(store, 'cpu');
    expect(await store.get('cpu')).toBeUndefined();
    expect(await store.status('cpu')).toBeUndefined();
    await expect(deleteRule(store, 'cpu')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a new rule past the limit but still updates an existing one', async () => {
    await putRule(store, 'a', def(1), T0, 2);
    await putRule(store, 'b', def(1), T0, 2);
    await expect(putRule(store, 'c', def(1), T0, 2)).rejects.toThrow(
      /rules: the limit of 2 rules is reached \(VIGIL_MAX_RULES\)/,
    );
    await expect(putRule(store, 'c', def(1), T0, 2)).rejects.toBeInstanceOf(ConflictError);
    expect((await putRule(store, 'b', def(5), T0, 2)).created).toBe(false);
    await Promise.all(['a', 'b'].map((id) => deleteRule(store, id)));
  });

  it('refuses an id that is not a name, naming the field', async () => {
    const error = await putRule(store, 'no spaces', def(1), T0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([{ path: 'id', message: expect.stringContaining('1-128') }]);
  });

  it('applies config rules: creates, leaves unchanged, takes over an API rule, deletes the ones dropped', async () => {
    await putRule(store, 'api-owned', def(1), T0, 10);
    const plan1 = planRuleApply(
      await store.list(),
      [
        { id: 'file-a', definition: def(1) },
        { id: 'api-owned', definition: def(3) },
      ],
      T0,
      10,
    );
    expect(plan1.create.map((r) => r.id)).toEqual(['file-a']);
    expect(plan1.update.map((r) => r.id)).toEqual(['api-owned']);
    await applyRulePlan(store, plan1);
    expect((await store.get('api-owned'))?.origin).toBe('config');
    await expect(putRule(store, 'file-a', def(2), T0, 10)).rejects.toThrow(/managed by the config file/);
    await expect(deleteRule(store, 'api-owned')).rejects.toBeInstanceOf(ConflictError);

    const plan2 = planRuleApply(await store.list(), [{ id: 'file-a', definition: { ...def(1) } }], T0 + 60_000, 10);
    expect(plan2).toMatchObject({ create: [], update: [], unchanged: ['file-a'], remove: ['api-owned'] });
    await applyRulePlan(store, plan2);
    expect((await store.list()).map((r) => r.id)).toEqual(['file-a']);
    await store.delete('file-a');
    expect(() =>
      planRuleApply(
        [],
        [
          { id: 'x', definition: def(1) },
          { id: 'y', definition: def(1) },
        ],
        T0,
        1,
      ),
    ).toThrow(/rules: 2 rules in all would exceed the limit of 1/);
  });

  it('gives the evaluator every stored rule parsed, and reports one whose definition no longer parses', async () => {
    const definition = {
      type: 'threshold',
      metric: { service: 'checkout', name: 'http.server.duration', stat: 'p95' },
      op: '>',
      value: 800,
      window: '5m',
    };
    await store.put({ id: 'good', definition, origin: 'api', createdAt: T0, updatedAt: T0 });
    await store.put({ id: 'stale', definition: { type: 'threshold' }, origin: 'config', createdAt: T0, updatedAt: T0 });
    const invalid: InvalidStoredRule[] = [];
    const rules = await storedRuleSource(store, (i) => invalid.push(i)).list();
    const good = rules.find((r) => r.id === 'good');
    expect(good).toMatchObject({ id: 'good', type: 'threshold', origin: 'api', severity: 'warning', forMs: 0 });
    expect(good?.type === 'threshold' && good.spec.windowMs).toBe(300_000);
    expect(rules.map((r) => r.id)).not.toContain('stale');
    expect(invalid.map((i) => i.rule.id)).toEqual(['stale']);
    expect(invalid[0]?.issues.length).toBeGreaterThan(0);
    await Promise.all(['good', 'stale'].map((id) => store.delete(id)));
  });
});
