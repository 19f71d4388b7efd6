import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, SETTINGS, type SettingSpec } from '../../functions/catalog/settings.js';
import { BEGIN_MARKER, END_MARKER, renderSettingsTables, withSettingsTables } from '../../lib/settings-docs.js';

/** Issue #10 item 4: the README's settings tables are the catalogue's, whatever the catalogue holds. */
describe('README settings tables', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('are exactly what the catalogue renders (run `npm run docs:settings` after changing a setting)', () => {
    expect(withSettingsTables(readme)).toBe(readme);
  });

  it('list every setting of the catalogue once, by variable or context key, with its default', () => {
    const block = readme.slice(readme.indexOf(BEGIN_MARKER), readme.indexOf(END_MARKER));
    for (const name of SETTING_NAMES) {
      const spec: SettingSpec = SETTINGS[name];
      const key = spec.env ?? spec.context!;
      const rows = block
        .split('\n')
        .filter((line) => line.startsWith(`| \`${key}\``) || line.includes(`| \`${key}\` |`));
      expect(rows.length, `${name} (${key})`).toBeGreaterThanOrEqual(1);
    }
  });

  it('change when the catalogue changes', () => {
    const before = renderSettingsTables();
    const spec = SETTINGS.tokenCacheSeconds as { default: number };
    const saved = spec.default;
    try {
      (spec as { default: number }).default = 31;
      expect(renderSettingsTables()).not.toBe(before);
      expect(withSettingsTables(readme)).not.toBe(readme);
    } finally {
      (spec as { default: number }).default = saved;
    }
  });
});
