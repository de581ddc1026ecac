import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tool } from './helpers.js';
import { inspectPaths } from '../src/node/inspect-paths.js';
import type { BinaryFacts } from '../src/facts/types.js';

/**
 * Real third-party release binaries (npm platform packages, pinned in scripts/corpus.mjs and fetched by
 * `npm run corpus`, which `npm test` runs first). Every one must parse, and what llvm-readobj reports must agree.
 */
const CORPUS = join(ROOT, '.cache', 'corpus');

describe('corpus of real release binaries', () => {
  it('has been fetched (npm run corpus)', () => {
    expect(existsSync(CORPUS), 'run `npm run corpus` first').toBe(true);
  });

  let bins: BinaryFacts[] = [];
  beforeAll(async () => {
    if (existsSync(CORPUS)) bins = (await inspectPaths([CORPUS], { archives: false })).binaries as BinaryFacts[];
  });
  const byPkg = (s: string) => {
    const b = bins.find((x) => x.path.includes(s));
    if (!b) throw new Error(`corpus binary ${s} not found`);
    return b;
  };

  it('every binary parses, in every format', () => {
    expect(bins.length).toBeGreaterThanOrEqual(12);
    expect(bins.filter((b) => b.error !== null).map((b) => `${b.path}: ${(b as unknown as { error: { message: string } }).error.message}`)).toEqual([]);
    expect(new Set(bins.map((b) => b.format))).toEqual(new Set(['elf', 'pe', 'macho']));
  });

  it('needed libraries agree with llvm-readobj --needed-libs for every binary', () => {
    for (const b of bins) {
      const out = tool('llvm-readobj', ['--needed-libs', b.path]);
      const listed = (/NeededLibraries \[\n([\s\S]*?)\n\]/.exec(out)?.[1] ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
      // llvm-readobj sorts the names, folds duplicates, and for Mach-O lists a dylib's own install name too.
      const norm = (xs: string[]) => [...new Set(xs.map((x) => (b.format === 'pe' ? x.toLowerCase() : x)))].sort();
      const theirs = norm(listed.filter((x) => x !== b.soname));
      expect(norm(b.needed), b.path).toEqual(theirs);
    }
  });

  it('Go (esbuild) on Linux: fully static, no libc', () => {
    for (const arch of ['linux-x64', 'linux-arm64']) {
      const b = byPkg(`@esbuild__${arch}@`);
      expect(b).toMatchObject({ format: 'elf', type: 'executable', linkage: 'static', libc: 'none', interpreter: null, needed: [] });
    }
  });

  it('Rust on musl (biome): static-PIE; rustc named in .comment', () => {
    const b = byPkg('@biomejs__cli-linux-x64-musl@');
    expect(b).toMatchObject({ format: 'elf', linkage: 'static-pie', pie: true, needed: [] });
    if (b.format === 'elf') expect(b.elf.comments.some((c) => c.startsWith('rustc version 1.81.0'))).toBe(true);
  });

  it('Rust on glibc (biome, rollup): dynamic glibc with a glibc floor', () => {
    const b = byPkg('@biomejs__cli-linux-x64@');
    expect(b).toMatchObject({ format: 'elf', linkage: 'dynamic', libc: 'glibc', interpreter: '/lib64/ld-linux-x86-64.so.2' });
    const r = byPkg('rollup.linux-x64-gnu.node');
    expect(r).toMatchObject({ type: 'shared-library', libc: 'glibc' });
    if (r.format === 'elf') expect(r.elf.floors.glibc).toBe('2.14');
  });

  it('napi-rs module on musl: shared library bound to musl', () => {
    expect(byPkg('rollup.linux-x64-musl.node')).toMatchObject({
      type: 'shared-library', linkage: 'dynamic', libc: 'musl', needed: ['libgcc_s.so.1', 'libc.musl-x86_64.so.1'],
    });
  });
});
