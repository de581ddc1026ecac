#!/usr/bin/env node
/**
 * linkplan's bin. It runs the bundled CLI, dist/cli/linkplan.cjs (every module the CLI reaches in one file, made by
 * scripts/bundle.mjs), compiled with the V8 code cache made beside it at build time: a run neither resolves and loads
 * ~100 ES modules nor compiles the functions the common paths call. Without the bundle it runs tsc's build, main.js.
 * A cache V8 turns away (another Node, other V8 flags) costs time, never output. CommonJS: an ES module entry costs
 * Node ~3 ms more to start. See README, "Start-up", and docs/architecture.md.
 */
import { readFileSync, statSync } from 'node:fs';
import { wrap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

export type Bundle = typeof import('./bundle.js', { with: { 'resolution-mode': 'import' } });

export const BUNDLE = join(__dirname, 'linkplan.cjs');

/**
 * The code caches beside the bundle, one per kind of run: V8 reads all of a cache before anything runs (~1 ms a
 * 100 KiB), so each holds what its commands call (scripts/bundle.mjs runs them to make it) and not the others'.
 * `base` (--version, --help, a usage error) holds what every run compiles.
 */
export const GROUPS = { inspect: ['inspect'], check: ['verify', 'audit', 'merge'], other: ['diff', 'resolve', 'plan'], base: [] };
export type Group = keyof typeof GROUPS;
export const cacheFile = (group: Group) => join(__dirname, `linkplan.${group}.cache`);
const groupOf = (command: string | undefined): Group =>
  (Object.keys(GROUPS) as Group[]).find((g) => (GROUPS[g] as string[]).includes(command ?? '')) ?? 'base';

/**
 * The bundle ends with its build's stamp (a hash of its text) and the cache starts with the same: a cache from another
 * build never reaches V8, which would take any cache made from a source of the same length.
 */
const STAMP = /\n\/\/ linkplan build ([0-9a-f]{16})\n$/;
export const stampLine = (stamp: string) => `\n// linkplan build ${stamp}\n`;
/** 64 bytes, so the V8 data after it stays aligned (V8 copies a misaligned cache first). */
const HEADER = 64;
const header = (stamp: string) => Buffer.from(`linkplan code cache ${stamp}`.padEnd(HEADER - 1) + '\n', 'latin1');

/**
 * V8 checks a code cache's version, flags and length, not its bytes: a corrupt one can crash the process. With
 * --verify-snapshot-checksum a cache is made with a checksum and taken only if that matches; the flag is part of the
 * flags a cache must match, so a cache made with it is never taken where it did not take effect. It is on only while
 * the bundle is compiled or its cache made: left on, it would turn away Node's own code cache of the built-in modules
 * loaded later (~6 ms more for the few the CLI loads).
 */
function checked<T>(f: () => T): T {
  setFlagsFromString('--verify-snapshot-checksum');
  try {
    return f();
  } finally {
    setFlagsFromString('--no-verify-snapshot-checksum');
  }
}

/**
 * TurboFan inlines less into one function (200 bytecodes of callees instead of 920). A run over thousands of files
 * is mostly cold code: readElf and elfFacts run once a file, and with the default budget each took 60-100 ms to
 * optimize (twice after a deopt), on the core the reading thread shares, while the files went by in baseline code.
 * Measured (npm run bench, 2 cores): inspect --json over 2,320 ELF files -10% wall, -14% CPU; PE and archives
 * (.tar.zst, .tar.gz) and --libs no slower. Set before the bundle is compiled, here and where the caches are made
 * (scripts/bundle.mjs loads the bundle through loadBundle too): V8's flags are part of what a cache must match.
 */
export const TUNING = '--max-inlined-bytecode-size-cumulative=200';

/** Was file `a` modified after file `b`? (False when either cannot be stat'ed: the caller's other checks decide.) */
function newer(a: string, b: string): boolean {
  try {
    return statSync(a).mtimeMs > statSync(b).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Does the bundle's text still hash to its stamp? V8 would run a cache made from other text of the same length (it
 * compares lengths only), so a bundle edited after its caches were made must not get them. Asked only then (the
 * bundle is newer than the cache: edited, or copied without its times), as hashing it costs ~4 ms.
 */
function stampHolds(source: string, stamp: string): boolean {
  const code = source.slice(0, source.length - stampLine(stamp).length);
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(code, 'latin1').digest('hex').slice(0, 16) === stamp;
}

/**
 * Is tsc's output newer than the bundle made from it (a tsc-only build since, e.g. `tsc --watch`)? Then the bundle is
 * stale and tsc's build runs instead: what was just compiled is what runs. (An npm install gives every file one time.)
 */
const bundleIsStale = () => newer(join(__dirname, 'bundle.js'), BUNDLE);

export interface Loaded {
  exports: Bundle;
  script: Script;
  stamp: string | null;
  /** What became of the code cache: none (no file, or another build's), rejected by V8, or accepted. */
  cache: 'none' | 'rejected' | 'accepted';
}

/** The bundle compiled with the code cache in the file `cache` (null: none) and run; null without a bundle that compiles. */
export function loadBundle(cache: string | null): Loaded | null {
  setFlagsFromString(TUNING);
  let source: string;
  if (bundleIsStale()) return null;
  try {
    // ASCII (scripts/bundle.mjs makes sure): as Latin-1 it is read into a one-byte string, with no UTF-8 decoding.
    source = readFileSync(BUNDLE, 'latin1');
  } catch {
    return null;
  }
  const stamp = STAMP.exec(source.slice(-HEADER))?.[1] ?? null;
  let cachedData: Buffer | undefined;
  if (stamp && cache) {
    try {
      const data = readFileSync(cache);
      if (data.subarray(0, HEADER).equals(header(stamp)) && (!newer(BUNDLE, cache) || stampHolds(source, stamp))) cachedData = data.subarray(HEADER);
    } catch {
      // No cache: compiled from the source.
    }
  }
  let script: Script;
  try {
    script = checked(() => new Script(wrap(source), { filename: BUNDLE, cachedData }));
  } catch {
    return null;
  }
  const module = { exports: {} as Bundle };
  script.runInThisContext()(module.exports, require, module, BUNDLE, __dirname);
  return { exports: module.exports, script, stamp, cache: !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted' };
}

/** The code cache of a loaded bundle after a run, with its header: what scripts/bundle.mjs writes beside the bundle. */
export function codeCache(loaded: Loaded): Buffer {
  if (!loaded.stamp) throw new Error(`${BUNDLE} has no build stamp`);
  return Buffer.concat([header(loaded.stamp), checked(() => loaded.script.createCachedData())]);
}

/** What a worker thread started from this file is given, to run the pool's worker body. */
export const POOL_WORKER = 'linkplan pool worker';

/** As the CLI's errorLine: one line, never a stack trace. */
function fail(e: unknown): void {
  process.stderr.write(`linkplan: internal error: ${String(e instanceof Error ? e.message : e).replace(/[\0-\x1f\x7f]/g, ' ')}\n`);
  process.exitCode = 2;
}

/**
 * Is this thread a pool worker? pool.ts starts workers with POOL_WORKER as workerData and as their argv, so the main
 * thread knows it is not one without loading worker_threads (~1.8 ms, and most runs start no worker).
 */
function isPoolWorker(): boolean {
  if (process.argv[2] !== POOL_WORKER) return false;
  const { isMainThread, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  return !isMainThread && workerData === POOL_WORKER;
}

function start(): void {
  const worker = isPoolWorker();
  // A pool worker reads files as inspect does (verify's and audit's workers too): the inspect cache has those readers.
  const bundle = loadBundle(cacheFile(worker ? 'inspect' : groupOf(process.argv[2])));
  if (worker) {
    // A failure here is the worker's 'error' (pool.ts retries its jobs, then reports them), not a line of the run's.
    void (bundle ? bundle.exports.poolWorker() : import('../node/pool-worker.js'));
  } else if (bundle) {
    bundle.exports.cli(process.argv, { script: pathToFileURL(__filename), workerData: POOL_WORKER }).catch(fail);
  } else {
    import('./run.js').then((m) => m.run(process.argv)).catch(fail);
  }
}

if (require.main === module) {
  try {
    start();
  } catch (e) {
    fail(e);
  }
}
