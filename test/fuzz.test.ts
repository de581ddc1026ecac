import { describe, expect, it } from 'vitest';
import { READ_BOUNDS, build, check, fuzz, fuzzSizes, loadSamples, type Recipe } from './fuzz.js';
import { HOSTILE, SMALL_HOSTILE } from './hostile.js';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { readElf } from '../src/formats/elf/index.js';
import type { BinaryResult } from '../src/facts/types.js';

/**
 * Hostile input: random byte flips, absurd 32/64-bit fields, truncations and splices over every committed sample,
 * and the hostile-count builders at random scales (size classes). The committed run is small and fixed; for a
 * longer hunt locally, `npm run fuzz` (scripts/fuzz.mjs) or by hand:
 *   FUZZ_SEEDS=1-20 FUZZ_ITERATIONS=20000 FUZZ_SIZE_CASES=30 FUZZ_SIZE_MAX=65536 FUZZ_SLOW_MS=10000 npx vitest run test/fuzz.test.ts
 */
const samples = loadSamples(undefined, Object.fromEntries(Object.entries(SMALL_HOSTILE).map(([k, mk]) => [k, mk()])));
const byName = new Map(samples.map((s) => [s.name, s]));

function seeds(): number[] {
  const spec = process.env.FUZZ_SEEDS ?? '1-3';
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1200);
/** Size classes per seed, and the most headers / entries one may have (65,536 is what the readers' limits allow). */
const SIZE_CASES = Number(process.env.FUZZ_SIZE_CASES ?? 6);
const SIZE_MAX = Number(process.env.FUZZ_SIZE_MAX ?? 4096);
/** Off by default (timing belongs to the bench, and CI machines vary); long local runs set it to flag slow inputs. */
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? Infinity);
/** A long local run must not hit vitest's per-test timeout. */
const timeout = (work: number) => Math.max(60_000, work);

describe('fuzz: any byte string in, facts or a malformed failure out', () => {
  it('covers every sample directory', () => {
    for (const d of ['elf/', 'elf-tree/', 'rust/', 'pe/', 'macho/', 'misc/']) expect(samples.some((s) => s.name.startsWith(d))).toBe(true);
  });

  it('every clean sample reads a bounded number of bytes', () => {
    for (const s of samples) {
      const o = check(s.bytes, s.name);
      expect(o.problem, s.name).toBeNull();
    }
  });

  for (const seed of seeds()) {
    it(`seed ${seed}: ${ITERATIONS} mutations`, () => {
      const stats = fuzz(samples, seed, ITERATIONS, SLOW_MS);
      if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify({ seed, ...stats, failures: stats.failures.length }));
      expect(stats.failures.map((f) => `${f.problem.split('\n')[0]}\n  ${JSON.stringify(f.recipe)}`)).toEqual([]);
      // The mutations must reach the readers, not just bounce off the magic check.
      expect((stats.codes.ok ?? 0) + (stats.codes.malformed ?? 0)).toBeGreaterThan(ITERATIONS * 0.8);
      expect(stats.maxBytesRead).toBeLessThanOrEqual(READ_BOUNDS.absolute);
    }, timeout(ITERATIONS * 10));
  }

  for (const seed of seeds()) {
    it(`seed ${seed}: ${SIZE_CASES} size classes up to ${SIZE_MAX} headers`, () => {
      const { failures } = fuzzSizes(seed, SIZE_CASES, SIZE_MAX, SLOW_MS);
      expect(failures.map((f) => `${f.problem.split('\n')[0]}\n  ${f.name}`)).toEqual([]);
    }, timeout(SIZE_CASES * Math.max(SIZE_MAX, 4096) * 0.2));
  }
});

describe('hostile amplification: bounded time and reads, whatever the counts say', () => {
  // Each of these once ran out of memory, hung, or read gigabytes (see the builders in hostile.ts).
  it.each(Object.keys(HOSTILE))('%s', (name) => {
    const bytes = HOSTILE[name]();
    // Minutes, not seconds, is what these did (a quadratic walk, a hang): 30 s is no timing of a loaded machine.
    const o = check(bytes, name, 30_000);
    expect(o.problem).toBeNull();
    expect(o.bytesRead).toBeLessThanOrEqual(Math.min(READ_BOUNDS.absolute, bytes.length * 4));
  });
});

/**
 * The same attacks on real samples, as recipes (the form a fuzz failure is printed in): paste a failing recipe
 * here with what must hold for it.
 */
const NOTE_PHDR = 64 + 8 * 56; // glibc-pie: program header 8 is the PT_NOTE holding the build ID and ABI tag
const REGRESSIONS: { why: string; recipe: Recipe; then: (r: BinaryResult, bytesRead: number, bytes: Uint8Array) => void }[] = [
  {
    why: 'ELF: three program headers naming one PT_NOTE: notes read once, none repeated',
    recipe: {
      sample: 'elf/glibc-pie',
      ops: [9, 10].map((i) => ({ set: [...byName.get('elf/glibc-pie')!.bytes.subarray(NOTE_PHDR, NOTE_PHDR + 56)], at: 64 + i * 56 })),
    },
    then: (r, _n, bytes) => {
      if (r.error !== null || r.format !== 'elf') return expect.fail(r.error?.message ?? r.format ?? 'not ELF');
      expect(r.elf.buildId).toBe('011614ba0cd96d55d96233f2289541a7b8b379a4');
      const clean = readElf(new MemorySource(byName.get('elf/glibc-pie')!.bytes)).notes;
      expect(readElf(new MemorySource(bytes)).notes.map((n) => n.type)).toEqual(clean.map((n) => n.type));
    },
  },
  {
    why: 'Mach-O: the second fat_arch names the first slice: that entry is an error, the file is read once',
    // fat_arch[1].offset/size (big-endian, at 0x24/0x28) := fat_arch[0]'s (0x1000, 0x3140).
    recipe: { sample: 'macho/universal/bin/usefoo', ops: [{ set: [0, 0, 0x10, 0, 0, 0, 0x31, 0x40], at: 0x24 }] },
    then: (r, bytesRead) => {
      if (r.error !== null || r.format !== 'macho') return expect.fail(r.error?.message ?? r.format ?? 'not Mach-O');
      expect(r.slices).toHaveLength(1);
      expect(r.warnings.map((w) => w.detail).join('\n')).toMatch(/fat_arch\[1\] \(12608 bytes at 4096\) overlaps fat_arch\[0\]/);
      expect(bytesRead).toBeLessThan(8192);
    },
  },
];

describe('fuzz regressions', () => {
  it.each(REGRESSIONS.map((r) => [r.why, r] as const))('%s', (_why, { recipe, then }) => {
    const bytes = build(recipe, byName);
    const o = check(bytes, recipe.sample);
    expect(o.problem).toBeNull();
    const src = new MemorySource(bytes, recipe.sample);
    then(inspectSource(src, recipe.sample), src.bytesRead, bytes);
  });
});
