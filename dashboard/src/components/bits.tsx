import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.js';
import { formatTime, formatUtc } from '../lib/format.js';
import { toSearch, type UrlState } from '../lib/url-state.js';
import { useApp } from './state.js';

/** A time in the browser's zone, with the UTC time on hover. */
export function Time({ t }: { t: number | string | null | undefined }) {
  return (
    <time dateTime={formatUtc(t) ? new Date(t as number).toISOString() : undefined} title={formatUtc(t)}>
      {formatTime(t)}
    </time>
  );
}

/** Status always carries its word, never colour alone. */
export function Pill({ status }: { status: string | null | undefined }) {
  const s = status ?? 'unknown';
  return <span class={`pill pill-${s.replace(/[^a-z]/gi, '')}`}>{s}</span>;
}

/** A link to another dashboard state that also works with a middle click or "copy link". */
export function Link({ to, children, class: cls }: { to: UrlState; children: ComponentChildren; class?: string }) {
  const { go } = useApp();
  return (
    <a
      class={cls}
      href={`/${toSearch(to)}`}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        go(to);
      }}
    >
      {children}
    </a>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** What the API refused and why, or that this deployment does not have the API yet. */
export function Problem({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError) {
    if (error.notAvailable) {
      return (
        <div class="notice" role="status">
          <strong>{what} are not available yet in this deployment.</strong> The API at{' '}
          <code>{error.path.split('?')[0]}</code> answered “{error.detail}”. This view fills in when that API is
          deployed.
        </div>
      );
    }
    if (error.status === 401) {
      return (
        <div class="notice error" role="alert">
          <strong>The token was refused.</strong> {error.detail}. Sign out and sign in with a valid token.
        </div>
      );
    }
    if (error.missingScope) {
      return (
        <div class="notice error" role="alert">
          <strong>This token lacks the scope for {what.toLowerCase()}.</strong> {error.detail}. Ask an admin for a token
          with that scope.
        </div>
      );
    }
    return (
      <div class="notice error" role="alert">
        <strong>
          Vigil refused: {error.title} ({error.status || 'no answer'}).
        </strong>{' '}
        {error.detail}
        {error.errors.length > 0 && (
          <ul>
            {error.errors.map((e) => (
              <li key={e.path}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div class="notice error" role="alert">
      Something went wrong: {String((error as Error)?.message ?? error)}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** The exact commands that send a first metric, log and trace to this Vigil. */
export function FirstData() {
  const { apiBase } = useApp();
  const now = '$(date +%s000)';
  return (
    <Empty>
      <p>
        <strong>No telemetry yet.</strong> Mint an ingest token with the admin token, then send a first metric:
      </p>
      <pre>
        {`curl -s -X POST ${apiBase}/v1/tokens -H "authorization: Bearer $VIGIL_ADMIN_TOKEN" \\
  -H 'content-type: application/json' -d '{"name":"checkout","scopes":["ingest"]}'
curl -s -X POST ${apiBase}/v1/ingest -H "authorization: Bearer $VIGIL_TOKEN" \\
  -H 'content-type: application/json' -d '{"service":"checkout","metrics":[
  {"name":"http.server.requests","type":"counter","value":1,"tags":{"status_class":"2xx"},"timestamp":${now}}]}'`}
      </pre>
      <p>Or from a Node service with the SDK:</p>
      <pre>
        {`// VIGIL_ENDPOINT=${apiBase} VIGIL_TOKEN=vgl_… VIGIL_SERVICE=checkout
import { setupMonitoring } from '@vigil/sdk';
setupMonitoring(app, { serviceName: 'checkout' }); // metrics, access log, traces, /health`}
      </pre>
      <p>
        Or run <code>npm run demo</code> for simulated services.
      </p>
    </Empty>
  );
}
