#!/usr/bin/env node
// The `vigil` command. In the repository (src/ present) it runs the TypeScript sources through tsx, so
// `npx vigil` works right after `npm ci` with no build step and never runs a stale build. A packed
// @vigil/cli (npm pack / publish) ships only bin/ and the esbuild bundle dist/vigil.js, built at prepack.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const bundle = new URL('../dist/vigil.js', import.meta.url);

let entry;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import(source);
} else {
  entry = await import(bundle.href);
}
process.exitCode = await entry.runCli(process.argv.slice(2));
