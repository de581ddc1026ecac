import { readFileSync } from 'node:fs';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { sample, samplesUnder } from './helpers.js';
import { elfManyNoteHeaders, fatDistinctDylibs, peManySections } from './hostile.js';

/**
 * A deterministic fuzzer over the committed samples (ARCHITECTURE: "any byte string in, a result or a
 * MalformedError out, never anything else"). Every mutated input is described by a serialisable Recipe, so a
 * failure found with many seeds locally becomes a one-line regression case.
 */

/** mulberry32: a tiny seeded PRNG, good enough to spread mutations and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Op =
  /** Overwrite `bytes` (little-endian order of the value as written) at `at`. */
  | { set: number[]; at: number }
  /** Keep the first `len` bytes. */
  | { truncate: number }
  /** The first `at` bytes of this input followed by the bytes of sample `body` from offset `at` on. */
  | { splice: string; at: number };

export interface Recipe {
  sample: string;
  ops: Op[];
}

export interface Sample {
  name: string;
  bytes: Uint8Array;
  /** [offset, end) of every read a clean parse made: the structures the readers follow. */
  hot: [number, number][];
}

/** A MemorySource that records every range read; a clean parse of a sample tells where its structures are. */
class RecordingSource extends MemorySource {
  readonly ranges: [number, number][] = [];
  override read(offset: number, length: number, format?: string, what?: string): Uint8Array {
    const b = super.read(offset, length, format, what);
    if (length > 0) this.ranges.push([offset, offset + length]);
    return b;
  }
}

export const FUZZ_DIRS = ['elf', 'elf-tree', 'rust', 'pe', 'macho', 'misc'];

export function toSample(name: string, bytes: Uint8Array): Sample {
  const src = new RecordingSource(bytes, name);
  inspectSource(src, name);
  // Whole-file reads (a .strtab scan) say nothing about where the structures are; keep the small ranges.
  const hot = src.ranges.filter(([s, e]) => e - s <= 64 * 1024);
  return { name, bytes, hot: hot.length > 0 ? hot : [[0, Math.min(bytes.length, 64)]] };
}

/** The committed samples under `dirs`, plus `extra` inputs (hand-built hostile files) under their own names. */
export function loadSamples(dirs = FUZZ_DIRS, extra: Record<string, Uint8Array> = {}): Sample[] {
  const out: Sample[] = [];
  for (const d of dirs) {
    for (const name of samplesUnder(d)) out.push(toSample(name, new Uint8Array(readFileSync(sample(name)))));
  }
  for (const [name, bytes] of Object.entries(extra)) out.push(toSample(name, bytes));
  return out;
}

