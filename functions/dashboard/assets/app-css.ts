/** Dashboard styles: readable at a glance, status colours that also carry a word (never colour alone). */
export const APP_CSS = `:root{--fg:#1d2430;--muted:#667085;--line:#e2e5ea;--bg:#f6f7f9;--up:#1f8a4c;--warn:#b7791f;--down:#c53030;--unknown:#718096}
body{font-family:system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:#1d2430;color:#fff}
header form{margin-left:auto;display:flex;gap:.4rem}header input{width:20rem;padding:.3rem}
h1{font-size:1.25rem;margin:0}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}main{padding:0 1.5rem 2rem;max-width:80rem}
.muted{color:var(--muted);font-weight:normal;font-size:.85rem}header .muted{color:#c9d1dc}
.pill{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:var(--unknown);color:#fff;font-size:.8rem}
.pill.pass,.pill.up{background:var(--up)}.pill.warn,.pill.degraded{background:var(--warn)}.pill.fail,.pill.down{background:var(--down)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
td,th{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:left;font-size:.9rem}
th{background:#fafbfc;font-weight:600}td.empty{color:var(--muted);font-style:italic}
.message{padding:.6rem .8rem;background:#fff4e5;border:1px solid #f6c26b;border-radius:.3rem}`;
