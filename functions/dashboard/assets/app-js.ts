/**
 * Dashboard script (plain browser JavaScript, no build step): polls the query API every 15 s and renders
 * tables with textContent only, so nothing from the data is ever interpreted as HTML.
 */
export const APP_JS = `const $ = (s) => document.querySelector(s);
const token = () => localStorage.getItem('vigil.token') || '';
const fmtTime = (t) => (t ? new Date(t).toLocaleString() : '—');
const fmtNum = (n, digits = 2) => (n === null || n === undefined ? '—' : Number(n).toFixed(digits));
const pct = (n) => (n === null || n === undefined ? '—' : (n * 100).toFixed(1) + '%');

async function api(path) {
  const res = await fetch(path, { headers: { authorization: 'Bearer ' + token() } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((body.title || res.statusText) + ': ' + (body.detail || res.status));
  return body;
}

function pill(status) {
  const span = document.createElement('span');
  span.className = 'pill ' + status;
  span.textContent = status;
  return span;
}

function render(table, rows, empty) {
  const tbody = $(table + ' tbody');
  tbody.textContent = '';
  if (!rows.length) {
    const td = document.createElement('td');
    td.colSpan = $(table + ' thead tr').children.length;
    td.className = 'empty';
    td.textContent = empty;
    tbody.append(td);
    return;
  }
  for (const cells of rows) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.append(cell); else td.textContent = cell ?? '—';
      tr.append(td);
    }
    tbody.append(tr);
  }
}

async function health() {
  try {
    const body = await (await fetch('/health')).json();
    const el = $('#health'); el.textContent = body.status; el.className = 'pill ' + body.status;
  } catch { $('#health').textContent = 'unreachable'; }
}

const views = {
  async services() {
    const { items } = await api('/v1/services');
    render('#services', items.map((s) => [s.service, (s.environments || []).join(', '), fmtNum(s.requestRate), pct(s.errorRate),
      s.p95LatencyMs === null || s.p95LatencyMs === undefined ? '—' : fmtNum(s.p95LatencyMs, 0) + ' ms', fmtTime(s.lastSeen)]),
      'No telemetry yet: send some with the SDK or OTLP.');
  },
  async targets() {
    const { items } = await api('/v1/targets');
    render('#targets', items.map((t) => [t.id, t.service, pill(t.state?.status || 'unknown'), t.state?.reason,
      t.state?.latencyMs === null || t.state?.latencyMs === undefined ? '—' : t.state.latencyMs + ' ms', fmtTime(t.state?.since)]),
      'No targets: register one with PUT /v1/targets/{id} or vigil.config.json.');
  },
  async events() {
    const { items } = await api('/v1/target-events');
    render('#events', items.slice(0, 50).map((e) => [fmtTime(e.at), e.targetId, e.from + ' → ' + e.to, e.reason,
      e.probableCause ? e.probableCause.targetId + ' is ' + e.probableCause.status : '']), 'No status changes.');
  },
  async notifications() {
    const { items } = await api('/v1/notifications?limit=50');
    render('#notifications', items.map((n) => [fmtTime(n.at), n.topic, n.subject,
      n.delivery.ok ? 'delivered' : 'failed: ' + (n.delivery.detail || '')]), 'No notifications yet.');
  },
};

async function refresh() {
  health();
  const message = $('#message');
  if (!token()) { message.hidden = false; message.textContent = 'Paste a token with the read scope to see data.'; return; }
  const failures = [];
  await Promise.all(Object.entries(views).map(([name, view]) => view().catch((e) => failures.push(name + ': ' + e.message))));
  message.hidden = failures.length === 0;
  message.textContent = failures.join(' · ');
  $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  localStorage.setItem('vigil.token', $('#token').value.trim());
  $('#token').value = '';
  refresh();
});
refresh();
setInterval(refresh, 15000);
`;
