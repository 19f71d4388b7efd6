import type { AlertDataSource, CloudWatchResult } from '../alerting/data-source.js';
import { parseRule } from '../alerting/rule-parse.js';
import type { RuleRecord } from '../alerting/rule-records.js';
import { burnRateOf, readCounts, readErrorBudget } from '../alerting/rules/burn-rate.js';
import { cloudWatchWindow } from '../alerting/rules/rule-type.js';
import type { SloBurn, SloReader } from './ports.js';

type Unknown = { readonly unknown: true; readonly reason: string };
const unknown = (reason: string): Unknown => ({ unknown: true, reason });

/**
 * The errorBudget check's SLO: the `burn_rate` alert rule named by `checks.errorBudget.slo`, read from the
 * rule store and parsed as the evaluator parses it. The burn over the window is the error ratio of the
 * window's good/total events ÷ the ratio the objective allows (`burnRateOf`, as the burn-rate alerts
 * compute it); the fast-burn rate is the highest rate of the rule's window pairs; the remaining budget is
 * `readErrorBudget` over the rule's whole period (what `GET /v1/slos/{ruleId}` shows), clamped to 0–1.
 * No rule, another rule type, or no events in the window: unknown, with the reason. A CloudWatch read that
 * fails throws (the step retries the read).
 */
export function ruleSloReader(
  rules: { get(id: string): Promise<RuleRecord | undefined> },
  data: AlertDataSource,
): SloReader {
  return {
    async burn(slo, _service, from, to): Promise<SloBurn | Unknown> {
      const record = await rules.get(slo);
      if (!record) return unknown(`there is no alert rule with id "${slo}"`);
      const parsed = parseRule({ ...record.definition, id: slo }, record.origin, slo);
      if (!parsed.ok) {
        const first = parsed.issues[0];
        return unknown(
          `rule "${slo}" is not valid (${first ? `${first.path}: ${first.message}` : 'it does not parse'})`,
        );
      }
      const rule = parsed.rule;
      if (rule.type !== 'burn_rate')
        return unknown(`rule "${slo}" is a ${rule.type} rule, not burn_rate: it has no SLO`);
      const windowMs = Math.max(1, to - from);
      const { good, total } = rule.spec;
      let cloudWatch: CloudWatchResult[] = [];
      if (total.source === 'cloudwatch' && good?.source === 'cloudwatch') {
        cloudWatch = await data.cloudWatch([
          cloudWatchWindow(good, windowMs, to),
          cloudWatchWindow(total, windowMs, to),
        ]);
        const failed = cloudWatch.find((r) => !r.ok);
        if (failed && !failed.ok) throw new Error(`could not read CloudWatch: ${failed.error}`);
      }
      const counts = await readCounts(rule, { data, cloudWatch }, windowMs, to, [0, 1]);
      if (counts.total <= 0) {
        return unknown(`no events of "${slo}" were counted in the last ${Math.round(windowMs / 1_000)} s`);
      }
      const budget = await readErrorBudget(rule, data, to);
      const remaining = Number.isFinite(budget.remaining) ? budget.remaining : 0;
      return {
        slo,
        objective: rule.spec.objective,
        burnRate: Number(burnRateOf(counts, rule.spec.objective).toPrecision(6)),
        fastBurnRate: Math.max(...rule.spec.windows.map((w) => w.burnRate)),
        remainingBudget: Math.min(1, Math.max(0, remaining)),
      };
    },
  };
}
