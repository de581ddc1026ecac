/**
 * The web inspector's build. Vite (already here: vitest runs on it) bundles the page and its module worker from
 * TypeScript with no plugin; `linkplan` is the core entry, bundled from source (src/index.ts), so the page needs no
 * `npm run build` first. Relative asset paths: the built folder works from any static host, at any path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const { version } = JSON.parse(readFileSync(here('../package.json'), 'utf8')) as { version: string };

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  resolve: { alias: { linkplan: here('../src/index.ts') } },
  // The version the reports carry (tool.version), as the CLI reads it from package.json.
  define: { __LINKPLAN_VERSION__: JSON.stringify(version) },
  // The worker is one file with its decompressors in it: after the page has loaded, nothing at all is fetched.
  worker: { format: 'es', rolldownOptions: { output: { codeSplitting: false } } },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', reportCompressedSize: true, sourcemap: false },
  logLevel: 'warn',
});
