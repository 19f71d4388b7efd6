import { listAlerts } from '../api/alerts.js';
import { ApiError } from '../api/client.js';
import { HTTP_REQUESTS, queryMetric } from '../api/metrics.js';
import { listServices } from '../api/services.js';
import { getTarget, listTargets } from '../api/targets.js';
import { FirstData, Link, Pill, Problem, Section, Time } from '../components/bits.js';
import { Sparkline } from '../components/sparkline.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';
import { formatDuration, formatPercent, formatRate } from '../lib/format.js';
import { resolveRange, stepFor } from '../lib/time-range.js';
import { navigate } from '../lib/url-state.js';
import { type Health, worstFirst, worstHealth } from '../lib/worst-first.js';

interface Row {
  service: string;
  health: Health;
  firing: number;
  requestRate: number | null;
  errorRate: number | null;
  p95: number | null;
  lastSeen: number | null;
}

/** First what the table needs (three calls at once), so the page shows within one round trip. */
async function loadOverview() {
  const [services, targets, alerts] = await Promise.all([
    listServices(),
    listTargets(),
    listAlerts({ state: 'firing' }).catch((e: unknown) =>
      e instanceof ApiError && e.notAvailable ? null : Promise.reject(e),
    ),
  ]);
  const names = [...new Set([...services.items.map((s) => s.service), ...targets.items.map((t) => t.service)])];
  const rows: Row[] = names.map((service) => {
    const s = services.items.find((x) => x.service === service);
    const mine = targets.items.filter((t) => t.service === service);
    return {
      service,
      health: worstHealth(mine.map((t) => t.state?.status ?? 'unknown')),
      firing: alerts ? alerts.items.filter((a) => a.labels.service === service).length : 0,
      requestRate: s?.requestRate ?? null,
      errorRate: s?.errorRate ?? null,
      p95: s?.p95LatencyMs ?? null,
      lastSeen: s?.lastSeen ?? null,
    };
  });
  return { rows: worstFirst(rows), targets: targets.items, alertsAvailable: alerts !== null };
}

/** Then the extras, filled in as they come: 24 h uptime per target and a traffic sparkline per service. */
async function loadExtras(names: readonly string[], targetIds: readonly string[], from: number, to: number) {
  const step = stepFor(from, to, 40);
  const [details, sparks] = await Promise.all([
    Promise.all(targetIds.map((id) => getTarget(id).catch(() => undefined))),
    Promise.all(
      names.map((name) =>
        queryMetric({ service: name, name: HTTP_REQUESTS, stat: 'rate', from, to, step })
          // The step still filling would read as a drop at the right edge.
          .then((r) => (r.series[0]?.points ?? []).filter(([t]) => t + step * 1000 <= to))
          .catch(() => []),
      ),
    ),
  ]);
  const uptime = new Map<string, number>();
  for (const d of details) {
    const u = d?.uptime?.['24h']?.uptimePercent;
    if (d && typeof u === 'number') uptime.set(d.service, Math.min(u, uptime.get(d.service) ?? 100));
  }
  return { uptime, sparks: new Map(names.map((n, i) => [n, sparks[i] ?? []])) };
}

export function OverviewView() {
  const { state, now, tick } = useApp();
  const { from, to } = resolveRange(state.range, now);
  const res = useResource(() => loadOverview(), [tick]);
  const names = res.data?.rows.map((r) => r.service) ?? [];
  const ids = res.data?.targets.map((t) => t.id) ?? [];
  const extras = useResource(
    () => (names.length ? loadExtras(names, ids, from, to) : Promise.resolve(null)),
    [names.join(), ids.join(), from, to, tick],
  );
  if (res.error) return <Problem error={res.error} what="Services" />;
  if (!res.data) return <p class="muted">Loading services…</p>;
  const { rows, alertsAvailable } = res.data;
  const uptime = (service: string) => extras.data?.uptime.get(service);
  if (rows.length === 0) return <FirstData />;
  return (
    <Section title="Services, worst first">
      <p class="muted small">
        Rate, errors and p95 over the last 15 minutes; uptime over 24 hours (worst target); requests per second over the
        range on the right.
      </p>
      <div class="table-wrap">
        <table class="services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Health</th>
              <th scope="col">Uptime 24h</th>
              <th scope="col">Firing</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">p95</th>
              <th scope="col">Last seen</th>
              <th scope="col">Traffic</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.service} class={`row-${r.health}`}>
                <th scope="row">
                  <Link to={navigate(state, 'service', { service: r.service })}>{r.service}</Link>
                </th>
                <td>{r.health === 'none' ? <span class="muted">no probe</span> : <Pill status={r.health} />}</td>
                <td>{uptime(r.service) === undefined ? '—' : `${uptime(r.service)!.toFixed(2)}%`}</td>
                <td>
                  {alertsAvailable ? (
                    r.firing > 0 ? (
                      <span class="pill pill-down">{r.firing} firing</span>
                    ) : (
                      '0'
                    )
                  ) : (
                    <span class="muted" title="the alerting API is not deployed yet">
                      n/a
                    </span>
                  )}
                </td>
                <td>{formatRate(r.requestRate)}</td>
                <td class={r.errorRate && r.errorRate > 0.01 ? 'bad' : ''}>{formatPercent(r.errorRate)}</td>
                <td>{formatDuration(r.p95)}</td>
                <td>{r.lastSeen ? <Time t={r.lastSeen} /> : '—'}</td>
                <td>
                  <Sparkline
                    points={extras.data?.sparks.get(r.service) ?? []}
                    label={`${r.service} requests per second`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
