/**
 * zip by its central directory, read positionally (PKWARE APPNOTE 6.3.10): the end-of-central-directory record
 * (4.3.16, ZIP64 4.3.14/4.3.15), then one central header per member (4.3.12, ZIP64 extra field 4.5.3), each checked
 * against its local header (4.3.7) before the member's data is read. Wheels over 4 GiB exist, so ZIP64 is read.
 * A local header that disagrees with the central directory (another name, method or size: the trick that makes two
 * unzip tools see two different archives) is reported with the member. Deflate comes from the edge (inflateRaw).
 */
import type { ByteSource } from '../bytes/source.js';
import { utf8Escaped } from '../bytes/utf8.js';
import { type Chunks, rangeChunks } from './chunks.js';
import { ArchiveError } from './errors.js';
import { archiveLimits } from './limits.js';
import type { Member, MemberKind, MemberStream } from './model.js';

const EOCD = 0x06054b50, EOCD64 = 0x06064b50, EOCD64_LOCATOR = 0x07064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const hex = (n: number) => n.toString(16).padStart(8, '0');
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
function u64(b: Uint8Array, o: number, what: string): number {
  const v = u32(b, o) + u32(b, o + 4) * 2 ** 32;
  if (!Number.isSafeInteger(v)) throw new ArchiveError('corrupt', `zip ${what}: 64-bit value out of range`);
  return v;
}

export type InflateRaw = (input: Chunks) => Chunks;
/**
 * Raw deflate of a whole member at once, where the platform has it (node:zlib's inflateRawSync): no stream to set
 * up and no round trip to a thread for each of a jar's thousands of small members. Throws on data it cannot
 * inflate, or when the output would pass `maxOutput` bytes.
 */
export type InflateRawWhole = (packed: Uint8Array, maxOutput: number) => Uint8Array;

/** CRC-32 of `data` continuing from `prev` (0 to start), as zlib's crc32() computes it. */
export type Crc32 = (data: Uint8Array, prev: number) => number;

/**
 * What the platform gives the zip reader: raw deflate as a stream (without it, deflated members cannot be read), and
 * where it has them a whole-member inflate and a native CRC-32 (node:zlib's crc32: ~3.5 GB/s, the table here ~0.3).
 */
export interface ZipCodecs {
  inflateRaw?: InflateRaw;
  inflateRawWhole?: InflateRawWhole;
  crc32?: Crc32;
}

/**
 * Members inflated whole (InflateRawWhole) when they state at most this much: no more than the stream's first chunk
 * (node/decompress.ts MEMBER_CHUNK), so a member sniffed and passed over costs what it did through the stream, and
 * the walker's limits see no chunk larger than they did (a 4 MiB whole chunk of a 2.5 KB member passed 200× before
 * the sniff could pass it over: a data file reported as a bomb; 20,000 central entries naming one such member, 80 GB
 * of inflating). Most members of a jar (classes) are a few KiB.
 */
export const WHOLE_OUTPUT_MAX = 64 * 1024;

interface Central {
  name: string;
  nameBytes: Uint8Array;
  method: number;
  flags: number;
  crc: number;
  csize: number;
  usize: number;
  local: number;
  /** Unix st_mode from the external attributes when the archive was made on Unix (4.4.2, 4.4.15). */
  mode: number | null;
}

function findEocd(src: ByteSource): number {
  // The record is 22 bytes plus a comment of up to 65,535: search that tail backwards for the signature.
  const tail = Math.min(src.size, 22 + 0xffff);
  const b = src.read(src.size - tail, tail, 'zip', 'end of central directory');
  for (let i = tail - 22; i >= 0; i--) {
    if (u32(b, i) === EOCD && i + 22 + u16(b, i + 20) <= tail) return src.size - tail + i;
  }
  throw new ArchiveError('corrupt', 'zip: no end-of-central-directory record (truncated, or not a zip)');
}

