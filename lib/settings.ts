import { ConfigError, readSettings, type SettingValues } from '../functions/catalog/setting-schema.js';
import { SETTING_NAMES, SETTINGS, type SettingName, type SettingSpec } from '../functions/catalog/settings.js';

/**
 * Deployment settings from `cdk.json` context (or `-c key=value`): every catalogue setting with a context
 * key, validated at synth by the same rules the functions apply, with an error that names the setting.
 */
type ContextSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K] extends { readonly context: string } ? K : never;
}[SettingName];

const CONTEXT_SETTINGS = SETTING_NAMES.filter((n) => 'context' in SETTINGS[n]) as ContextSettingName[];

export type DeploySettings = SettingValues<ContextSettingName>;

export function deploySettings(context: (key: string) => unknown): DeploySettings {
  const raw: Record<string, string | undefined> = {};
  for (const name of CONTEXT_SETTINGS) {
    const spec: SettingSpec = SETTINGS[name];
    const key = spec.context ?? name;
    const value = context(key);
    // Context values may be numbers (cdk.json) or strings (-c key=value); the environment form is a string.
    raw[key] = value === undefined || value === null ? undefined : String(value);
  }
  const settings = readSettings(CONTEXT_SETTINGS, raw, 'context');
  // SNS confirms and delivers HTTP subscriptions in the clear: alert payloads go to HTTPS endpoints only.
  const plain = settings.alertHttpsEndpoints.find((u) => !u.startsWith('https://'));
  if (plain)
    throw new ConfigError(`invalid cdk context alertHttpsEndpoints: each must be an https:// URL (got ${plain})`);
  return settings;
}

export const isProduction = (s: DeploySettings) => s.stage === 'prod';

/** Setting values for the functions, keyed by environment variable, from the deployment settings. */
export function deployedSettingValues(s: DeploySettings): Record<string, string> {
  const out: Record<string, string> = { VIGIL_NOTIFIER: 'sns' };
  for (const name of CONTEXT_SETTINGS) {
    const spec: SettingSpec = SETTINGS[name];
    // An optional setting left unset stays unset (not the string "undefined").
    if (spec.env && s[name] !== undefined) out[spec.env] = String(s[name]);
  }
  return out;
}
