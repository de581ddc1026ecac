import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { FileSource } from '../src/node/file-source.js';
import { inspectSource } from '../src/inspect.js';
import type { BinaryFacts, BinaryResult } from '../src/facts/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES = join(ROOT, 'samples');
/** The shipped CLI, package.json's bin (dist/cli/bin.cjs): the bundle with its code cache, as users run it. */
export const BIN_PATH: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.linkplan;
export const BIN = join(ROOT, BIN_PATH);
export const sample = (p: string) => join(SAMPLES, p);

export function inspectFile(path: string): BinaryResult {
  const src = FileSource.open(path);
  try {
    return inspectSource(src, path);
  } finally {
    src.close();
  }
}

/** Facts of a file that must parse; fails the test with the error otherwise. */
export function facts(path: string): BinaryFacts {
  const r = inspectFile(path);
  if (r.error !== null) throw new Error(`${path}: ${r.error.message}`);
  return r as BinaryFacts;
}

/** Run a system tool (readelf, llvm-readobj…) and return stdout; throws if it fails. */
export function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const LLVM_BIN = '/usr/lib/llvm-14/bin';

/** The CLI as built by `npm run build` (the test script builds first), in a terminal `columns` wide (200 unless told). */
export function cli(args: string[], opts: { cwd?: string; columns?: number } = {}): { stdout: string; stderr: string; code: number } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: String(opts.columns ?? 200), NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Every regular file under samples/<dir>, relative to samples/, sorted. */
export function samplesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(SAMPLES, p));
    }
  };
  walk(sample(dir));
  return out;
}
