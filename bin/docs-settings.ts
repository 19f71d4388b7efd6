import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTables } from '../lib/settings-docs.js';

/** `npm run docs:settings`: rewrites the README's settings tables from the catalogue. */
const file = 'README.md';
const before = readFileSync(file, 'utf8');
const after = withSettingsTables(before);
if (after === before) {
  console.log(`${file}: settings tables are up to date`);
} else {
  writeFileSync(file, after);
  console.log(`${file}: settings tables rewritten from functions/catalog/settings.ts`);
}
