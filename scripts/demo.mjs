#!/usr/bin/env node
// npm run demo: inspect a few samples, then verify the samples against a plan they keep (expect exit 0) and
// against one they deliberately break (expect exit 1). Exits 0 when both outcomes are as expected.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/bin.cjs');
const run = (title, args, expected) => {
  process.stdout.write(`\n$ linkplan ${args.join(' ')}\n# ${title}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  const ok = expected === undefined || r.status === expected;
  process.stdout.write(`# exit ${r.status}${expected === undefined ? '' : ok ? ` (expected ${expected})` : ` — EXPECTED ${expected}`}\n`);
  return ok;
};

const results = [
  run('what the bytes say', [
    'inspect', 'samples/elf/musl-static', 'samples/rust/dynamic', 'samples/pe/msvc/x64/md_like.dll', 'samples/macho/arm64/bin/homebrew-user',
  ], 0),
  run('the plan the samples keep', ['verify', '--plan', 'samples/linkplan.toml', 'samples'], 0),
  run('crt-static silently ignored: a plan the samples break', ['verify', '--plan', 'samples/plans/crt-static-drift.toml', 'samples/rust'], 1),
  run('a vcruntime140.dll import in a "self-contained" DLL, as GitHub annotations', [
    'verify', '--plan', 'samples/plans/windows-self-contained.toml', 'samples/pe/msvc/x64', '--format', 'github',
  ], 1),
];
const failed = results.filter((ok) => !ok).length;
process.stdout.write(`\n${failed ? `demo: ${failed} outcome(s) not as expected` : 'demo: every outcome as expected (0 holds, 1 violated)'}\n`);
process.exit(failed ? 1 : 0);
