import { excerpt } from '../excerpt.js';
import { type HeaderValue, isSecretRef, type SecretResolver } from './secret-ref.js';

export const SECRET_UNAVAILABLE = 'secret-unavailable';

/**
 * A target's headers with every secret reference replaced by its current value, or the reason it could
 * not be read (which becomes the probe's `down` reason: a probe without its credential would only fail
 * later, less clearly). The reason names the header and the reference, never a value.
 */
export async function resolveHeaders(
  headers: Readonly<Record<string, HeaderValue>>,
  secrets: SecretResolver | undefined,
): Promise<{ headers: Record<string, string> } | { error: string }> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretRef(value)) {
      out[name] = value;
      continue;
    }
    if (!secrets) return { error: `header ${name} refers to ${value.secretRef}, and this runtime cannot read secrets` };
    try {
      out[name] = await secrets.resolve(value.secretRef);
    } catch (error) {
      return {
        error: `header ${name}: secret ${value.secretRef} could not be read (${excerpt((error as Error).message, 120)})`,
      };
    }
  }
  return { headers: out };
}
