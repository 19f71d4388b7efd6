import type { AlertDataSource } from './data-source.js';
import type { RuleOf } from './rule-model.js';
import { type ErrorBudget, errorBudget, readCounts } from './rules/burn-rate.js';
import { cloudWatchWindow } from './rules/rule-type.js';

/**
 * The remaining error budget of a `burn_rate` rule's SLO over its whole period at `now`
 * (`GET /v1/slos/{ruleId}`): good and total events counted through the same data port and the same
 * `readCounts` as the burn-rate alerts, and `errorBudget`'s arithmetic. A CloudWatch read that fails throws.
 */
export async function sloBudget(rule: RuleOf<'burn_rate'>, data: AlertDataSource, now: number): Promise<ErrorBudget> {
  const { good, total, periodMs } = rule.spec;
  let cloudWatch: Awaited<ReturnType<AlertDataSource['cloudWatch']>> = [];
  if (total.source === 'cloudwatch' && good?.source === 'cloudwatch') {
    cloudWatch = await data.cloudWatch([cloudWatchWindow(good, periodMs, now), cloudWatchWindow(total, periodMs, now)]);
    const failed = cloudWatch.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`CloudWatch read failed: ${failed.error}`);
  }
  const counts = await readCounts(rule, { data, cloudWatch }, periodMs, now, [0, 1]);
  return errorBudget(rule, counts, now);
}