function centralDirectory(src: ByteSource, limits: typeof archiveLimits): Central[] {
  const eocd = findEocd(src);
  const e = src.read(eocd, 22, 'zip', 'end of central directory');
  let count = u16(e, 10), size = u32(e, 12), offset = u32(e, 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    if (eocd < 20) throw new ArchiveError('corrupt', 'zip: ZIP64 sizes without a ZIP64 locator');
    const loc = src.read(eocd - 20, 20, 'zip', 'ZIP64 locator');
    if (u32(loc, 0) !== EOCD64_LOCATOR) throw new ArchiveError('corrupt', 'zip: ZIP64 sizes without a ZIP64 locator');
    const at = u64(loc, 8, 'ZIP64 locator');
    if (at > src.size - 56) throw new ArchiveError('corrupt', 'zip: ZIP64 end record outside the file');
    const z = src.read(at, 56, 'zip', 'ZIP64 end of central directory');
    if (u32(z, 0) !== EOCD64) throw new ArchiveError('corrupt', 'zip: no ZIP64 end-of-central-directory record where the locator points');
    count = u64(z, 32, 'entry count'); size = u64(z, 40, 'directory size'); offset = u64(z, 48, 'directory offset');
  }
  if (count > limits.maxMembers) throw new ArchiveError('limit', `zip: ${count} members, more than the limit of ${limits.maxMembers}`);
  if (offset > src.size || size > src.size - offset || count > size / 46) {
    throw new ArchiveError('corrupt', `zip: central directory (${count} entries, ${size} bytes at ${offset}) does not fit in the file (${src.size} bytes)`);
  }
  const cd = src.read(offset, size, 'zip', 'central directory');
  const out: Central[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || u32(cd, p) !== CENTRAL) throw new ArchiveError('corrupt', `zip: central directory entry ${i} is malformed`);
    const madeBy = cd[p + 5];
    const flags = u16(cd, p + 8), method = u16(cd, p + 10), crc = u32(cd, p + 16);
    let csize = u32(cd, p + 20), usize = u32(cd, p + 24);
    const nlen = u16(cd, p + 28), xlen = u16(cd, p + 30), clen = u16(cd, p + 32);
    const attrs = u32(cd, p + 38);
    let local = u32(cd, p + 42);
    if (p + 46 + nlen + xlen + clen > cd.length) throw new ArchiveError('corrupt', `zip: central directory entry ${i} runs past the directory`);
    const nameBytes = cd.slice(p + 46, p + 46 + nlen);
    // ZIP64 extended information (4.5.3): only the fields whose 32-bit value is saturated are present, in order.
    for (let x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen; ) {
      const id = u16(cd, x), len = u16(cd, x + 2);
      if (id === 0x0001) {
        let f = x + 4;
        const take = () => { const v = u64(cd, f, 'ZIP64 extra field'); f += 8; return v; };
        if (usize === 0xffffffff) usize = take();
        if (csize === 0xffffffff) csize = take();
        if (local === 0xffffffff) local = take();
      }
      x += 4 + len;
    }
    out.push({ name: utf8Escaped(nameBytes), nameBytes, method, flags, crc, csize, usize, local, mode: madeBy === 3 ? attrs >>> 16 : null });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

function kindOf(c: Central): MemberKind {
  if (c.mode !== null) {
    switch (c.mode & 0o170000) {
      case 0o120000: return 'symlink';
      case 0o040000: return 'directory';
      case 0o020000: return 'char-device';
      case 0o060000: return 'block-device';
      case 0o010000: return 'fifo';
      default: break;
    }
  }
  return c.name.endsWith('/') ? 'directory' : 'file';
}

/** CRC-32 (ISO-HDLC, as zip uses it), table-driven: where the platform has none of its own. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(b: Uint8Array, prev: number): number {
  let c = ~prev;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * A small member inflated at once. Taken only when it gives exactly the size the central directory states; any
 * other outcome (an error, too much, too little) goes the streaming way, which says what is wrong as it always has.
 */
async function* inflatedWhole(whole: InflateRawWhole, inflateRaw: InflateRaw, read: (o: number, n: number) => Uint8Array, data: number,
  csize: number, usize: number): Chunks {
  let out: Uint8Array | null = null;
  try {
    out = whole(read(data, csize), usize + 1);
  } catch {
    // Streamed below.
  }
  if (out === null || out.length !== usize) yield* inflateRaw(rangeChunks(read, data, csize));
  else if (out.length > 0) yield out;
}

/**
 * Central directory entries whose local header and data overlap another's: the bytes of one member named many times
 * (3,000 entries of one 50 MB member in an 845 KB zip kept a run busy ten minutes, each entry's share of the file
 * within the ratio limit) or one member's data inside another's. No zip tool writes that: `unzip -t` refuses it
 * ("overlapped components (possible zip bomb)"), and so does this, for the whole archive, before anything is
 * inflated. A range runs from the local header to the end of its data (a data descriptor after it is not counted).
 */
function overlapping(entries: Central[], locals: (Uint8Array | null)[]): void {
  const ranges: { from: number; to: number; name: string }[] = [];
  for (const [i, c] of entries.entries()) {
    const l = locals[i];
    if (l && u32(l, 0) === LOCAL) ranges.push({ from: c.local, to: c.local + 30 + u16(l, 26) + u16(l, 28) + c.csize, name: c.name });
  }
  ranges.sort((a, b) => a.from - b.from);
  let shared = 0, first: string | null = null, end = -1, last = '';
  for (const r of ranges) {
    if (r.from < end) { shared++; first ??= `"${r.name}" overlaps "${last}"`; }
    if (r.to > end) { end = r.to; last = r.name; }
  }
  if (shared) {
    const what = `${shared} of its ${entries.length} members overlap others' data (${first})`;
    throw new ArchiveError('bomb', `zip: ${what}: possible zip bomb, not read`);
  }
}

/**
 * The members of a zip read positionally from `src`. Member bodies are streamed out of the file (stored) or
 * through `inflateRaw` (deflated), checked against the central directory's size and CRC-32 as they go.
 */
export async function* readZip(src: ByteSource, codecs: ZipCodecs, limits = archiveLimits): MemberStream {
  const { inflateRaw, inflateRawWhole: whole } = codecs;
  const crcOf = codecs.crc32 ?? crc32;
  const entries = centralDirectory(src, limits);
  const locals = entries.map((c) => (c.local > src.size - 30 ? null : src.read(c.local, 30, 'zip', 'local header')));
  overlapping(entries, locals);
  const read = (o: number, n: number) => src.read(o, n, 'zip', 'member data');
  for (const [i, c] of entries.entries()) {
    const problems: string[] = [];
    let data = -1;
    const l = locals[i];
    if (!l) problems.push(`its local header offset ${c.local} is outside the file`);
    else {
      if (u32(l, 0) !== LOCAL) problems.push(`no local header at offset ${c.local}`);
      else {
        const nlen = u16(l, 26), xlen = u16(l, 28);
        const lname = c.local + 30 + nlen <= src.size ? src.read(c.local + 30, nlen, 'zip', 'local name') : new Uint8Array(0);
        if (nlen !== c.nameBytes.length || lname.some((x, i) => x !== c.nameBytes[i])) {
          // What disagrees, not that they do: the note says that (plan/messages.ts 'zip-mismatch').
          problems.push(`its local header names it "${utf8Escaped(lname)}"`);
        }
        if (u16(l, 8) !== c.method) problems.push(`its local header says compression method ${u16(l, 8)}, the central directory ${c.method}`);
        // Sizes and CRC-32 are in the local header unless a data descriptor follows the data (flag bit 3, APPNOTE
        // 4.4.4), where they are zero; a ZIP64 local header saturates its sizes and puts them in an extra field.
        const lcrc = u32(l, 14), lcsize = u32(l, 18), lusize = u32(l, 22);
        if (!(c.flags & 8) && lcsize !== 0xffffffff && lusize !== 0xffffffff
          && (lcrc !== c.crc || lcsize !== c.csize || lusize !== c.usize)) {
          const says: string[] = [];
          if (lcsize !== c.csize || lusize !== c.usize) {
            says.push(`${lcsize} bytes packed and ${lusize} unpacked where the central directory says ${c.csize} and ${c.usize}`);
          }
          if (lcrc !== c.crc) says.push(`CRC-32 ${hex(lcrc)} where the central directory says ${hex(c.crc)}`);
          problems.push(`its local header says ${says.join(', and ')}`);
        }
        data = c.local + 30 + nlen + xlen;
        if (data > src.size || c.csize > src.size - data) {
          problems.push(`its ${c.csize} bytes of data at ${data} run past the end of the file`);
          data = -1;
        }
      }
    }
    const kind = kindOf(c);
    const encrypted = (c.flags & 1) !== 0;
    if (encrypted) problems.push('it is encrypted: not read');
    const stream = (): Chunks => {
      if (data < 0 || encrypted) throw new ArchiveError('corrupt', `zip member ${c.name}: ${problems.join('; ')}`);
      const raw = rangeChunks(read, data, c.csize);
      let body: Chunks;
      if (c.method === 0) body = raw;
      else if (c.method === 8) {
        if (!inflateRaw) throw new ArchiveError('unsupported', `zip member ${c.name}: deflate is not available here`);
        const small = whole && c.usize <= WHOLE_OUTPUT_MAX && c.csize <= WHOLE_OUTPUT_MAX;
        body = small ? inflatedWhole(whole, inflateRaw, read, data, c.csize, c.usize) : inflateRaw(raw);
      } else throw new ArchiveError('unsupported', `zip member ${c.name}: compression method ${c.method} is not supported (stored and deflate are)`);
      return (async function* () {
        let n = 0, crc = 0;
        for await (const chunk of body) {
          n += chunk.length;
          if (n > c.usize) throw new ArchiveError('corrupt', `zip member ${c.name}: inflates past the ${c.usize} bytes the central directory states`);
          yield chunk;
          // After the chunk is taken: a member sniffed and passed over (most of a jar) is never summed.
          crc = crcOf(chunk, crc);
        }
        if (n !== c.usize) throw new ArchiveError('corrupt', `zip member ${c.name}: ${n} bytes where the central directory states ${c.usize} (truncated)`);
        if (crc !== c.crc) throw new ArchiveError('corrupt', `zip member ${c.name}: CRC-32 mismatch (corrupt data)`);
      })();
    };
    let target: string | undefined;
    let targetError: ArchiveError | undefined;
    if (kind === 'symlink' && c.usize > limits.maxMetaBytes) {
      targetError = new ArchiveError('limit', `its link target is ${c.usize} bytes, over the limit of ${limits.maxMetaBytes}: not read`);
    } else if (kind === 'symlink' && data >= 0 && !encrypted) {
      const parts: Uint8Array[] = [];
      try {
        for await (const ch of stream()) parts.push(ch);
        const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
        let o = 0;
        for (const p of parts) { all.set(p, o); o += p.length; }
        target = utf8Escaped(all);
      } catch (e) {
        targetError = new ArchiveError('corrupt', `its link target could not be read: ${(e as Error).message}`);
      }
    }
    const m: Member = {
      name: c.name, nameBytes: c.nameBytes, kind, size: c.usize, packedSize: c.csize, body: stream,
      ...(target !== undefined ? { target } : {}), ...(targetError ? { targetError } : {}), ...(problems.length ? { problems } : {}),
    };
    yield m;
  }
}
