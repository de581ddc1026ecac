/**
 * tar as a stream (POSIX.1-2017 pax "ustar Interchange Format" and "pax Interchange Format"; GNU tar's L/K long
 * names, base-256 sizes and sparse members, expanded: tar-sparse.ts). Names are reported exactly as stored, never normalised: an auditor must see
 * `../../etc/x`. A header whose checksum is wrong is a corrupt archive; a stream that ends inside a header or a body
 * is a truncated one. End-of-archive blocks are passed over rather than obeyed, because an Alpine .apk is several
 * tar streams concatenated (and gzip'd) and `tar -i` reads on too.
 */
import { latin1 } from '../bytes/text.js';
import { utf8Escaped } from '../bytes/utf8.js';
import { ChunkReader, type Chunks, memberBody } from './chunks.js';
import { tarChecksumOk } from './detect.js';
import { ArchiveError } from './errors.js';
import { archiveLimits } from './limits.js';
import type { Member, MemberKind, MemberStream } from './model.js';
import { expandSparse, type HoleBudget, MAX_HOLE_BYTES, oldGnuSparse, paxSparse, type SparseMap } from './tar-sparse.js';

const BLOCK = 512;
/** GNU sparse 0.0 map entries one pax header may give (tar-sparse.ts bounds the other layouts alike). */
const MAX_SPARSE_PAIRS = 1 << 20;

const KINDS: Record<string, MemberKind> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char-device', '4': 'block-device',
  '5': 'directory', '6': 'fifo', S: 'file',
};

/** NUL-terminated field bytes. */
const field = (h: Uint8Array, o: number, n: number) => {
  const f = h.subarray(o, o + n);
  const z = f.indexOf(0);
  return z < 0 ? f : f.subarray(0, z);
};

/** A numeric field: octal digits (space/NUL padded), or GNU base-256 when the top bit of the first byte is set. */
function num(h: Uint8Array, o: number, n: number, what: string): number {
  if (h[o] & 0x80) {
    let v = h[o] & 0x3f;
    for (let i = 1; i < n; i++) {
      v = v * 256 + h[o + i];
      if (v > Number.MAX_SAFE_INTEGER) throw new ArchiveError('corrupt', `tar header: ${what} is too large`);
    }
    return v;
  }
  const s = String.fromCharCode(...field(h, o, n)).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError('corrupt', `tar header: ${what} "${s}" is not an octal number`);
  return parseInt(s, 8);
}

/**
 * pax extended header records: "<length> <key>=<value>\n". The last of a key counts (POSIX); `sequence`, if given,
 * gets GNU.sparse.offset and GNU.sparse.numbytes values in order (GNU sparse format 0.0 repeats them).
 */
