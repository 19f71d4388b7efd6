/**
 * The dashboard's static files, inlined so the function's bundle is self-contained. The page asks for a
 * token (kept in the browser's localStorage) and calls the same API as every other client.
 */
export const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'index.html': {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vigil</title>
<link rel="stylesheet" href="/ui/app.css">
</head>
<body>
<header><h1>Vigil</h1><span id="health" class="pill">…</span></header>
<main>
  <form id="login"><label>API token <input id="token" type="password" autocomplete="off" placeholder="paste a token with the read scope"></label><button>Use token</button></form>
  <section><h2>Notifications</h2><p id="notifications-status"></p><table id="notifications"><thead><tr><th>When</th><th>Topic</th><th>Subject</th><th>Delivery</th></tr></thead><tbody></tbody></table></section>
</main>
<script type="module" src="/ui/app.js"></script>
</body>
</html>`,
  },
  'app.css': {
    type: 'text/css; charset=utf-8',
    body: `body{font-family:system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:#1d2430;color:#fff}
h1{font-size:1.25rem;margin:0}main{padding:1.5rem;max-width:72rem}
.pill{padding:.15rem .6rem;border-radius:1rem;background:#888;font-size:.85rem}
.pill.pass{background:#1f8a4c}.pill.warn{background:#b7791f}.pill.fail{background:#c53030}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:.4rem .6rem;border-bottom:1px solid #e2e5ea;text-align:left}
form{margin-bottom:1.5rem}input{width:24rem;padding:.3rem}`,
  },
  'app.js': {
    type: 'text/javascript; charset=utf-8',
    body: `const $ = (s) => document.querySelector(s);
const token = () => localStorage.getItem('vigil.token') || '';
async function api(path) {
  const res = await fetch(path, { headers: { authorization: 'Bearer ' + token() } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || res.statusText);
  return body;
}
async function health() {
  const res = await fetch('/health');
  const body = await res.json();
  const el = $('#health'); el.textContent = body.status; el.className = 'pill ' + body.status;
}
async function notifications() {
  const status = $('#notifications-status'); const tbody = $('#notifications tbody');
  tbody.textContent = '';
  if (!token()) { status.textContent = 'Paste a token to see data.'; return; }
  try {
    const { items } = await api('/v1/notifications?limit=50');
    status.textContent = items.length ? '' : 'No notifications yet.';
    for (const n of items) {
      const tr = document.createElement('tr');
      for (const v of [new Date(n.at).toLocaleString(), n.topic, n.subject, n.delivery.ok ? 'delivered' : 'failed: ' + (n.delivery.detail || '')]) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      tbody.append(tr);
    }
  } catch (e) { status.textContent = e.message; }
}
$('#login').addEventListener('submit', (e) => { e.preventDefault(); localStorage.setItem('vigil.token', $('#token').value.trim()); notifications(); });
health(); notifications(); setInterval(() => { health(); notifications(); }, 15000);
`,
  },
};
