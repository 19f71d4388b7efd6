/**
 * The forwarder's webhook URLs, as stored in the secret: one URL, several separated by commas or line
 * breaks, or a JSON array of URLs. Anything that is not an http(s) URL is refused with the reason.
 */
export const MAX_WEBHOOKS = 20;

export function webhookUrls(secret: string): { urls: string[]; problems: string[] } {
  const text = secret.trim();
  let entries: unknown[];
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text);
      entries = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return { urls: [], problems: ['the secret starts with "[" but is not a JSON array'] };
    }
  } else {
    entries = text.split(/[\s,]+/).filter(Boolean);
  }
  const urls: string[] = [];
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (typeof e !== 'string' || !URL.canParse(e)) problems.push(`entry ${i + 1}: not a URL`);
    else if (!/^https?:$/.test(new URL(e).protocol)) problems.push(`entry ${i + 1}: not an http(s) URL`);
    else urls.push(e);
  });
  if (urls.length > MAX_WEBHOOKS)
    problems.push(`more than ${MAX_WEBHOOKS} webhooks: the first ${MAX_WEBHOOKS} are used`);
  return { urls: urls.slice(0, MAX_WEBHOOKS), problems };
}
