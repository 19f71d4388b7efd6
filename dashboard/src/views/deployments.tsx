import { checksOf, listVerifications, reasonText, type Verification } from '../api/verifications.js';
import { Empty, Pill, Problem, Section, Time } from '../components/bits.js';
import { useApp } from '../components/state.js';
import { useResource } from '../components/use-resource.js';

function VerificationCard({ v }: { v: Verification }) {
  return (
    <li class={`verification verdict-${v.verdict ?? v.status}`}>
      <div class="alert-head">
        <Pill status={v.verdict ?? v.status} /> <strong>{v.service}</strong> {v.version}
        {v.environment && <span class="muted"> in {v.environment}</span>}
        {v.score != null && <span class="muted"> · score {v.score}</span>}
        {v.rollback && <span class="pill pill-down">rollback</span>}
        <span class="muted">
          {' '}
          · <Time t={v.startedAt} />
        </span>
      </div>
      {(v.reasons ?? []).length > 0 && (
        <ul class="reasons">
          {v.reasons!.map((r, i) => (
            <li key={i}>{reasonText(r)}</li>
          ))}
        </ul>
      )}
      {checksOf(v).length > 0 && (
        <details>
          <summary>Checks and evidence</summary>
          <ul class="plain">
            {checksOf(v).map((c) => (
              <li key={c.name}>
                <strong>{c.name}</strong> <Pill status={c.status ?? c.state} />{' '}
                {(c.reasons ?? []).map(reasonText).join('; ')}
                {c.evidence && <pre>{JSON.stringify(c.evidence, null, 2)}</pre>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

export function DeploymentsView() {
  const { state, tick } = useApp();
  const res = useResource(() => listVerifications({ service: state.service, limit: 50 }), [state.service, tick]);
  return (
    <Section title={`Verifications${state.service ? ` of ${state.service}` : ''}`}>
      {res.error ? (
        <Problem error={res.error} what="Deployment verifications" />
      ) : (res.data?.items.length ?? 0) === 0 ? (
        <Empty>
          {res.loading
            ? 'Loading…'
            : 'No verification yet: CI starts one with POST /v1/verifications or npx vigil verify.'}
        </Empty>
      ) : (
        <ul class="alerts">
          {res.data!.items.map((v) => (
            <VerificationCard key={v.id} v={v} />
          ))}
        </ul>
      )}
    </Section>
  );
}
