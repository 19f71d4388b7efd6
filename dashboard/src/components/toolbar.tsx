import { useState } from 'preact/hooks';
import { formatTime } from '../lib/format.js';
import { PRESETS, resolveRange } from '../lib/time-range.js';
import { useApp } from './state.js';

const toLocalInput = (t: number) => {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** Time range (presets or custom), auto-refresh pause and a manual refresh; all of it lives in the URL. */
export function Toolbar({ timed }: { timed: boolean }) {
  const { state, go, now } = useApp();
  const [custom, setCustom] = useState(state.range.kind === 'custom');
  const span = resolveRange(state.range, now);
  const [from, setFrom] = useState(toLocalInput(span.from));
  const [to, setTo] = useState(toLocalInput(span.to));
  const current = state.range.kind === 'custom' ? 'custom' : state.range.preset;
  return (
    <div class="toolbar">
      {timed && (
        <fieldset class="ranges">
          <legend class="sr-only">Time range</legend>
          {PRESETS.map((p) => (
            <button
              type="button"
              key={p}
              aria-pressed={current === p}
              onClick={() => {
                setCustom(false);
                go({ ...state, range: { kind: 'preset', preset: p } });
              }}
            >
              {p}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={current === 'custom'}
            aria-expanded={custom}
            onClick={() => setCustom(!custom)}
          >
            custom
          </button>
        </fieldset>
      )}
      {timed && custom && (
        <form
          class="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new Date(from).getTime();
            const t = new Date(to).getTime();
            if (Number.isFinite(f) && Number.isFinite(t) && f < t)
              go({ ...state, range: { kind: 'custom', from: f, to: t } });
          }}
        >
          <label>
            From{' '}
            <input type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            To <input type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Apply</button>
        </form>
      )}
      <button
        type="button"
        class="refresh"
        aria-pressed={!state.paused}
        onClick={() => go({ ...state, paused: !state.paused }, true)}
      >
        {state.paused ? '▶ Resume auto-refresh' : '❚❚ Pause auto-refresh'}
      </button>
      <span class="muted updated" aria-live="polite">
        Updated {formatTime(now)}
      </span>
    </div>
  );
}
