/**
 * xz, zstd and bzip2 decoded on a worker thread (src/node/decompress-thread.ts): the same output, chunk for chunk, the
 * same input taken at each chunk (the walker's bomb ratio), the same errors as the decoder on this thread; a short
 * stream below the threshold starts no thread; a stream left early stops its thread; a finished one serves the next.
 * The workers run tsc's build (dist/node/pool-worker.js, made by the test script's build).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { counted, type Chunks } from '../src/archive/chunks.js';
import { DecompressThreads } from '../src/node/decompress-thread.js';
import { INPUT_LOW, OUTSTANDING } from '../src/node/decompress-worker.js';
import { nodeDecompressors } from '../src/node/decompress.js';
import { ROOT, sample } from './helpers.js';

const SCRIPT = pathToFileURL(join(ROOT, 'dist/node/pool-worker.js'));
type Kind = 'xz' | 'zstd' | 'bzip2';
const TOOL: Record<Kind, string[]> = { xz: ['xz', '-c', '-1'], zstd: ['zstd', '-q', '-c', '-1'], bzip2: ['bzip2', '-c'] };

let dir: string;
const plain: Partial<Record<Kind, Buffer>> = {};
const packed: Partial<Record<Kind, Buffer>> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-dthread-'));
  const tar = (...what: string[]) => execFileSync('tar', ['-cf', '-', '-C', sample('.'), ...what], { maxBuffer: 256 << 20 });
  // zstd, fast to decode, gets the samples, 8 MiB of noise and 40 MiB of zeros: input in several messages (past
  // INPUT_LOW), output past what the worker may send before it is acknowledged (OUTSTANDING). xz and bzip2 (slow in
  // JavaScript) get the PE and Mach-O samples, a few MiB: still many output chunks.
  plain.zstd = Buffer.concat([tar('elf', 'pe', 'macho'), randomBytes(8 << 20), Buffer.alloc(40 << 20)]);
  plain.xz = plain.bzip2 = tar('pe', 'macho');
  for (const k of Object.keys(TOOL) as Kind[]) {
    const [cmd, ...args] = TOOL[k];
    packed[k] = execFileSync(cmd, args, { input: plain[k], maxBuffer: 256 << 20 });
  }
  expect(packed.zstd!.length).toBeGreaterThan(2 * INPUT_LOW);
  expect(plain.zstd!.length).toBeGreaterThan(OUTSTANDING);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * `bytes` as a file stream gives them: 64 KiB chunks, each a macrotask after the last (as node:fs reads land: a
 * decoder that reads ahead then takes a different count whether the next chunk is there yet or not); `fail` throws
 * after that many chunks.
 */
async function* chunked(bytes: Uint8Array, fail = Infinity, size = 1 << 16): Chunks {
  for (let o = 0, n = 0; o < bytes.length; o += size, n++) {
    await new Promise((r) => setImmediate(r));
    if (n === fail) throw new Error('the input broke (a test)');
    yield bytes.slice(o, o + size);
  }
}

interface Run { sizes: number[]; consumed: number[]; bytes: number; error: string | null }

/** Read a decoder's output whole, with the input it had taken at each chunk, and how it ended. */
async function drain(out: Chunks, consumed: () => number): Promise<Run> {
  const r: Run = { sizes: [], consumed: [], bytes: 0, error: null };
  try {
    for await (const c of out) {
      r.sizes.push(c.length);
      r.consumed.push(consumed());
      r.bytes += c.length;
    }
  } catch (e) {
    r.error = `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`;
  }
  return r;
}

/** The decoder on this thread, counted as archive/walk.ts counts it. */
function inline(kind: Kind, input: Chunks): Promise<Run> {
  const c = counted(input);
  return drain(nodeDecompressors[kind]!(c.chunks), c.count);
}

/** Threads that count the workers they start. */
function threads(after = 0) {
  const started: Worker[] = [];
  const t = new DecompressThreads(() => {
    const w = new Worker(SCRIPT);
    started.push(w);
    return w;
  }, () => after);
  return { t, started };
}

