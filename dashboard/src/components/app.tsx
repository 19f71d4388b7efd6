import { useCallback, useEffect, useState } from 'preact/hooks';
import { session } from '../api/client.js';
import { parseState, toSearch, type UrlState, type View } from '../lib/url-state.js';
import { AlertsView } from '../views/alerts.js';
import { DeploymentsView } from '../views/deployments.js';
import { LogsView } from '../views/logs.js';
import { OverviewView } from '../views/overview.js';
import { ServiceView } from '../views/service.js';
import { TargetsView } from '../views/targets.js';
import { TracesView } from '../views/traces.js';
import { Link } from './bits.js';
import { SignIn } from './sign-in.js';
import { Ctx } from './state.js';
import { Toolbar } from './toolbar.js';

const REFRESH_MS = 15_000;
const LIVE_MS = 3_000;

const NAV: readonly { view: View; label: string; timed: boolean }[] = [
  { view: 'overview', label: 'Overview', timed: true },
  { view: 'service', label: 'Service', timed: true },
  { view: 'logs', label: 'Logs', timed: true },
  { view: 'traces', label: 'Traces', timed: true },
  { view: 'alerts', label: 'Alerts', timed: false },
  { view: 'deployments', label: 'Deployments', timed: true },
  { view: 'targets', label: 'Targets', timed: false },
];

const VIEWS = {
  overview: OverviewView,
  service: ServiceView,
  logs: LogsView,
  traces: TracesView,
  alerts: AlertsView,
  deployments: DeploymentsView,
  targets: TargetsView,
} as const;

export function App() {
  const [signedIn, setSignedIn] = useState(() => session.token() !== '');
  const [state, setState] = useState<UrlState>(() => parseState(location.search));
  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  const go = useCallback((next: UrlState, replace = false) => {
    const url = `/${toSearch(next)}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    setState(next);
    setNow(Date.now());
  }, []);

  useEffect(() => {
    const onPop = () => setState(parseState(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (state.paused || !signedIn) return;
    const timer = setInterval(
      () => {
        setNow(Date.now());
        setTick((t) => t + 1);
      },
      state.live ? LIVE_MS : REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, [state.paused, state.live, signedIn]);

  const entry = NAV.find((n) => n.view === state.view) ?? NAV[0]!;
  useEffect(() => {
    document.title = `${entry.label}${state.service ? ` · ${state.service}` : ''} · Vigil`;
  }, [entry, state.service]);

  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const ViewComponent = VIEWS[state.view];
  return (
    <Ctx.Provider value={{ state, go, tick, now, apiBase: location.origin }}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Vigil</span>
        <nav aria-label="Views">
          {NAV.map((n) => (
            <Link key={n.view} to={{ ...state, view: n.view }} class={n.view === state.view ? 'active' : ''}>
              {n.label}
            </Link>
          ))}
        </nav>
        <button
          type="button"
          class="sign-out"
          onClick={() => {
            session.signOut();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <div class="title-row">
          <h1>
            {entry.label}
            {state.service && state.view !== 'overview' && state.view !== 'targets' ? ` · ${state.service}` : ''}
          </h1>
          <Toolbar timed={entry.timed} />
        </div>
        <ViewComponent />
      </main>
    </Ctx.Provider>
  );
}
