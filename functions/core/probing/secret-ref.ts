import * as v from 'valibot';

/**
 * A header value that lives in Secrets Manager or SSM Parameter Store, named in `vigil.config.json` and
 * read by the probe function at run time, so the secret never reaches the CloudFormation template (the
 * config file is embedded in it) and the deploy can grant read access to exactly the secrets named.
 *
 * `secretRef` is either the full ARN of a Secrets Manager secret (`arn:aws:secretsmanager:…:secret:name-AbCdEf`,
 * its SecretString is the header value) or an SSM parameter (`/absolute/name` in the deployment's account
 * and region, or its `arn:aws:ssm:…:parameter/…` ARN; SecureString is decrypted).
 */
export interface SecretRef {
  readonly secretRef: string;
}

export type HeaderValue = string | SecretRef;

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const SSM_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]{1,1011}$/;
const SSM_NAME = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;

export type SecretSource =
  | { readonly kind: 'secrets-manager'; readonly arn: string }
  | { readonly kind: 'ssm'; readonly name: string; readonly arn?: string };

/** Where a reference points, or undefined when it is not a reference Vigil understands. */
export function secretSource(ref: string): SecretSource | undefined {
  if (SECRETS_MANAGER_ARN.test(ref)) return { kind: 'secrets-manager', arn: ref };
  if (SSM_ARN.test(ref)) return { kind: 'ssm', name: `/${ref.split(':parameter/')[1]}`, arn: ref };
  if (SSM_NAME.test(ref) && !ref.includes('//')) return { kind: 'ssm', name: ref };
  return undefined;
}

export const SecretRefSchema = v.strictObject(
  {
    secretRef: v.pipe(
      v.string('must be a string'),
      v.check(
        (s) => secretSource(s) !== undefined,
        'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:…:secret:…) or an SSM parameter name (/name) or ARN',
      ),
    ),
  },
  (i) => (i.expected === 'never' ? 'unknown field (a secret reference is {"secretRef": "…"})' : 'must be an object'),
);

export const isSecretRef = (value: HeaderValue): value is SecretRef => typeof value !== 'string';

/** Header names whose values are credentials: in the config file they must be references. */
const CREDENTIAL_NAME =
  /^(authorization|proxy-authorization|cookie)$|token|secret|key|auth|passw|session|credential|signature/i;

export const isCredentialHeader = (name: string): boolean => CREDENTIAL_NAME.test(name);

export const PLAIN_CREDENTIAL_MESSAGE =
  'a credential in vigil.config.json must be a reference, {"secretRef": "arn:aws:secretsmanager:…"} or {"secretRef": "/ssm/parameter/name"}: the file is embedded in the CloudFormation template';

export const REF_ONLY_IN_CONFIG_MESSAGE =
  'secret references belong in vigil.config.json (the deploy grants the probe function read access to exactly those); send the value itself, which is stored and never shown again';

/** Port: reads a referenced secret's current value (cached by the adapter). */
export interface SecretResolver {
  resolve(ref: string): Promise<string>;
}
