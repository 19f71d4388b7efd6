import type { Violation } from '../errors.js';
import { type UrlPolicy, urlRefusal } from '../url-policy.js';
import { isCredentialHeader, isSecretRef, PLAIN_CREDENTIAL_MESSAGE } from './secret-ref.js';
import type { TargetEntry } from './target-schema.js';

/**
 * What a config file's targets must satisfy beyond the schema: the deployment's URL policy on literal
 * addresses, and credentials only as references (plain values of non-credential headers such as
 * `Accept` are fine). Checked at synth, at deploy and by local mode at start.
 */
export function configViolations(targets: readonly TargetEntry[], policy: UrlPolicy): Violation[] {
  return targets.flatMap((t, i): Violation[] => {
    const out: Violation[] = [];
    const refusal = urlRefusal(t.url, policy);
    if (refusal) out.push({ path: `targets[${i}].url`, message: refusal.message });
    for (const [name, value] of Object.entries(t.headers)) {
      if (!isSecretRef(value) && isCredentialHeader(name)) {
        out.push({ path: `targets[${i}].headers.${name}`, message: PLAIN_CREDENTIAL_MESSAGE });
      }
    }
    return out;
  });
}

/** Every secret a config file references, for the deploy's read grant (deduplicated, in order). */
export function referencedSecrets(targets: readonly TargetEntry[]): string[] {
  const refs = targets.flatMap((t) =>
    Object.values(t.headers)
      .filter(isSecretRef)
      .map((r) => r.secretRef),
  );
  return [...new Set(refs)];
}
