import * as v from 'valibot';
import { urlRefusal } from './url-policy.js';

/**
 * A URL that Vigil fetches on a user's behalf (a probe target, a verification's `deployUrl`, a rollback webhook):
 * absolute http(s), at most 2,048 characters, no credentials in it, and not an address refused under every policy
 * (link-local, metadata). Private and loopback addresses depend on the deployment (`allowPrivateTargets`) and are
 * checked by the caller and again at connect time.
 */
export function fetchedUrlSchema(credentialsAdvice = '') {
  return v.pipe(
    v.string('must be a string'),
    v.maxLength(2_048, 'must be at most 2048 characters'),
    v.check((s) => URL.canParse(s), 'must be an absolute URL'),
    // valibot runs every check of a pipe, so the later ones must tolerate an unparsable URL.
    v.check((s) => !URL.canParse(s) || ['http:', 'https:'].includes(new URL(s).protocol), 'must use http or https'),
    v.check(
      (s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''),
      `must not carry credentials${credentialsAdvice}`,
    ),
    v.check(
      (s) => !URL.canParse(s) || urlRefusal(s, { allowPrivate: true }) === undefined,
      (i) => urlRefusal(String(i.input), { allowPrivate: true })?.message ?? 'is not allowed',
    ),
  );
}
