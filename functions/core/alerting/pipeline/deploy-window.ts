import { reason } from '../../reason.js';
import type { StageDecision } from '../model.js';
import type { ActiveDeploy } from '../ports.js';
import { type Candidate, iso, PASS, type PipelineContext, serviceOf } from './types.js';

const describe = (d: ActiveDeploy) =>
  `verification ${d.verificationId} of ${d.version} (${d.environment}) running since ${iso(d.startedAt)}`;

/**
 * `deploy-window`: while a deployment verification runs for the alert's service, the rule's
 * `duringDeploy` decides: `hold` (default) keeps the notification until no verification runs (it is looked
 * at again every `deployRecheckMs`), `notify` sends it annotated with the deployment.
 */
export function deployWindow(c: Candidate, ctx: PipelineContext): StageDecision {
  const active = ctx.deploys.get(serviceOf(c.alert)) ?? [];
  const first = active[0];
  if (!first) return PASS;
  const policy = c.rule?.duringDeploy ?? 'hold';
  if (policy === 'notify') {
    return { action: 'pass', reason: reason('deploy-window', `sent during ${describe(first)} (duringDeploy: notify)`) };
  }
  return {
    action: 'hold',
    until: ctx.now + ctx.options.deployRecheckMs,
    reason: reason('deploy-window', `held during ${describe(first)} (duringDeploy: hold)`),
  };
}
