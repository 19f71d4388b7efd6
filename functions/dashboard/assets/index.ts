import { APP_CSS } from './app-css.js';
import { APP_JS } from './app-js.js';
import { INDEX_HTML } from './index-html.js';

/** The dashboard's static files, inlined so the function's bundle is self-contained. */
export const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'index.html': { type: 'text/html; charset=utf-8', body: INDEX_HTML },
  'app.css': { type: 'text/css; charset=utf-8', body: APP_CSS },
  'app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
};
