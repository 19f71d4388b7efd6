import type { ActiveDeploy, DeployWindows } from '../core/alerting/ports.js';
import type { Notifier } from '../core/notify.js';
import type { ProbeResponse, Prober } from '../core/probing/model.js';
import type {
  DeploymentPublisher,
  HealthProber,
  VerificationStore,
  WebhookResult,
} from '../core/verification/ports.js';
import type { VerificationRecord } from '../core/verification/record.js';
import { verdictMessage } from '../core/verification/run-step.js';

/** The verdict on the `deployments` topic (SNS in AWS, the local notifier locally), with filterable attributes. */
export class NotifierDeploymentPublisher implements DeploymentPublisher {
  constructor(private readonly notifier: Notifier) {}

  async publish(record: VerificationRecord): Promise<WebhookResult> {
    const r = record.request;
    const verdict = record.verdict?.verdict ?? 'inconclusive';
    const delivery = await this.notifier.publish({
      id: `verification-${record.id}`,
      topic: 'deployments',
      subject: `${r.service} ${r.version} in ${r.environment}: ${verdict}${record.verdict?.rollback ? ' (roll back)' : ''}`,
      message: verdictMessage(record),
      attributes: { service: r.service, environment: r.environment, verdict },
      at: record.verdict?.decidedAt ?? record.updatedAt,
    });
    return { ok: delivery.ok, detail: delivery.detail ?? delivery.via };
  }
}

/** The deploy URL's health path, through the prober (and so the guarded client and its URL policy). */
export class ProberHealthCheck implements HealthProber {
  constructor(private readonly prober: Prober) {}

  probe(url: string, timeoutMs: number): Promise<ProbeResponse> {
    return this.prober.probe({ url, method: 'GET', headers: {}, timeoutMs, insecure: false });
  }
}

/** Verifications running for a service: the deploy windows the alerting pipeline holds notifications in. */
export class VerificationDeployWindows implements DeployWindows {
  constructor(
    private readonly store: VerificationStore,
    /** Only verifications younger than this can still be running (the 1 h limit plus slack). */
    private readonly horizonMs = 2 * 3_600_000,
  ) {}

  async active(service: string, now: number): Promise<ActiveDeploy[]> {
    const running = await this.store.running(service, now - this.horizonMs);
    return running
      .filter((r) => r.status === 'running')
      .map((r) => ({
        verificationId: r.id,
        version: r.request.version,
        environment: r.request.environment,
        startedAt: r.createdAt,
      }));
  }

  /**
   * The deploy windows of a service that overlap [from, to]: from a verification's start to its verdict (or
   * `to` while it runs). The anomaly rules leave these out of their training data.
   */
  async between(service: string, from: number, to: number): Promise<{ start: number; end: number }[]> {
    const records = await this.store.createdBetween(service, from - this.horizonMs, to);
    return records
      .map((r) => ({ start: r.createdAt, end: r.verdict?.decidedAt ?? to }))
      .filter((w) => w.end >= from && w.start <= to)
      .sort((a, b) => a.start - b.start);
  }
}
