/**
 * GNU tar's sparse members (GNU tar manual, "Storing Sparse Files", E.0.1-E.0.3), expanded to the file `tar x` gives
 * back: the data blocks at their offsets, zeros between. Four layouts:
 * - old GNU (type 'S'): up to 4 map entries in the header (offset 386), more in extension blocks of 21 while the
 *   "isextended" byte is set, the real size at 483;
 * - pax 0.0: GNU.sparse.offset / GNU.sparse.numbytes repeated in the pax header, GNU.sparse.size the real size;
 * - pax 0.1: GNU.sparse.map "offset,size,offset,size…", GNU.sparse.name the real name, GNU.sparse.size;
 * - pax 1.0 (GNU.sparse.major 1): the map as decimal lines at the start of the body, padded with NULs to a block,
 *   then the data; GNU.sparse.name and GNU.sparse.realsize.
 * Unexpanded, such a member's bytes are a map and condensed data (or a placeholder name, GNUSparseFile.<pid>/x): a
 * binary in it would go by as a text file, unchecked. A bad map is that member's error (`local`): the stream is read on
 * past its body. Holes past MAX_HOLE_BYTES are a bomb, which ends the archive.
 */
import { type Chunks, concat } from './chunks.js';
import { latin1 } from '../bytes/text.js';
import { ArchiveError } from './errors.js';
import { archiveLimits } from './limits.js';

const BLOCK = 512;
/** Map entries of one member (a hostile count must not allocate): GNU tar writes one per data region. */
export const MAX_SPARSE_ENTRIES = 1 << 20;
/** Zero bytes of holes written out over every tar of one input: past it, the input is a bomb (archiveLimits). */
export const MAX_HOLE_BYTES = archiveLimits.maxHoleBytes;

export interface SparseMap {
  /** [offset, size] of each data region, in the file as extracted. */
  regions: [number, number][];
  /** The file's size as extracted. */
  realSize: number;
  /** pax 1.0: the map is at the start of the body (read by expandSparse). */
  inBody: boolean;
}

const decimal = (s: string, what: string): number => {
  if (!/^[0-9]{1,16}$/.test(s)) throw new ArchiveError('corrupt', `tar sparse member: ${what} "${s.slice(0, 40)}" is not a number`, true);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new ArchiveError('corrupt', `tar sparse member: ${what} ${s} is too large`, true);
  return n;
};

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : String.fromCharCode(...b.subarray(0, 64)));

/** Checks a map the way an extraction would rely on it: regions in order, none overlapping, all within the file. */
function checked(regions: [number, number][], realSize: number, inBody: boolean): SparseMap {
  let end = 0;
  for (const [o, n] of regions) {
    if (o < end) throw new ArchiveError('corrupt', `tar sparse member: region at ${o} overlaps or precedes the one before (ending at ${end})`, true);
    if (o + n > realSize) throw new ArchiveError('corrupt', `tar sparse member: region at ${o} (${n} bytes) runs past the file's ${realSize} bytes`, true);
    end = o + n;
  }
  return { regions, realSize, inBody };
}

/** Pairs of numbers to map entries, the count bounded before anything is allocated. */
function pairs(nums: string[], what: string): [number, number][] {
  if (nums.length % 2 !== 0) throw new ArchiveError('corrupt', `tar sparse member: ${what} has an odd count of numbers`, true);
  if (nums.length / 2 > MAX_SPARSE_ENTRIES) throw new ArchiveError('limit', `tar sparse member: more than ${MAX_SPARSE_ENTRIES} map entries`, true);
  const out: [number, number][] = [];
  for (let i = 0; i < nums.length; i += 2) out.push([decimal(nums[i], `${what} offset`), decimal(nums[i + 1], `${what} size`)]);
  return out;
}

/**
 * The sparse map a pax header describes, or null for a member that is not sparse. `pick` looks a key up in the
 * member's pax header then the global one; `sequence` is the member's GNU.sparse.offset / numbytes values in order
 * (pax 0.0 repeats them, which a map of keys cannot hold).
 */
export function paxSparse(pick: (key: string) => Uint8Array | undefined, sequence: string[]): SparseMap | null {
  const major = text(pick('GNU.sparse.major'));
  if (major !== undefined) {
    if (major !== '1' || (text(pick('GNU.sparse.minor')) ?? '0') !== '0') {
      const minor = text(pick('GNU.sparse.minor')) ?? '?';
      throw new ArchiveError('unsupported', `tar sparse member: GNU sparse format ${major}.${minor} is not one linkplan reads`, true);
    }
    const real = text(pick('GNU.sparse.realsize'));
    if (real === undefined) throw new ArchiveError('corrupt', 'tar sparse member (format 1.0): no GNU.sparse.realsize', true);
    return { regions: [], realSize: decimal(real, 'GNU.sparse.realsize'), inBody: true };
  }
  const map = pick('GNU.sparse.map');
  const size = text(pick('GNU.sparse.size'));
  if (map === undefined && sequence.length === 0) {
    if (size !== undefined || pick('GNU.sparse.numblocks') !== undefined) {
      throw new ArchiveError('corrupt', 'tar sparse member: GNU.sparse.size without a map', true);
    }
    return null;
  }
  if (size === undefined) throw new ArchiveError('corrupt', 'tar sparse member: no GNU.sparse.size (the real size)', true);
  const realSize = decimal(size, 'GNU.sparse.size');
  if (map !== undefined) {
    // Not String.fromCharCode(...map): a map of 7,000 regions is past the arguments a call can take.
    const s = latin1(map);
    return checked(s === '' ? [] : pairs(s.split(','), 'GNU.sparse.map'), realSize, false);
  }
  return checked(pairs(sequence, 'GNU.sparse.offset/numbytes'), realSize, false);
}

