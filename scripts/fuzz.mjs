#!/usr/bin/env node
// npm run fuzz: the seeded fuzz campaign (test/fuzz.test.ts) with a long budget, for a hunt on a workstation. The
// committed CI run is 3 seeds × 1,200 mutations and 6 small size classes; every knob is an environment variable, and
// any already set wins over these defaults:
//   FUZZ_SEEDS=1-20 FUZZ_ITERATIONS=20000 FUZZ_SIZE_CASES=30 FUZZ_SIZE_MAX=65536 FUZZ_SLOW_MS=10000 npm run fuzz
// and the archive readers' mutation loop (test/archive-mutation.test.ts; CI: 400 mutants a container): FUZZ_ARCHIVE=5000.
// A failure prints its recipe (mutations) or builder call (size classes): paste it into the regressions there.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaults = { FUZZ_SEEDS: '1-20', FUZZ_ITERATIONS: '20000', FUZZ_SIZE_CASES: '30', FUZZ_SIZE_MAX: '65536', FUZZ_SLOW_MS: '10000', FUZZ_ARCHIVE: '5000' };
const env = { ...defaults, ...process.env };
for (const k of Object.keys(defaults)) console.log(`${k}=${env[k]}`);
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/fuzz.test.ts', 'test/archive-mutation.test.ts', '--testTimeout=3600000', ...process.argv.slice(2)],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
