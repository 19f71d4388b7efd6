import * as v from 'valibot';
import { SETTINGS, type SettingName, type SettingSpec } from './settings.js';

/**
 * Validators built from the settings catalogue. Every reader (a function's config at cold start, local
 * mode's timers, the CDK app's context) goes through `readSettings`, so a value is checked by the same
 * rule wherever it is read, and a bad one fails at start naming the setting and the rule it broke.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

type ValueOf<S> = S extends { readonly kind: 'int' }
  ? number
  : S extends { readonly kind: 'choice'; readonly values: readonly (infer C)[] }
    ? C
    : S extends { readonly kind: 'url'; readonly list: true }
      ? string[]
      : S extends { readonly kind: 'text'; readonly default: string }
        ? string
        : S extends { readonly kind: 'email' }
          ? string
          : string | undefined;

export type SettingValue<N extends SettingName> = ValueOf<(typeof SETTINGS)[N]>;
export type SettingValues<N extends SettingName> = { readonly [K in N]: SettingValue<K> };

/** The rule of a setting in words (for errors and the README). */
export function ruleOf(spec: SettingSpec): string {
  switch (spec.kind) {
    case 'int':
      if (spec.oneOf) return `one of ${spec.oneOf.join(', ')}`;
      return `whole number ${spec.min}–${spec.max}${spec.also ? `; ${spec.also.rule}` : ''}`;
    case 'choice':
      return spec.values.map((c) => `\`${c}\``).join(', ');
    case 'url':
      return spec.list ? 'comma-separated URLs' : 'a URL';
    case 'email':
      return 'an e-mail address';
    case 'text':
      return spec.minLength ? `at least ${spec.minLength} characters` : (spec.rule ?? 'text');
  }
}

/** The default of a setting in words (for the README). */
export function defaultOf(spec: SettingSpec): string {
  if ('default' in spec && spec.default !== undefined) return String(spec.default);
  return spec.kind === 'url' && spec.list ? '(none)' : '(unset)';
}

function schemaOf(spec: SettingSpec): v.GenericSchema<string | undefined, unknown> {
  switch (spec.kind) {
    case 'int': {
      const base = v.pipe(
        v.optional(v.string(), String(spec.default)),
        v.transform((s) => (s.trim() === '' ? Number.NaN : Number(s))),
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(spec.min, `must be at least ${spec.min}`),
        v.maxValue(spec.max, `must be at most ${spec.max}`),
      );
      const also = spec.also;
      const oneOf = spec.oneOf;
      if (oneOf)
        return v.pipe(
          base,
          v.check((n) => oneOf.includes(n), `must be one of ${oneOf.join(', ')}`),
        );
      return also ? v.pipe(base, v.check(also.test, also.rule)) : base;
    }
    case 'choice':
      return v.optional(v.picklist(spec.values, `must be one of ${spec.values.join(', ')}`), spec.default);
    case 'url':
      return spec.list
        ? v.pipe(
            v.optional(v.string(), ''),
            v.transform((s) =>
              s
                .split(',')
                .map((u) => u.trim())
                .filter(Boolean),
            ),
            v.array(v.pipe(v.string(), v.url('each must be a URL'))),
          )
        : v.optional(v.pipe(v.string(), v.url('must be a URL')));
    case 'email':
      return v.optional(v.union([v.literal(''), v.pipe(v.string(), v.email('must be an e-mail address'))]), '');
    case 'text': {
      const checks = v.pipe(
        v.string(),
        v.minLength(spec.minLength ?? 0, `must be at least ${spec.minLength} characters`),
        v.regex(spec.pattern ?? /^/s, `must be ${spec.rule ?? 'text'}`),
      );
      return spec.default === undefined ? v.optional(checks) : v.optional(checks, spec.default);
    }
  }
}

/**
 * Reads and validates the named settings from an environment (keyed by each setting's `env`), or from
 * CDK context values (`by: 'context'`, keyed by context key). An empty string counts as unset, as in a shell.
 */
export function readSettings<const N extends SettingName>(
  names: readonly N[],
  env: Env,
  by: 'env' | 'context' = 'env',
): SettingValues<N> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const spec: SettingSpec = SETTINGS[name];
    const key = (by === 'context' ? spec.context : spec.env) ?? spec.env ?? spec.context ?? name;
    const raw = env[key] === '' ? undefined : env[key];
    const result = v.safeParse(schemaOf(spec), raw);
    if (result.success) out[name] = result.output;
    else problems.push(`${key}: ${result.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(raw)})`);
  }
  if (problems.length)
    throw new ConfigError(`invalid ${by === 'context' ? 'cdk context' : 'setting'} ${problems.join('; ')}`);
  return out as SettingValues<N>;
}
