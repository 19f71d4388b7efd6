import { ValidationError, type Violation } from '../errors.js';
import { type UrlPolicy, urlRefusal } from '../url-policy.js';
import type { TargetStore } from './model.js';
import { isSecretRef, REF_ONLY_IN_CONFIG_MESSAGE } from './secret-ref.js';
import type { TargetSpec } from './target-schema.js';

/**
 * Header values are write-only: every answer shows them as `(redacted)` (a reference, which names a
 * secret rather than holding it, is shown as it is). A PUT may send `(redacted)` back for a header to
 * keep its stored value, so a target read and written back does not lose its credential.
 */
export const REDACTED = '(redacted)';

export function redactHeaders<T extends Pick<TargetSpec, 'headers'>>(target: T): T {
  const headers = Object.fromEntries(
    Object.entries(target.headers).map(([name, value]) => [name, isSecretRef(value) ? value : REDACTED]),
  );
  return { ...target, headers };
}

/**
 * The checks a `PUT /v1/targets/{id}` needs beyond the schema: the deployment's URL policy on a literal
 * address, no references (they are for the config file), and `(redacted)` resolved to the stored value.
 */
export async function prepareApiSpec(
  store: Pick<TargetStore, 'getTarget'>,
  id: string,
  spec: TargetSpec,
  policy: UrlPolicy,
): Promise<TargetSpec> {
  const violations: Violation[] = [];
  const refusal = urlRefusal(spec.url, policy);
  if (refusal) violations.push({ path: 'url', message: refusal.message });
  const kept = Object.entries(spec.headers).filter(([, value]) => value === REDACTED);
  const stored = kept.length > 0 ? (await store.getTarget(id))?.headers : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers)) {
    if (isSecretRef(value)) {
      violations.push({ path: `headers.${name}`, message: REF_ONLY_IN_CONFIG_MESSAGE });
    } else if (value !== REDACTED) {
      headers[name] = value;
    } else {
      const previous = stored?.[name];
      if (typeof previous === 'string') headers[name] = previous;
      else
        violations.push({
          path: `headers.${name}`,
          message: `"${REDACTED}" keeps the stored value, and this target has none for ${name}`,
        });
    }
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return { ...spec, headers };
}
