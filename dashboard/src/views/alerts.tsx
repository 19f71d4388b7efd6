import { useState } from 'preact/hooks';
import { type Alert, ackAlert, listAlerts, resolveAlert, unackAlert } from '../api/alerts.js';
import { deliveryText, listNotifications, notificationTime } from '../api/notifications.js';
import { listRules } from '../api/rules.js';
import { createSilence, expireSilence, listSilences, silenceFor } from '../api/silences.js';
import { useAction } from '../components/action.js';
import { Empty, Pill, Problem, Section, Time } from '../components/bits.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';
import { formatNumber } from '../lib/format.js';

const BY = 'dashboard';

function AlertRow({ alert, reload }: { alert: Alert; reload: () => void }) {
  const { now } = useApp();
  const [comment, setComment] = useState('');
  const act = useAction(reload);
  const id = `c-${alert.id.replace(/\W/g, '')}`;
  return (
    <li class={`alert alert-${alert.state}`} data-alert={alert.id}>
      <div class="alert-head">
        <Pill status={alert.state} /> <Pill status={alert.severity} />{' '}
        <strong>{alert.annotations.summary ?? alert.ruleId}</strong>
        {alert.acknowledged && <span class="pill pill-ack">acknowledged by {alert.acknowledged.by}</span>}
      </div>
      <div class="muted small">
        {Object.entries(alert.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}{' '}
        · value {formatNumber(alert.value ?? null)} · since <Time t={alert.firedAt ?? alert.activeAt} />
      </div>
      <div class="actions">
        <label for={id} class="sr-only">
          Comment for {alert.ruleId}
        </label>
        <input
          id={id}
          placeholder="comment"
          value={comment}
          onInput={(e) => setComment((e.target as HTMLInputElement).value)}
        />
        {alert.acknowledged ? (
          <button type="button" disabled={act.busy} onClick={() => act.run(() => unackAlert(alert.id))}>
            Unacknowledge
          </button>
        ) : (
          <button type="button" disabled={act.busy} onClick={() => act.run(() => ackAlert(alert.id, BY, comment))}>
            Acknowledge
          </button>
        )}
        <button type="button" disabled={act.busy} onClick={() => act.run(() => resolveAlert(alert.id, BY, comment))}>
          Resolve
        </button>
        <button
          type="button"
          disabled={act.busy}
          onClick={() => act.run(() => createSilence(silenceFor(alert.labels, now, BY)))}
        >
          Silence 1 h
        </button>
      </div>
      {act.error ? <Problem error={act.error} what="Alert actions" /> : null}
    </li>
  );
}

export function AlertsView() {
  const { tick } = useApp();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const alerts = useResource(() => listAlerts(), [tick, version]);
  const silences = useResource(() => listSilences(), [tick, version]);
  const rules = useResource(() => listRules(), [tick]);
  const notes = useResource(() => listNotifications(), [tick, version]);
  const expire = useAction(reload);
  const active = (alerts.data?.items ?? []).filter((a) => a.state === 'firing' || a.state === 'pending');
  return (
    <>
      <Section title="Firing and pending alerts">
        {alerts.error ? (
          <Problem error={alerts.error} what="Alerts" />
        ) : active.length === 0 ? (
          <Empty>{alerts.loading ? 'Loading…' : 'Nothing firing or pending.'}</Empty>
        ) : (
          <ul class="alerts">
            {active.map((a) => (
              <AlertRow key={a.id} alert={a} reload={reload} />
            ))}
          </ul>
        )}
      </Section>
      <div class="grid-2">
        <Section title="Silences">
          {silences.error ? (
            <Problem error={silences.error} what="Silences" />
          ) : (silences.data?.items.length ?? 0) === 0 ? (
            <Empty>No silence. Silence an alert from its row above.</Empty>
          ) : (
            <ul class="plain">
              {silences.data!.items.map((s) => (
                <li key={s.id}>
                  <code>{s.matchers.map((m) => `${m.label}${m.op}${m.value}`).join(', ')}</code> until{' '}
                  <Time t={s.endsAt} /> · {s.comment}{' '}
                  <button type="button" onClick={() => expire.run(() => expireSilence(s.id))}>
                    Expire
                  </button>
                </li>
              ))}
            </ul>
          )}
          {expire.error ? <Problem error={expire.error} what="Silences" /> : null}
        </Section>
        <Section title="Rules">
          {rules.error ? (
            <Problem error={rules.error} what="Rules" />
          ) : (rules.data?.items.length ?? 0) === 0 ? (
            <Empty>No rule. Add one with PUT /v1/rules/{'{id}'} or in vigil.config.json.</Empty>
          ) : (
            <ul class="plain">
              {rules.data!.items.map((r) => (
                <li key={r.id}>
                  <strong>{r.id}</strong> <span class="muted">{r.type}</span> <Pill status={r.severity} />{' '}
                  {r.lastEvaluation?.error ? (
                    <span class="bad">error: {r.lastEvaluation.error}</span>
                  ) : (
                    <span class="muted">
                      last evaluated <Time t={r.lastEvaluation?.at} />
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <Section title="Notifications">
        {notes.error ? (
          <Problem error={notes.error} what="Notifications" />
        ) : (notes.data?.items.length ?? 0) === 0 ? (
          <Empty>No notification sent yet.</Empty>
        ) : (
          // Long reasons make the table scroll sideways: the region takes focus so a keyboard can scroll it.
          // biome-ignore lint/a11y/noNoninteractiveTabindex: axe's scrollable-region-focusable asks for exactly this
          <section class="table-wrap" tabIndex={0} aria-label="Notifications">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Topic</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Delivery</th>
                </tr>
              </thead>
              <tbody>
                {notes.data!.items.map((n) => (
                  <tr key={n.id}>
                    <td>
                      <Time t={notificationTime(n)} />
                    </td>
                    <td>{n.topic}</td>
                    <td>{n.subject}</td>
                    <td>{n.reason ? `${n.reason.code}: ${n.reason.message}` : '—'}</td>
                    <td>{deliveryText(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </Section>
    </>
  );
}
