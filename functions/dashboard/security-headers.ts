/**
 * Headers on every dashboard file. The CSP allows only the dashboard's own hashed script and stylesheet and
 * calls to its own API: no inline script or style attribute, no plugins, no <base> rewriting, forms post only
 * here, and no framing (clickjacking); `X-Frame-Options` says the same to browsers that predate
 * `frame-ancestors`. The referrer never leaves with a URL that names services and filters.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Hashed names change with their content; the page itself must be revalidated so it points at the new ones. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