describe('decoding on a worker thread', () => {
  it.each(['zstd', 'xz', 'bzip2'] as const)('%s: the same chunks, the same input taken at each, the same bytes', async (kind) => {
    const want = await inline(kind, chunked(packed[kind]!));
    expect(want.bytes).toBe(plain[kind]!.length);
    const { t, started } = threads();
    try {
      const s = t.stream(kind, chunked(packed[kind]!));
      const got = await drain(s, s.consumed);
      expect(started).toHaveLength(1);
      expect(got).toEqual(want);
    } finally {
      await t.close();
    }
  });

  it.each(['zstd', 'xz', 'bzip2'] as const)('%s: a cut stream and an input that breaks fail as on this thread', async (kind) => {
    const p = packed[kind]!;
    const cut = p.subarray(0, Math.floor(p.length * 0.6));
    const { t } = threads();
    try {
      for (const [input, again] of [[() => chunked(cut), () => chunked(cut)], [() => chunked(p, 5), () => chunked(p, 5)]] as const) {
        const want = await inline(kind, input());
        expect(want.error).not.toBeNull();
        const s = t.stream(kind, again());
        expect(await drain(s, s.consumed)).toEqual(want);
      }
    } finally {
      await t.close();
    }
  });

  it('xz streams this decoder does not read: one line that says why, the same on a thread', async () => {
    const noise = randomBytes(100_000);
    const cases: [string[], string][] = [
      [['--lzma2=dict=128MiB'], 'unsupported xz: the stream\'s dictionary is larger than this decoder\'s 64 MiB limit'],
      [['--check=sha256'], 'unsupported xz: the stream uses an integrity check or filter this decoder does not support (SHA-256, BCJ, delta?)'],
      [['--x86', '--lzma2'], 'unsupported xz: the stream uses an integrity check or filter this decoder does not support (SHA-256, BCJ, delta?)'],
    ];
    const { t } = threads();
    try {
      for (const [flags, why] of cases) {
        const p = execFileSync('xz', ['-c', ...flags], { input: noise });
        expect((await inline('xz', chunked(p))).error, flags.join(' ')).toBe(why);
        const s = t.stream('xz', chunked(p));
        expect((await drain(s, s.consumed)).error).toBe(why);
      }
    } finally {
      await t.close();
    }
  });

  it('a stream shorter than the threshold starts no thread and comes out the same', async () => {
    const { t, started } = threads(64 << 20);
    try {
      const want = await inline('zstd', chunked(packed.zstd!));
      const s = t.stream('zstd', chunked(packed.zstd!));
      expect(await drain(s, s.consumed)).toEqual(want);
      // A cut one too: the error reaches the decoder here, where it would have.
      const cut = packed.xz!.subarray(0, 1000);
      const s2 = t.stream('xz', chunked(cut));
      expect(await drain(s2, s2.consumed)).toEqual(await inline('xz', chunked(cut)));
      expect(started).toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('a stream whose size is known: below the threshold decoded here at once, above it on a thread at once', async () => {
    const { t, started } = threads(1 << 20);
    try {
      const p = packed.xz!;
      const small = t.stream('xz', chunked(p), 1000);
      expect(await drain(small, small.consumed)).toEqual(await inline('xz', chunked(p)));
      expect(started).toHaveLength(0);
      const big = t.stream('xz', chunked(p), 64 << 20);
      expect(await drain(big, big.consumed)).toEqual(await inline('xz', chunked(p)));
      expect(started).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('a finished stream\'s thread serves the next; one left early is told to stop, its input too, and serves the next', async () => {
    const { t, started } = threads();
    try {
      const a = t.stream('zstd', chunked(packed.zstd!));
      await drain(a, a.consumed);
      const b = t.stream('xz', chunked(packed.xz!));
      expect((await drain(b, b.consumed)).bytes).toBe(plain.xz!.length);
      expect(started).toHaveLength(1);
      let returned = false;
      const input = (async function* () {
        try { yield* chunked(packed.zstd!); } finally { returned = true; }
      })();
      for await (const c of t.stream('zstd', input)) {
        expect(c.length).toBeGreaterThan(0);
        break;
      }
      expect(returned).toBe(true);
      // Left early, streams one after another (a directory of .xz files passed over): the same thread for each.
      for (let i = 0; i < 5; i++) {
        for await (const c of t.stream('xz', chunked(packed.xz!))) {
          expect(c.length).toBeGreaterThan(0);
          break;
        }
      }
      const d = t.stream('zstd', chunked(packed.zstd!));
      expect((await drain(d, d.consumed)).bytes).toBe(plain.zstd!.length);
      expect(started).toHaveLength(1);
      // A thread that dies while idle is not handed the next stream: that one gets a new thread, and ends.
      await started[0].terminate();
      const e = t.stream('xz', chunked(packed.xz!));
      expect((await drain(e, e.consumed)).bytes).toBe(plain.xz!.length);
      expect(started).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it('a thread that dies mid-stream is that stream\'s one error, not a hang', async () => {
    const { t, started } = threads();
    try {
      const s = t.stream('xz', chunked(packed.xz!));
      const it = s[Symbol.asyncIterator]();
      await it.next();
      await started[0].terminate();
      let error = '';
      try { while (!(await it.next()).done); } catch (e) { error = (e as Error).message; }
      expect(error).toMatch(/^xz: the thread decoding it stopped \(exit code 1\)$/);
    } finally {
      await t.close();
    }
  });
});

