/** The dashboard page. Data comes from the API with the token the user gives (kept in localStorage). */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vigil</title>
<link rel="stylesheet" href="/ui/app.css">
</head>
<body>
<header>
  <h1>Vigil</h1><span id="health" class="pill" title="Vigil's own health">…</span>
  <form id="login"><input id="token" type="password" autocomplete="off" placeholder="API token (read scope)" aria-label="API token"><button>Use token</button></form>
  <span id="updated" class="muted"></span>
</header>
<main>
  <p id="message" class="message" hidden></p>
  <section>
    <h2>Services <span class="muted">last 15 minutes</span></h2>
    <table id="services"><thead><tr><th>Service</th><th>Environments</th><th>Requests/s</th><th>Errors</th><th>p95</th><th>Last seen</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Health checks</h2>
    <table id="targets"><thead><tr><th>Target</th><th>Service</th><th>Status</th><th>Reason</th><th>Latency</th><th>Since</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Status changes <span class="muted">last 24 hours</span></h2>
    <table id="events"><thead><tr><th>When</th><th>Target</th><th>Change</th><th>Reason</th><th>Probable cause</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Notifications</h2>
    <table id="notifications"><thead><tr><th>When</th><th>Topic</th><th>Subject</th><th>Delivery</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script type="module" src="/ui/app.js"></script>
</body>
</html>`;
