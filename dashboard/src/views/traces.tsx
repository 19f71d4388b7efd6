import { useState } from 'preact/hooks';
import { getDependencies } from '../api/dependencies.js';
import { getTrace, listTraces, type Span } from '../api/traces.js';
import { Empty, Link, Pill, Problem, Section, Time } from '../components/bits.js';
import { DependencyGraph } from '../components/dependency-map.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';
import { formatDuration } from '../lib/format.js';
import { resolveRange } from '../lib/time-range.js';
import { navigate } from '../lib/url-state.js';
import { waterfall } from '../lib/waterfall.js';

function Waterfall({ traceId }: { traceId: string }) {
  const { state } = useApp();
  const res = useResource(() => getTrace(traceId), [traceId]);
  const [open, setOpen] = useState<string | null>(null);
  if (res.error) return <Problem error={res.error} what="This trace" />;
  if (!res.data) return <p class="muted">Loading trace…</p>;
  const { rows, totalMs } = waterfall<Span>(res.data.spans);
  return (
    <Section
      title={`Trace ${traceId.slice(0, 16)}… · ${formatDuration(totalMs)} · ${rows.length} spans`}
      actions={<Link to={navigate(state, 'logs', { traceId })}>Logs of this trace</Link>}
    >
      <ol class="waterfall">
        {rows.map(({ span, depth, offset, width }) => (
          <li key={span.spanId} class={span.status === 'error' ? 'span span-error' : 'span'}>
            <button
              type="button"
              class="span-row"
              aria-expanded={open === span.spanId}
              onClick={() => setOpen(open === span.spanId ? null : span.spanId)}
            >
              <span class="span-name" style={{ paddingLeft: `${depth * 14}px` }}>
                <span class="svc">{span.service}</span> {span.name}
              </span>
              <span class="span-track">
                <span
                  class={`span-bar kind-${span.kind}`}
                  style={{ left: `${offset * 100}%`, width: `${width * 100}%` }}
                />
              </span>
              <span class="span-dur">{formatDuration(span.durationMs)}</span>
            </button>
            {open === span.spanId && (
              <dl class="span-detail">
                <dt>kind</dt>
                <dd>{span.kind}</dd>
                <dt>status</dt>
                <dd>
                  <Pill status={span.status} />
                </dd>
                <dt>start</dt>
                <dd>
                  <Time t={span.startTime} />
                </dd>
                {Object.entries(span.attributes ?? {}).map(([k, v]) => (
                  <>
                    <dt key={`k${k}`}>{k}</dt>
                    <dd key={`v${k}`}>{String(v)}</dd>
                  </>
                ))}
                {(span.events ?? []).map((e, i) => (
                  <>
                    <dt key={`e${i}`}>event</dt>
                    <dd key={`ev${i}`}>
                      {e.name} {e.attributes ? JSON.stringify(e.attributes) : ''}
                    </dd>
                  </>
                ))}
              </dl>
            )}
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function TracesView() {
  const { state, go, now, tick } = useApp();
  const { from, to } = resolveRange(state.range, now);
  const [min, setMin] = useState(state.minDurationMs?.toString() ?? '');
  const list = useResource(
    () => listTraces({ service: state.service, from, to, minDurationMs: state.minDurationMs, limit: 50 }),
    [state.service, state.minDurationMs, from, to, tick],
  );
  const deps = useResource(() => getDependencies({ from, to }), [from, to, tick]);
  return (
    <>
      {state.traceId && <Waterfall traceId={state.traceId} />}
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(min);
          go({ ...state, minDurationMs: min && Number.isFinite(n) ? n : undefined });
        }}
      >
        <label>
          Slower than (ms){' '}
          <input inputMode="numeric" value={min} onInput={(e) => setMin((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Filter</button>
        {state.service && (
          <button type="button" onClick={() => go({ ...state, service: undefined })}>
            All services
          </button>
        )}
      </form>
      <Section title={`Recent traces${state.service ? ` of ${state.service}` : ''}`}>
        {list.error ? (
          <Problem error={list.error} what="Traces" />
        ) : (list.data?.items.length ?? 0) === 0 ? (
          <Empty>{list.loading ? 'Loading…' : 'No trace in this range.'}</Empty>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Service</th>
                  <th scope="col">Entry span</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.data!.items.map((t) => (
                  <tr key={t.traceId} class={t.traceId === state.traceId ? 'selected' : ''}>
                    <td>
                      <Time t={t.startTime} />
                    </td>
                    <td>{t.service}</td>
                    <td>
                      <Link to={{ ...state, traceId: t.traceId }}>{t.name}</Link>
                    </td>
                    <td>{formatDuration(t.durationMs)}</td>
                    <td>
                      <Pill status={t.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title="Service dependencies">
        {deps.error ? (
          <Problem error={deps.error} what="The dependency map" />
        ) : !deps.data ? (
          <p class="muted">Loading…</p>
        ) : deps.data.edges.length === 0 ? (
          <Empty>No client spans in this range: the map is drawn from spans of kind client with peer.service.</Empty>
        ) : (
          <DependencyGraph map={deps.data} />
        )}
      </Section>
    </>
  );
}
