/**
 * Resolve a binary's dependencies the way its loader would, from the bytes and a root (never by running
 * anything): one file per loader, this registry, and the choice of loader by what the binary says.
 */
import type { BinaryFacts, BinaryResult } from '../facts/types.js';
import { inspectIn, type LoaderImpl, run } from './engine.js';
import { glibc } from './glibc.js';
import { musl } from './musl.js';
import { dyld } from './dyld.js';
import { windows } from './windows.js';
import type { LoaderName, ResolveOptions, ResolveResult } from './model.js';

export * from './model.js';
export { MemorySysroot, type MemoryNode } from './memory.js';
export { defaultDirs } from './glibc.js';

/** One line per loader. */
export const LOADER_IMPLS: Record<LoaderName, LoaderImpl> = { glibc, musl, dyld, windows };

/** Which loaders can load which format. */
const FORMAT_OF: Record<LoaderName, BinaryFacts['format']> = { glibc: 'elf', musl: 'elf', dyld: 'macho', windows: 'pe' };

/** The loader a binary names: PT_INTERP ld-musl-* or a musl libc verdict → musl, other ELF → glibc. */
export function loaderFor(f: BinaryFacts): LoaderName {
  switch (f.format) {
    case 'elf': return (f.interpreter ?? '').includes('ld-musl') || f.libc === 'musl' ? 'musl' : 'glibc';
    case 'macho': return 'dyld';
    case 'pe': return 'windows';
    default: {
      const never: never = f;
      return never;
    }
  }
}

const failure = (r: BinaryResult, path: string, loader: LoaderName, code: string, message: string, rootLabel = '/'): ResolveResult => ({
  path: r.path, rootPath: path, arch: r.arch ?? '', loader, root: rootLabel, setup: [], deps: [], findings: [], error: { code, message },
});

/**
 * Resolve the binary at `path` (inside `opts.sysroot`). A universal Mach-O gives one result per slice; a file that
 * cannot be read, or is of a format the chosen loader does not load, gives one result with `error` set.
 */
export function resolveBinary(path: string, opts: ResolveOptions): ResolveResult[] {
  const r = opts.facts ?? inspectIn(opts.sysroot, opts.inspect, path, opts.factsRead);
  if (r === null) return [failure({ path, arch: null } as BinaryResult, path, opts.loader ?? 'glibc', 'io', 'not a readable file', opts.rootLabel)];
  if (r.error !== null) return [failure(r, path, opts.loader ?? 'glibc', r.error.code, r.error.message, opts.rootLabel)];
  const loader = opts.loader ?? loaderFor(r);
  if (FORMAT_OF[loader] !== r.format) {
    return [failure(r, path, loader, 'wrong-loader', `${loader} does not load ${r.format} files`, opts.rootLabel)];
  }
  if (r.format === 'macho' && r.slices) return r.slices.map((s) => run(LOADER_IMPLS[loader], opts, s as BinaryFacts, path, s.arch));
  return [run(LOADER_IMPLS[loader], opts, r, path, r.arch)];
}
