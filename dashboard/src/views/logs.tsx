import { useState } from 'preact/hooks';
import { type LogLine, searchLogs } from '../api/logs.js';
import { Empty, Link, Problem, Section, Time } from '../components/bits.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';
import { resolveRange } from '../lib/time-range.js';
import { navigate } from '../lib/url-state.js';

const LEVELS = ['', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Search by service, level, text and trace id, newest first, with paging and a live tail (3 s refresh). */
export function LogsView() {
  const { state, go, now, tick } = useApp();
  const { from, to } = resolveRange(state.range, now);
  const [form, setForm] = useState({
    service: state.service ?? '',
    level: state.level ?? '',
    q: state.q ?? '',
    traceId: state.traceId ?? '',
  });
  const [more, setMore] = useState<{ items: LogLine[]; cursor: string | null }>({ items: [], cursor: null });
  const ready = Boolean(state.service || state.traceId);
  const res = useResource(async () => {
    if (!ready) return null;
    const r = await searchLogs({
      service: state.service,
      level: state.level,
      q: state.q,
      traceId: state.traceId,
      from,
      to,
      limit: 100,
    });
    setMore({ items: [], cursor: r.nextCursor });
    return r;
  }, [state.service, state.level, state.q, state.traceId, from, to, tick]);
  const lines = [...(res.data?.items ?? []), ...more.items];
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  return (
    <>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const { service, level, q, traceId } = form;
          go({
            ...state,
            service: service || undefined,
            level: level || undefined,
            q: q || undefined,
            traceId: traceId || undefined,
          });
        }}
      >
        <label>
          Service <input value={form.service} onInput={set('service')} placeholder="checkout" />
        </label>
        <label>
          Level
          <select value={form.level} onChange={set('level')}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l ? `${l} and worse` : 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Text <input type="search" value={form.q} onInput={set('q')} placeholder="payment failed" />
        </label>
        <label>
          Trace id <input value={form.traceId} onInput={set('traceId')} placeholder="32 hex digits" />
        </label>
        <button type="submit">Search</button>
        <button
          type="button"
          aria-pressed={Boolean(state.live)}
          onClick={() => go({ ...state, live: !state.live || undefined, paused: false }, true)}
        >
          {state.live ? 'Stop live tail' : 'Live tail'}
        </button>
      </form>
      {res.error ? <Problem error={res.error} what="Logs" /> : null}
      <Section title={state.live ? 'Logs (live)' : 'Logs, newest first'}>
        {!ready ? (
          <Empty>Choose a service (or give a trace id) and search.</Empty>
        ) : lines.length === 0 ? (
          <Empty>{res.loading ? 'Searching…' : 'No log line matches in this range.'}</Empty>
        ) : (
          <ul class="log-lines" aria-live={state.live ? 'polite' : 'off'}>
            {lines.map((l, i) => (
              <li key={i} class={`log log-${l.level}`}>
                <Time t={l.timestamp} /> <span class={`lvl lvl-${l.level}`}>{l.level}</span>{' '}
                <span class="svc">{l.service}</span> {l.message}
                {Object.keys(l.attributes ?? {}).length > 0 && (
                  <code class="attrs">{JSON.stringify(l.attributes)}</code>
                )}
                {l.traceId && (
                  <>
                    {' '}
                    <Link to={navigate(state, 'traces', { traceId: l.traceId })} class="trace-link">
                      trace {l.traceId.slice(0, 8)}
                    </Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {more.cursor && ready && (
          <button
            type="button"
            onClick={async () => {
              const r = await searchLogs({
                service: state.service,
                level: state.level,
                q: state.q,
                traceId: state.traceId,
                from,
                to,
                limit: 100,
                cursor: more.cursor!,
              });
              setMore({ items: [...more.items, ...r.items], cursor: r.nextCursor });
            }}
          >
            Older lines
          </button>
        )}
      </Section>
    </>
  );
}
