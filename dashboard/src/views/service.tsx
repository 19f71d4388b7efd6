import { useState } from 'preact/hooks';
import { type Alert, listAlerts } from '../api/alerts.js';
import { ApiError } from '../api/client.js';
import { listErrors } from '../api/errors.js';
import { searchLogs } from '../api/logs.js';
import { HTTP_DURATION, HTTP_REQUESTS, queryMetric } from '../api/metrics.js';
import { listServices } from '../api/services.js';
import { listTargets, targetHistory } from '../api/targets.js';
import { listVerifications, type Verification } from '../api/verifications.js';
import { Empty, Link, Pill, Problem, Section, Time } from '../components/bits.js';
import { Heartbeat } from '../components/heartbeat.js';
import { useApp } from '../components/state.js';
import { type Band, type Marker, TimeChart } from '../components/time-chart.js';
import { useResource } from '../components/use-resource.js';
import { errorRatio } from '../lib/error-ratio.js';
import { toDate } from '../lib/format.js';
import { resolveRange, stepFor } from '../lib/time-range.js';
import { navigate } from '../lib/url-state.js';

const orNull = <T,>(p: Promise<T>) =>
  p.catch((e: unknown) => (e instanceof ApiError && e.notAvailable ? null : Promise.reject(e)));

async function loadCharts(service: string, from: number, to: number, metric: string | undefined) {
  const step = stepFor(from, to);
  const q = { service, from, to, step };
  const [rate, byClass, p50, p95, p99, extra, verifications, alerts] = await Promise.all([
    queryMetric({ ...q, name: HTTP_REQUESTS, stat: 'rate' }),
    queryMetric({ ...q, name: HTTP_REQUESTS, stat: 'rate', groupBy: 'status_class' }),
    queryMetric({ ...q, name: HTTP_DURATION, stat: 'p50' }),
    queryMetric({ ...q, name: HTTP_DURATION, stat: 'p95' }),
    queryMetric({ ...q, name: HTTP_DURATION, stat: 'p99' }),
    metric ? queryMetric({ ...q, name: metric }) : Promise.resolve(null),
    orNull(listVerifications({ service, limit: 20 })),
    orNull(listAlerts({ service })),
  ]);
  const markers: Marker[] = (verifications?.items ?? []).flatMap((v: Verification) => {
    const at = toDate(v.startedAt)?.getTime();
    if (!at || at < from || at > to) return [];
    const tone = v.verdict === 'pass' ? 'pass' : v.verdict === 'fail' ? 'fail' : v.verdict ? 'warn' : 'info';
    return [{ at, label: `${v.version ?? 'deploy'} ${v.verdict ?? v.status}`, tone } as Marker];
  });
  const bands: Band[] = (alerts?.items ?? []).flatMap((a: Alert) => {
    const start = toDate(a.firedAt ?? a.activeAt)?.getTime();
    if (!start) return [];
    return [{ from: Math.max(start, from), to, tone: a.severity === 'critical' ? 'fail' : 'warn' } as Band];
  });
  return {
    rate: rate.series[0]?.points ?? [],
    errors: errorRatio(byClass.series).map(([t, r]) => [t, r * 100] as [number, number]),
    latency: { p50: p50.series[0]?.points ?? [], p95: p95.series[0]?.points ?? [], p99: p99.series[0]?.points ?? [] },
    extra: extra?.series ?? null,
    markers,
    bands,
    deploysAvailable: verifications !== null,
  };
}

async function loadSide(service: string, from: number, to: number) {
  const [targets, errors, logs] = await Promise.all([
    listTargets(),
    listErrors({ service, from, to }),
    searchLogs({ service, from, to, limit: 15 }),
  ]);
  const mine = targets.items.filter((t) => t.service === service);
  const histories = await Promise.all(mine.map((t) => targetHistory(t.id, { from, to, limit: 60 }).catch(() => null)));
  return {
    targets: mine.map((t, i) => ({ target: t, history: histories[i] })),
    errors: errors.items,
    logs: logs.items,
  };
}

