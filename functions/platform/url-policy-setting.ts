import type { UrlPolicy } from '../core/url-policy.js';

/** The URL policy of a deployment (probe targets and every other URL fetched on a user's behalf). */
export const urlPolicyOf = (settings: { readonly allowPrivateTargets: string }): UrlPolicy => ({
  allowPrivate: settings.allowPrivateTargets === 'true',
});
