import { fingerprint } from './fingerprint.js';
import type { ErrorEvent } from './model.js';

/** Error events of one batch folded per fingerprint: one write per group, not per event. */
export interface ErrorGroupUpdate {
  readonly service: string;
  readonly fingerprint: string;
  readonly type: string;
  readonly frames: readonly string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  readonly versions: Set<string>;
  readonly environments: Set<string>;
  /** The latest event of the batch, kept as the group's sample. */
  sample: ErrorEvent;
}

export function groupErrors(events: readonly ErrorEvent[]): { groups: ErrorGroupUpdate[]; fingerprints: string[] } {
  const groups = new Map<string, ErrorGroupUpdate>();
  const fingerprints: string[] = [];
  for (const event of events) {
    const fp = fingerprint(event.type, event.message, event.stack);
    fingerprints.push(fp.fingerprint);
    const group = groups.get(fp.fingerprint);
    if (!group) {
      groups.set(fp.fingerprint, {
        service: event.service,
        fingerprint: fp.fingerprint,
        type: event.type,
        frames: fp.frames,
        count: 1,
        firstSeen: event.timestamp,
        lastSeen: event.timestamp,
        versions: new Set(event.version ? [event.version] : []),
        environments: new Set([event.environment]),
        sample: event,
      });
      continue;
    }
    group.count++;
    group.firstSeen = Math.min(group.firstSeen, event.timestamp);
    if (event.timestamp >= group.lastSeen) {
      group.lastSeen = event.timestamp;
      group.sample = event;
    }
    if (event.version) group.versions.add(event.version);
    group.environments.add(event.environment);
  }
  return { groups: [...groups.values()], fingerprints };
}