/** Values that break naive readers: all ones, sign bits, just past 16/32 bits, the file size and around it. */
function absurd32(rnd: () => number, size: number): number {
  const pool = [0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0x0000ffff, 0x00010000, 0x7ffffff0, 0, 1, 8, 0x1000,
    size, size - 1, size + 1, size >>> 1, 0x40000000, 0xfffffff0];
  return rnd() < 0.8 ? pool[Math.floor(rnd() * pool.length)] >>> 0 : Math.floor(rnd() * 0x100000000);
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/**
 * An offset biased toward the first 4 KiB and toward the bytes a clean parse read. The 4-byte magic is left alone
 * most of the time: a broken magic only exercises sniff().
 */
function pickOffset(rnd: () => number, s: Sample, len: number): number {
  const at = pickAny(rnd, s, len);
  return at < 4 && len > 4 && rnd() < 0.9 ? 4 + Math.floor(rnd() * Math.min(len - 4, 60)) : at;
}

function pickAny(rnd: () => number, s: Sample, len: number): number {
  const x = rnd();
  if (x < 0.35) return Math.floor(rnd() * Math.min(len, 4096));
  if (x < 0.85) {
    const [a, b] = s.hot[Math.floor(rnd() * s.hot.length)];
    // The start of a structure (its count and offset fields) more often than its middle.
    const off = rnd() < 0.5 ? a + Math.floor(rnd() * Math.min(64, b - a)) : a + Math.floor(rnd() * (b - a));
    return Math.min(off, Math.max(0, len - 1));
  }
  return Math.floor(rnd() * len);
}

/** One random recipe over `s`; `others` supplies splice bodies. */
export function randomRecipe(rnd: () => number, s: Sample, others: Sample[]): Recipe {
  const ops: Op[] = [];
  let len = s.bytes.length;
  const kind = rnd();
  if (kind < 0.08 && others.length > 0) {
    // Splice: this sample's header (cut at a structure boundary or in the first KiB) + another's body.
    const body = others[Math.floor(rnd() * others.length)];
    const cuts = s.hot.map(([, e]) => e).filter((e) => e < body.bytes.length);
    const at = rnd() < 0.5 && cuts.length > 0 ? cuts[Math.floor(rnd() * cuts.length)] : Math.floor(rnd() * Math.min(1024, body.bytes.length));
    ops.push({ splice: body.name, at });
    len = Math.max(at, body.bytes.length);
  } else if (kind < 0.2) {
    // Truncation: at a structure boundary (± a few bytes) or anywhere.
    const cut = rnd() < 0.6 && s.hot.length > 0
      ? s.hot[Math.floor(rnd() * s.hot.length)][rnd() < 0.5 ? 0 : 1] + Math.floor(rnd() * 9) - 4
      : Math.floor(rnd() * len);
    len = Math.max(0, Math.min(len, cut));
    ops.push({ truncate: len });
    if (len === 0) return { sample: s.name, ops };
  }
  const edits = kind >= 0.2 || rnd() < 0.5 ? 1 + Math.floor(rnd() * 4) : 0;
  for (let e = 0; e < edits && len > 0; e++) {
    const what = rnd();
    if (what < 0.45) {
      // 1..16 random bytes, scattered or in a run.
      const n = 1 + Math.floor(rnd() * 16);
      const run = rnd() < 0.5;
      let at = pickOffset(rnd, s, len);
      for (let i = 0; i < n; i++) {
        ops.push({ set: [Math.floor(rnd() * 256)], at: Math.min(at, len - 1) });
        at = run ? at + 1 : pickOffset(rnd, s, len);
      }
    } else if (what < 0.6) {
      // AFL's arithmetic: a 16/32-bit field (either byte order) nudged by a small amount: counts and sizes off by a few.
      const at = pickOffset(rnd, s, len) & ~1;
      const w = rnd() < 0.5 ? 2 : 4;
      if (at + w > len || at + w > s.bytes.length) continue;
      const le = rnd() < 0.5;
      const dv = new DataView(s.bytes.buffer, s.bytes.byteOffset);
      const cur = w === 2 ? dv.getUint16(at, le) : dv.getUint32(at, le);
      const delta = (1 + Math.floor(rnd() * 35)) * (rnd() < 0.5 ? -1 : 1) * (rnd() < 0.2 ? 0x100 : 1);
      const v = (cur + delta) >>> 0;
      const bytes = w === 2 ? [v & 0xff, (v >>> 8) & 0xff] : le32(v);
      ops.push({ set: le ? bytes : bytes.reverse(), at });
    } else if (what < 0.7) {
      // One structure copied over another (a duplicated header, descriptor or load command).
      const from = pickOffset(rnd, s, Math.min(len, s.bytes.length));
      const to = pickOffset(rnd, s, len);
      const n = Math.min(4 + Math.floor(rnd() * 60), s.bytes.length - from, len - to);
      if (n > 0) ops.push({ set: Array.from(s.bytes.subarray(from, from + n)), at: to });
    } else {
      // A 32- or 64-bit field set to something absurd, in either byte order, aligned or not.
      let at = pickOffset(rnd, s, len);
      if (rnd() < 0.7) at &= ~3;
      const v = absurd32(rnd, len);
      let bytes = rnd() < 0.5 ? le32(v) : [...le32(v), ...le32(rnd() < 0.5 ? 0 : absurd32(rnd, len))];
      if (rnd() < 0.3) bytes = bytes.reverse();
      if (at + bytes.length <= len) ops.push({ set: bytes, at });
    }
  }
  return { sample: s.name, ops };
}

export function build(r: Recipe, byName: Map<string, Sample>): Uint8Array {
  const base = byName.get(r.sample);
  if (!base) throw new Error(`no sample ${r.sample}`);
  let b = new Uint8Array(base.bytes);
  for (const op of r.ops) {
    if ('truncate' in op) b = b.slice(0, op.truncate);
    else if ('splice' in op) {
      const body = byName.get(op.splice)!.bytes;
      const out = new Uint8Array(Math.max(op.at, body.length));
      out.set(b.subarray(0, Math.min(op.at, b.length)));
      if (body.length > op.at) out.set(body.subarray(op.at), op.at);
      b = out;
    } else {
      for (let i = 0; i < op.set.length && op.at + i < b.length; i++) b[op.at + i] = op.set[i];
    }
  }
  return b;
}

/** Per-parse ceilings on what a MemorySource may be asked for (see the fuzz test for how they were chosen). */
export const READ_BOUNDS = {
  /** Never more than this in one parse, whatever the file says. */
  absolute: 64 * 1024 * 1024,
  /** A parse reads at most this multiple of the file's size, plus a constant (strings re-read in growing windows). */
  perByte: 8,
  constant: 64 * 1024,
};

export interface Outcome {
  problem: string | null;
  code: string;
  bytesRead: number;
  ms: number;
}

/**
 * The contract, for one input: no throw, no `internal`, bounded reads, and, where `slowMs` is given, bounded time (a
 * full sweep's FUZZ_SLOW_MS; the suite's cases assert bytes read, not seconds).
 */
export function check(bytes: Uint8Array, name: string, slowMs = Infinity): Outcome {
  const src = new MemorySource(bytes, name);
  const t0 = performance.now();
  let code = 'ok';
  try {
    const r = inspectSource(src, name);
    if (r.error) code = r.error.code;
    if (r.error?.code === 'internal') return { problem: `internal: ${r.error.message}`, code, bytesRead: src.bytesRead, ms: performance.now() - t0 };
    if (r.error && r.error.code !== 'malformed' && r.error.code !== 'not-a-binary') {
      return { problem: `unexpected error code ${r.error.code}: ${r.error.message}`, code, bytesRead: src.bytesRead, ms: performance.now() - t0 };
    }
    JSON.stringify(r);
  } catch (e) {
    return { problem: `threw: ${e instanceof Error ? e.stack : String(e)}`, code: 'throw', bytesRead: src.bytesRead, ms: performance.now() - t0 };
  }
  const ms = performance.now() - t0;
  const bound = Math.min(READ_BOUNDS.absolute, READ_BOUNDS.perByte * bytes.length + READ_BOUNDS.constant);
  if (src.bytesRead > bound) {
    return { problem: `read ${src.bytesRead} bytes of a ${bytes.length}-byte input (bound ${bound})`, code, bytesRead: src.bytesRead, ms };
  }
  if (ms > slowMs) return { problem: `took ${ms.toFixed(0)} ms`, code, bytesRead: src.bytesRead, ms };
  return { problem: null, code, bytesRead: src.bytesRead, ms };
}

export interface FuzzStats {
  runs: number;
  codes: Record<string, number>;
  failures: { recipe: Recipe; problem: string }[];
  maxBytesRead: number;
  maxRatio: number;
  maxMs: number;
}

/**
 * `iterations` random recipes from `seed`, spread round-robin over the samples. `slowMs`: a case slower than this
 * fails (the full sweep's FUZZ_SLOW_MS); none by default, as the size cases: a test suite asserts no time, and a
 * loaded CI machine once took 1 s over a case that takes 10 ms (a hang still fails, on vitest's timeout).
 */
export function fuzz(samples: Sample[], seed: number, iterations: number, slowMs = Infinity): FuzzStats {
  const byName = new Map(samples.map((s) => [s.name, s]));
  const rnd = mulberry32(seed);
  const stats: FuzzStats = { runs: 0, codes: {}, failures: [], maxBytesRead: 0, maxRatio: 0, maxMs: 0 };
  for (let i = 0; i < iterations; i++) {
    const s = samples[i % samples.length];
    const recipe = randomRecipe(rnd, s, samples);
    const bytes = build(recipe, byName);
    const o = check(bytes, `${s.name}#${seed}.${i}`, slowMs);
    stats.runs++;
    stats.codes[o.code] = (stats.codes[o.code] ?? 0) + 1;
    stats.maxBytesRead = Math.max(stats.maxBytesRead, o.bytesRead);
    if (bytes.length > 0) stats.maxRatio = Math.max(stats.maxRatio, o.bytesRead / bytes.length);
    stats.maxMs = Math.max(stats.maxMs, o.ms);
    if (o.problem) stats.failures.push({ recipe, problem: o.problem });
  }
  return stats;
}

/**
 * Size classes: the hostile-count builders (test/hostile.ts) at random scales, up to `max` headers or entries, as
 * a one-line reproducible case. Random flips hardly ever produce these (thousands of consistent headers); what they
 * catch is work per header that grows with the number of other headers. `expect` is what the facts must say.
 */
export interface SizeCase {
  name: string;
  bytes: Uint8Array;
  expect: (r: ReturnType<typeof inspectSource>) => string | null;
}

export function sizeCase(rnd: () => number, max: number): SizeCase {
  const upTo = (n: number) => 1 + Math.floor(rnd() * n);
  const k = Math.floor(rnd() * 3);
  if (k === 0) {
    const n = upTo(Math.min(max, 0x10000)), shared = Math.floor(rnd() * (n + 1));
    return {
      name: `fatDistinctDylibs(${n}, ${shared})`, bytes: fatDistinctDylibs(n, shared),
      // The union is macho.dylibUnion; the top-level list is the slices' own only when they agree (n === shared).
      expect: (r) => (r.error === null && r.format === 'macho' && r.macho.dylibUnion?.length === 2 * n - shared && r.dylibs.length === (n === shared ? n : 0)
        ? null : `want ${2 * n - shared} dylibs in the union`),
    };
  }
  if (k === 1) {
    const ph = Math.floor(rnd() * Math.min(max, 65_535)), sh = Math.floor(rnd() * Math.min(max, 65_535));
    return {
      name: `elfManyNoteHeaders(${ph}, ${sh})`, bytes: elfManyNoteHeaders(ph, sh),
      expect: (r) => {
        if (r.error !== null || r.format !== 'elf') return 'want ELF facts';
        return (r.elf.buildId !== null) === ph > 0 && (r.elf.goBuildId !== null) === sh > 0 ? null : 'want the notes the headers name';
      },
    };
  }
  const sections = 3 + Math.floor(rnd() * 1534), descriptors = upTo(8), thunks = upTo(Math.min(max, 65_535));
  return {
    name: `peManySections(${sections}, ${descriptors}, ${thunks})`, bytes: peManySections(sections, descriptors, thunks),
    expect: (r) => {
      // Over the total import limit (see Image.importsLeft) the file is refused; under it every import is read.
      if (r.error !== null) return r.error.code === 'malformed' && /more imported functions in all/.test(r.error.message) ? null : r.error.message;
      if (r.format !== 'pe') return 'want PE facts';
      return r.imports.length === descriptors && r.imports.every((d) => d.functions.length === thunks) ? null : `want ${descriptors} × ${thunks} imports`;
    },
  };
}

/** `cases` size-class inputs from `seed`, each held to the contract (`check`) and to what its facts must say. */
export function fuzzSizes(seed: number, cases: number, max: number, slowMs: number): { runs: number; failures: { name: string; problem: string }[] } {
  const rnd = mulberry32(seed);
  const failures: { name: string; problem: string }[] = [];
  for (let i = 0; i < cases; i++) {
    const c = sizeCase(rnd, max);
    const o = check(c.bytes, c.name, slowMs);
    const problem = o.problem ?? c.expect(inspectSource(new MemorySource(c.bytes, c.name), c.name));
    if (problem) failures.push({ name: c.name, problem });
  }
  return { runs: cases, failures };
}
