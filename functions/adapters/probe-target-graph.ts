import type { TargetNode } from '../core/alerting/model.js';
import type { TargetGraph } from '../core/alerting/ports.js';
import type { TargetStore } from '../core/probing/model.js';

/** The dependency graph of `caused-by`, read from the probe targets (one query of the probes table). */
export class ProbeTargetGraph implements TargetGraph {
  constructor(private readonly targets: Pick<TargetStore, 'listTargets'>) {}

  async list(): Promise<readonly TargetNode[]> {
    return (await this.targets.listTargets()).map((t) => ({ id: t.id, service: t.service, dependsOn: t.dependsOn }));
  }
}
