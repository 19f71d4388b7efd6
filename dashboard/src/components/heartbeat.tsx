import type { Probe } from '../api/targets.js';
import { formatDuration, formatTime } from '../lib/format.js';

/** The last probes of a target, oldest to newest, one bar each, with the status in words on hover and for readers. */
export function Heartbeat({ probes, label }: { probes: readonly Probe[]; label: string }) {
  const list = [...probes].slice(0, 60).reverse();
  const up = list.filter((p) => p.status === 'up' || p.status === 'degraded').length;
  return (
    <div class="heartbeat" role="img" aria-label={`${label}: ${up} of ${list.length} recent probes up`}>
      {list.map((p, i) => (
        <span
          key={i}
          class={`beat beat-${p.status}`}
          title={`${formatTime(p.at)}: ${p.status}${p.reason ? ` (${p.reason})` : ''}, ${formatDuration(p.latencyMs)}`}
        />
      ))}
    </div>
  );
}
