import { useState } from 'preact/hooks';
import { deleteTarget, listTargets, putTarget, type Target } from '../api/targets.js';
import { useAction } from '../components/action.js';
import { Empty, Pill, Problem, Section, Time } from '../components/bits.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';
import { formatDuration } from '../lib/format.js';

const BLANK = { id: '', service: '', url: '', intervalSeconds: '60' };

function TargetForm({ initial, onDone }: { initial: typeof BLANK; onDone: () => void }) {
  const [f, setF] = useState(initial);
  const act = useAction(onDone);
  const set = (k: keyof typeof BLANK) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  return (
    <form
      class="target-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run(() =>
          putTarget(f.id.trim(), {
            service: f.service.trim(),
            url: f.url.trim(),
            intervalSeconds: Number(f.intervalSeconds),
          }),
        );
      }}
    >
      <label>
        Id{' '}
        <input required value={f.id} onInput={set('id')} readOnly={initial.id !== ''} placeholder="checkout-health" />
      </label>
      <label>
        Service <input required value={f.service} onInput={set('service')} placeholder="checkout" />
      </label>
      <label>
        URL{' '}
        <input required type="url" value={f.url} onInput={set('url')} placeholder="https://checkout.internal/health" />
      </label>
      <label>
        Every (s) <input inputMode="numeric" value={f.intervalSeconds} onInput={set('intervalSeconds')} />
      </label>
      <button type="submit" disabled={act.busy}>
        {initial.id ? 'Save' : 'Add target'}
      </button>
      {act.error ? <Problem error={act.error} what="Changing targets" /> : null}
    </form>
  );
}

export function TargetsView() {
  const { tick } = useApp();
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Target | null>(null);
  const reload = () => setVersion((v) => v + 1);
  const res = useResource(() => listTargets(), [tick, version]);
  const del = useAction(reload);
  return (
    <>
      <Section title={editing ? `Edit ${editing.id}` : 'Add a target'}>
        <TargetForm
          key={editing?.id ?? 'new'}
          initial={
            editing
              ? {
                  id: editing.id,
                  service: editing.service,
                  url: editing.url,
                  intervalSeconds: String(editing.intervalSeconds ?? 60),
                }
              : BLANK
          }
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
        <p class="muted small">
          Needs a token with the write scope. Every field of a target is described in docs/PROBING.md.
        </p>
      </Section>
      <Section title="Health targets">
        {res.error ? (
          <Problem error={res.error} what="Targets" />
        ) : (res.data?.items.length ?? 0) === 0 ? (
          <Empty>{res.loading ? 'Loading…' : 'No target yet: add one above, or list them in vigil.config.json.'}</Empty>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Target</th>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Since</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {res.data!.items.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">
                      {t.id}
                      <div class="muted small">{t.url}</div>
                    </th>
                    <td>{t.service}</td>
                    <td>
                      <Pill status={t.state?.status} />
                    </td>
                    <td>{t.state?.reason ?? '—'}</td>
                    <td>{formatDuration(t.state?.latencyMs)}</td>
                    <td>
                      <Time t={t.state?.since} />
                    </td>
                    <td class="actions">
                      <button type="button" onClick={() => setEditing(t)} aria-label={`Edit ${t.id}`}>
                        Edit
                      </button>
                      <button
                        type="button"
                        onClick={() => {
                          if (confirm(`Delete target ${t.id}?`)) del.run(() => deleteTarget(t.id));
                        }}
                        aria-label={`Delete ${t.id}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {del.error ? <Problem error={del.error} what="Changing targets" /> : null}
      </Section>
    </>
  );
}