function paxRecords(b: Uint8Array, sequence?: string[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let i = 0;
  while (i < b.length) {
    let j = i;
    while (j < b.length && b[j] >= 0x30 && b[j] <= 0x39) j++;
    // The length is decimal digits only (GNU tar rejects any other: "Malformed extended header").
    const len = j - i > 16 ? NaN : Number(String.fromCharCode(...b.subarray(i, j)));
    if (j === i || b[j] !== 0x20 || !(len > j - i) || i + len > b.length || b[i + len - 1] !== 0x0a) {
      throw new ArchiveError('corrupt', `tar pax header: malformed record at byte ${i}`);
    }
    const rec = b.subarray(j + 1, i + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq < 0) throw new ArchiveError('corrupt', `tar pax header: record without "=" at byte ${i}`);
    // latin1(), not a spread: an unknown keyword of 200 KB is past the arguments a call can take.
    const key = latin1(rec, 0, eq);
    out.set(key, rec.subarray(eq + 1));
    if (sequence && (key === 'GNU.sparse.offset' || key === 'GNU.sparse.numbytes')) {
      if (sequence.length >= 2 * MAX_SPARSE_PAIRS) throw new ArchiveError('limit', `tar pax header: more than ${MAX_SPARSE_PAIRS} sparse map entries`);
      sequence.push(String.fromCharCode(...rec.subarray(eq + 1, eq + 1 + 20)));
    }
    i += len;
  }
  return out;
}

/**
 * `holes`: the zeros sparse members may still expand to, shared by every tar of one input (nested ones too: a
 * budget per tar would give each of a few hundred nested tars a budget of its own).
 */
export async function* readTar(src: Chunks, limits = archiveLimits, holes: HoleBudget = { left: MAX_HOLE_BYTES }): MemberStream {
  const r = new ChunkReader(src);
  let pax = new Map<string, Uint8Array>();
  let sparseSequence: string[] = [];
  let global = new Map<string, Uint8Array>();
  let longName: Uint8Array | null = null, longLink: Uint8Array | null = null;
  let members = 0;
  try {
    for (;;) {
      const at = r.offset;
      const h = await r.read(BLOCK, `tar header at ${at}`);
      if (h === null) return;
      if (h.every((x) => x === 0)) continue;
      if (!tarChecksumOk(h)) throw new ArchiveError('corrupt', `tar header at ${at}: checksum mismatch (not a tar header: a corrupt or misaligned archive)`);
      if (++members > limits.maxMembers) throw new ArchiveError('limit', `more than ${limits.maxMembers} tar headers`);
      const type = String.fromCharCode(h[156]);
      const size = num(h, 124, 12, 'size');
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      const meta = async (what: string) => {
        if (size > limits.maxMetaBytes) throw new ArchiveError('limit', `tar ${what} at ${at}: ${size} bytes, over the limit of ${limits.maxMetaBytes}`);
        const b = (await r.read(padded, `tar ${what} at ${at}`))!.slice(0, size);
        return b;
      };
      if (type === 'x' || type === 'g') {
        const seq: string[] = [];
        const recs = paxRecords(await meta('pax header'), type === 'x' ? seq : undefined);
        if (type === 'x') { pax = recs; sparseSequence = seq; }
        else global = new Map([...global, ...recs]);
        continue;
      }
      if (type === 'L' || type === 'K') {
        const b = await meta(type === 'L' ? 'GNU long name' : 'GNU long link name');
        const z = b.indexOf(0);
        if (type === 'L') longName = z < 0 ? b : b.subarray(0, z);
        else longLink = z < 0 ? b : b.subarray(0, z);
        continue;
      }
      const ustar = h[257] === 0x75 && h[258] === 0x73 && h[259] === 0x74 && h[260] === 0x61 && h[261] === 0x72;
      const prefix = ustar && h[263] === 0x30 ? field(h, 345, 155) : new Uint8Array(0); // POSIX ustar "00" only
      // A pax value is bytes up to its record's end, but tar writes names with C strings: GNU tar extracts a path that
      // holds a NUL as what comes before it, and that is the name here too.
      const cstr = (b: Uint8Array | undefined) => { const z = b?.indexOf(0) ?? -1; return b && z >= 0 ? b.subarray(0, z) : b; };
      const pick = (key: string) => (key === 'path' || key === 'linkpath' ? cstr(pax.get(key) ?? global.get(key)) : pax.get(key) ?? global.get(key));
      const kind = KINDS[type] ?? 'other';
      // A sparse member's map: in its own pax header (GNU sparse 0.0, 0.1; 1.0 says its map is in the body; a global
      // header's keys do not make every member sparse), or in an old GNU 'S' header and the extension blocks after it,
      // read here, before the body.
      // A bad map is the member's error, met when its body is read: the stream goes on past it.
      let sparse: SparseMap | null = null, sparseError: ArchiveError | null = null;
      try {
        sparse = type === 'S'
          ? await oldGnuSparse(h, async () => {
            const x = await r.read(BLOCK, `tar sparse extension header after ${at}`);
            const why = 'the stream ends before the extension header it announces (truncated)';
            if (x === null) throw new ArchiveError('truncated', `tar sparse header at ${at}: ${why}`);
            return x;
          }, num)
          : kind === 'file' ? paxSparse((key) => pax.get(key), sparseSequence) : null;
      } catch (e) {
        if (!(e instanceof ArchiveError) || !e.local) throw e;
        sparseError = e;
      }
      const nameBytes = ((sparse || sparseError) && cstr(pax.get('GNU.sparse.name'))) || (pick('path') ?? longName
        ?? (prefix.length ? Uint8Array.from([...prefix, 0x2f, ...field(h, 0, 100)]) : field(h, 0, 100)));
      const linkBytes = pick('linkpath') ?? longLink ?? field(h, 157, 100);
      const paxSize = pick('size');
      // Decimal digits only, as GNU tar reads it (Number() would take "0x9", "1e3" and "" too).
      const paxText = paxSize ? String.fromCharCode(...paxSize.subarray(0, 24)) : null;
      const bodySize = paxText === null ? size : /^[0-9]{1,16}$/.test(paxText) ? Number(paxText) : NaN;
      if (!Number.isSafeInteger(bodySize) || bodySize < 0) throw new ArchiveError('corrupt', `tar header at ${at}: pax size is not a number`);
      pax = new Map();
      sparseSequence = [];
      longName = longLink = null;
      // Links, directories and devices carry no body to read (whatever the size field says is skipped).
      const stored = kind === 'file' || kind === 'other' ? bodySize : 0;
      const bodyPadded = paxSize ? Math.ceil(bodySize / BLOCK) * BLOCK : padded;
      const b = memberBody(r, stored, `tar member at ${at}`);
      const member: Member = {
        name: utf8Escaped(nameBytes),
        nameBytes,
        kind,
        size: sparse ? sparse.realSize : stored,
        ...(kind === 'symlink' || kind === 'hardlink' ? { target: utf8Escaped(linkBytes) } : {}),
        body: sparseError ? () => failing(sparseError) : sparse ? () => expandSparse(b.body(), sparse, holes) : b.body,
      };
      yield member;
      // Whatever the walker did not read of the body, and the padding to the next 512-byte block.
      await r.skip(bodyPadded - (await b.done()), `tar member at ${at}`);
    }
  } finally {
    await r.close();
  }
}

/** A body that is an error when read (a sparse member whose map is bad). */
async function* failing(e: ArchiveError): Chunks {
  throw e;
}
