#!/usr/bin/env node
// npm run demo: build (tsc, then the bundle: npm run build) only when dist/ is older than the sources. `npm install`
// has just built it (prepare), and a second full tsc run was most of the demo's 21 s.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Newest mtime (ms) of the files under `dir` (recursively) for which `keep(name)` holds; 0 when there are none. */
function newest(dir, keep) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, keep));
    else if (e.isFile() && keep(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Whether `root`'s dist/ must be rebuilt: it is missing (no dist/cli/main.js, or no bundle, dist/cli/linkplan.cjs, unless
 * the last build could not make one here and said so in dist/cli/no-bundle: bundle.mjs NO_BUNDLE),
 * or some file under src/, a tsconfig*.json or the bundle script is newer than the newest file in dist/ (tsc rewrites
 * every output on each run, and the bundle's code caches come last, so the newest one dates the last build).
 */
export function isStale(root) {
  if (!existsSync(join(root, 'dist/cli/main.js'))) return true;
  if (!existsSync(join(root, 'dist/cli/linkplan.cjs')) && !existsSync(join(root, 'dist/cli/no-bundle'))) return true;
  const built = newest(join(root, 'dist'), () => true);
  const configs = readdirSync(root).filter((n) => /^tsconfig.*\.json$/.test(n)).map((n) => statSync(join(root, n)).mtimeMs);
  const bundler = ['scripts/bundle.mjs'].filter((p) => existsSync(join(root, p))).map((p) => statSync(join(root, p)).mtimeMs);
  return Math.max(newest(join(root, 'src'), () => true), ...configs, ...bundler) > built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (isStale(root)) {
    process.stdout.write('demo: dist/ is older than src/; building\n');
    const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
    // npm run build's two steps, without npm's start-up.
    const status = run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']) || run([join(root, 'scripts/bundle.mjs')]);
    process.exit(status);
  }
}