function ServicePicker() {
  const { state } = useApp();
  const res = useResource(() => listServices(), []);
  if (res.error) return <Problem error={res.error} what="Services" />;
  const items = res.data?.items ?? [];
  return (
    <Section title="Pick a service">
      {items.length === 0 ? (
        <Empty>No service has sent data yet.</Empty>
      ) : (
        <ul class="links">
          {items.map((s) => (
            <li key={s.service}>
              <Link to={navigate(state, 'service', { service: s.service })}>{s.service}</Link>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function ServiceView() {
  const { state, go, now, tick } = useApp();
  const service = state.service;
  const { from, to } = resolveRange(state.range, now);
  const charts = useResource(
    () => (service ? loadCharts(service, from, to, state.metric) : Promise.resolve(null)),
    [service, from, to, state.metric, tick],
  );
  const side = useResource(
    () => (service ? loadSide(service, from, to) : Promise.resolve(null)),
    [service, from, to, tick],
  );
  const [metric, setMetric] = useState(state.metric ?? '');
  if (!service) return <ServicePicker />;
  const c = charts.data;
  const s = side.data;
  return (
    <>
      {charts.error ? <Problem error={charts.error} what="Metrics" /> : null}
      {c && (
        <div class="charts">
          <TimeChart
            title="Requests per second"
            series={[{ label: 'req/s', points: c.rate }]}
            from={from}
            to={to}
            markers={c.markers}
            bands={c.bands}
          />
          <TimeChart
            title="Error rate (5xx)"
            unit="%"
            series={[{ label: 'errors', points: c.errors }]}
            from={from}
            to={to}
            markers={c.markers}
            bands={c.bands}
          />
          <TimeChart
            title="Latency"
            unit=" ms"
            series={[
              { label: 'p50', points: c.latency.p50 },
              { label: 'p95', points: c.latency.p95 },
              { label: 'p99', points: c.latency.p99 },
            ]}
            from={from}
            to={to}
            markers={c.markers}
            bands={c.bands}
          />
          {c.extra && state.metric && (
            <TimeChart
              title={state.metric}
              series={c.extra.map((x) => ({
                label:
                  Object.entries(x.tags)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ') || state.metric!,
                points: x.points,
              }))}
              from={from}
              to={to}
              markers={c.markers}
            />
          )}
        </div>
      )}
      {c && !c.deploysAvailable && (
        <p class="muted small">Deployment markers appear when the verification API is deployed.</p>
      )}
      <form
        class="metric-picker"
        onSubmit={(e) => {
          e.preventDefault();
          go({ ...state, ...(metric.trim() ? { metric: metric.trim() } : { metric: undefined }) });
        }}
      >
        <label for="metric">Another metric of {service}</label>
        <input
          id="metric"
          list="metric-names"
          value={metric}
          placeholder="queue.depth"
          onInput={(e) => setMetric((e.target as HTMLInputElement).value)}
        />
        <datalist id="metric-names">
          <option value={HTTP_REQUESTS} />
          <option value={HTTP_DURATION} />
        </datalist>
        <button type="submit">Chart it</button>
      </form>
      {side.error ? <Problem error={side.error} what="Service details" /> : null}
      {s && (
        <div class="grid-2">
          <Section title="Health probes">
            {s.targets.length === 0 ? (
              <Empty>
                No health target for {service}. Add one in <Link to={navigate(state, 'targets')}>Targets</Link>.
              </Empty>
            ) : (
              s.targets.map(({ target, history }) => (
                <div class="probe" key={target.id}>
                  <div class="probe-head">
                    <strong>{target.id}</strong> <Pill status={target.state?.status} />
                    <span class="muted">
                      {history?.summary?.uptimePercent != null
                        ? `${history.summary.uptimePercent.toFixed(2)}% up in range`
                        : ''}
                    </span>
                  </div>
                  <Heartbeat probes={history?.items ?? []} label={`${target.id} probes`} />
                </div>
              ))
            )}
          </Section>
          <Section title="Error groups">
            {s.errors.length === 0 ? (
              <Empty>No errors in this range.</Empty>
            ) : (
              <ul class="errors">
                {s.errors.slice(0, 10).map((e) => (
                  <li key={e.fingerprint}>
                    <strong>{e.type}</strong>: {e.message}
                    <div class="muted small">
                      {e.count}× · versions {e.versions.join(', ') || '—'} · last <Time t={e.lastSeen} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
      {s && (
        <Section title="Recent logs" actions={<Link to={navigate(state, 'logs')}>Search logs</Link>}>
          {s.logs.length === 0 ? (
            <Empty>No logs in this range.</Empty>
          ) : (
            <ul class="log-lines">
              {s.logs.map((l, i) => (
                <li key={i} class={`log log-${l.level}`}>
                  <Time t={l.timestamp} /> <span class={`lvl lvl-${l.level}`}>{l.level}</span> {l.message}
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
    </>
  );
}