/** An old GNU 'S' header's map entries (24 bytes each: offset, size, octal) from `at`, up to `n`; stops at an empty one. */
function oldGnuEntries(b: Uint8Array, at: number, n: number, out: [number, number][], octal: (h: Uint8Array, o: number, n: number, what: string) => number) {
  for (let i = 0; i < n; i++) {
    const o = at + i * 24;
    if (b[o] === 0) return;
    if (out.length >= MAX_SPARSE_ENTRIES) throw new ArchiveError('limit', `tar sparse member: more than ${MAX_SPARSE_ENTRIES} map entries`, true);
    out.push([octal(b, o, 12, 'sparse offset'), octal(b, o + 12, 12, 'sparse size')]);
  }
}

/**
 * An old GNU sparse header ('S'): its map, reading the extension blocks that follow it (`next` reads one block).
 * `octal` is the tar reader's numeric field parser (octal or base-256).
 */
export async function oldGnuSparse(
  h: Uint8Array, next: () => Promise<Uint8Array>, octal: (h: Uint8Array, o: number, n: number, what: string) => number,
): Promise<SparseMap> {
  const regions: [number, number][] = [];
  oldGnuEntries(h, 386, 4, regions, octal);
  let extended = h[482] !== 0;
  while (extended) {
    const x = await next();
    oldGnuEntries(x, 0, 21, regions, octal);
    extended = x[504] !== 0;
  }
  return checked(regions, octal(h, 483, 12, 'sparse real size'), false);
}

/** Zero bytes holes may still be written out to, shared by an input's tars (MAX_HOLE_BYTES, or the limit given). */
export interface HoleBudget {
  left: number;
  /** The budget it started with, for the message. */
  total?: number;
}

/**
 * The member as extracted, from its stored body (`raw`): for pax 1.0 the map is read off the front of it first. Holes
 * come out as zeros, at most 64 KiB a chunk; data as stored. A body shorter than its map says is corrupt.
 */
export async function* expandSparse(raw: Chunks, map: SparseMap, budget: HoleBudget): Chunks {
  const it = raw[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let consumed = 0;
  const more = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return false;
    pending = pending.length ? concat([pending, r.value]) : r.value;
    return true;
  };
  const take = async (n: number): Promise<Uint8Array> => {
    while (pending.length === 0) if (!(await more())) throw new ArchiveError('corrupt', 'tar sparse member: the body ends before its data does', true);
    const c = pending.subarray(0, Math.min(n, pending.length));
    pending = pending.subarray(c.length);
    consumed += c.length;
    return c;
  };
  try {
    let regions = map.regions;
    if (map.inBody) {
      // Decimal lines: the count, then offset and size for each; then NULs to the next block.
      const nums: string[] = [];
      let line = '', want = -1;
      while (want < 0 || nums.length < want) {
        const c = await take(BLOCK);
        for (let i = 0; i < c.length; i++) {
          const x = c[i];
          if (x === 0x0a) {
            if (want < 0) {
              want = 2 * decimal(line, 'map count');
              if (want / 2 > MAX_SPARSE_ENTRIES) throw new ArchiveError('limit', `tar sparse member: more than ${MAX_SPARSE_ENTRIES} map entries`, true);
            } else nums.push(line);
            line = '';
            if (want >= 0 && nums.length === want) {
              // What is left of this chunk past the map goes back; the map's padding is skipped below.
              pending = concat([c.subarray(i + 1), pending]);
              consumed -= c.length - i - 1;
              break;
            }
          } else if (line.length > 20) throw new ArchiveError('corrupt', 'tar sparse member: a map line is not a number', true);
          else line += String.fromCharCode(x);
        }
      }
      regions = checked(pairs(nums, 'map'), map.realSize, true).regions;
      let pad = (BLOCK - (consumed % BLOCK)) % BLOCK;
      while (pad > 0) pad -= (await take(pad)).length;
    }
    let at = 0;
    for (const [o, n] of regions) {
      yield* zeros(o - at, budget);
      let left = n;
      while (left > 0) {
        const c = await take(left);
        left -= c.length;
        yield c.slice();
      }
      at = o + n;
    }
    yield* zeros(map.realSize - at, budget);
  } finally {
    await it.return?.();
  }
}

function* zeros(n: number, budget: HoleBudget): Generator<Uint8Array> {
  while (n > 0) {
    const k = Math.min(n, 1 << 16);
    budget.left -= k;
    if (budget.left < 0) {
      throw new ArchiveError('bomb', `tar sparse members: their holes expand past ${budget.total ?? MAX_HOLE_BYTES} bytes of zeros: not read further`);
    }
    n -= k;
    yield new Uint8Array(k);
  }
}
