// Bundles the CLI (and the pure code it imports from functions/core) into one file with no dependencies:
// `node cli/build.mjs [OUTFILE]` (default cli/dist/vigil.js, what bin/vigil.js loads when src/ is absent).
import { resolve } from 'node:path';
import { build } from 'esbuild';

const outfile = process.argv[2] ? resolve(process.argv[2]) : new URL('./dist/vigil.js', import.meta.url).pathname;

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
