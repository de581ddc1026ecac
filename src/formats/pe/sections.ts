import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { budget, limits } from '../../bytes/limits.js';
import { decodeRange, decodeUtf8 } from '../../bytes/text.js';
import { IMAGE_SIZEOF_SECTION_HEADER } from './constants.js';

/** IMAGE_SECTION_HEADER (PE Format, "Section Table (Section Headers)"). */
export interface SectionHeader {
  /** Name as written (8 bytes, NUL-padded), or the long name a "/4" names in the COFF string table (longSectionNames). */
  name: string;
  virtualSize: number;
  virtualAddress: number;
  sizeOfRawData: number;
  pointerToRawData: number;
  characteristics: number;
}

export function readSectionHeaders(src: ByteSource, offset: number, count: number): SectionHeader[] {
  if (count > limits.maxSections) throw new MalformedError('pe', offset, `NumberOfSections ${count} exceeds the limit of ${limits.maxSections}`);
  if (offset > src.size || count > (src.size - offset) / IMAGE_SIZEOF_SECTION_HEADER) {
    throw new MalformedError('pe', offset,
      `section table (${count} × ${IMAGE_SIZEOF_SECTION_HEADER} bytes at ${offset}) runs past the end of the file (${src.size} bytes)`);
  }
  const r = new Reader(src.read(offset, count * IMAGE_SIZEOF_SECTION_HEADER, 'pe', 'section table'), true, 'pe', offset, 'section table');
  const out: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * IMAGE_SIZEOF_SECTION_HEADER;
    out.push({
      name: r.fixedStr(o, 8), virtualSize: r.u32(o + 8), virtualAddress: r.u32(o + 12), sizeOfRawData: r.u32(o + 16),
      pointerToRawData: r.u32(o + 20), characteristics: r.u32(o + 36),
    });
  }
  return out;
}

/**
 * Long section names (PE Format, "Section Table": "/" and a decimal offset into the COFF string table, which MinGW's
 * linker writes into images too: `.debug_info`, `.eh_frame`, `.vendor_cert`), as llvm-readobj prints them. The
 * string table follows the symbol table (PointerToSymbolTable + NumberOfSymbols × 18; its first u32 is its size);
 * each name is read alone, at most 256 bytes. A name whose offset is outside the table stays as written.
 */
export function longSectionNames(src: ByteSource, sections: SectionHeader[], symbols: number, count: number): SectionHeader[] {
  if (symbols === 0 || !sections.some((x) => /^\/\d+$/.test(x.name))) return sections;
  if (count > (src.size - Math.min(symbols, src.size)) / 18) return sections;
  const at = symbols + count * 18;
  if (at + 4 > src.size) return sections;
  const h = src.read(at, 4, 'pe', 'COFF string table size');
  const size = Math.min((h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0, src.size - at);
  return sections.map((x) => {
    const m = /^\/(\d{1,7})$/.exec(x.name);
    const off = m ? Number(m[1]) : 0;
    if (!m || off < 4 || off >= size) return x;
    const b = src.read(at + off, Math.min(256, size - off), 'pe', 'section name');
    const z = b.indexOf(0);
    return { ...x, name: decodeUtf8(b.subarray(0, z < 0 ? b.length : z)) };
  });
}

/** How far a section reaches in the image: VirtualSize, or SizeOfRawData when VirtualSize is 0. */
const sectionExtent = (s: SectionHeader) => (s.virtualSize !== 0 ? s.virtualSize : s.sizeOfRawData);

/** Index of the last element of ascending `xs` that is <= x, -1 when there is none. */
function lastAtOrBelow(xs: number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const ascending = (a: number, b: number) => a - b;

/**
 * The elementary intervals of the sections' ranges and the lowest section index covering each (see Image). Sections
 * are laid down in index order and each interval is taken by the first that covers it; `next` skips intervals
 * already taken (path-halving union-find), so the whole table costs O(n log n) however the sections overlap.
 * Plain arrays and loops: this runs once per file, mostly cold, where typed arrays (a backing store each) and a
 * Set / flatMap / sort pipeline cost more than reading the section table.
 */
function partition(sections: SectionHeader[]): { cuts: number[]; owner: number[] } {
  const bounds: number[] = [];
  let sorted = true;
  for (const s of sections) {
    const extent = sectionExtent(s);
    if (extent > 0) {
      if (bounds.length > 0 && s.virtualAddress < bounds[bounds.length - 1]) sorted = false;
      bounds.push(s.virtualAddress, s.virtualAddress + extent);
    }
  }
  // Linkers lay sections out in ascending order, one after the other: then the bounds are sorted already.
  if (!sorted) bounds.sort(ascending);
  const cuts: number[] = [];
  for (const x of bounds) if (cuts.length === 0 || x !== cuts[cuts.length - 1]) cuts.push(x);
  const n = cuts.length;
  const owner: number[] = [];
  // next[k]: the first interval at or after k not yet taken (n - 1: past the last one).
  const next: number[] = [];
  for (let k = 0; k < n; k++) {
    owner.push(-1);
    next.push(k);
  }
  const find = (k: number) => {
    while (next[k] !== k) {
      next[k] = next[next[k]];
      k = next[k];
    }
    return k;
  };
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    const extent = sectionExtent(s);
    if (extent <= 0) continue;
    const end = lastAtOrBelow(cuts, s.virtualAddress + extent);
    for (let k = find(lastAtOrBelow(cuts, s.virtualAddress)); k < end; k = find(k + 1)) {
      owner[k] = i;
      next[k] = k + 1;
    }
  }
  return { cuts, owner };
}

/** Where an RVA lives in the file. */
interface Located {
  /** File offset of the RVA. */
  offset: number;
  /** Bytes from there backed by the file (the section's raw data). */
  raw: number;
  /** Bytes from there inside the mapped image (virtual extent); past `raw` the loader supplies zeros. */
  mapped: number;
}

/**
 * Names by RVA. Thunk tables name their hint/name entries in ascending order almost always, so those are kept in
 * two arrays (a lookup above the last one is a miss without searching, below it a binary search) and only the rest
 * in a Map: a Map insertion per name cost more than decoding it.
 */
class NameCache {
  private readonly rvas: number[] = [];
  private readonly strings: string[] = [];
  /** Names read below the highest RVA already held; every key is below rvas' last element. */
  private readonly others = new Map<number, string>();

  get(rva: number): string | undefined {
    const n = this.rvas.length;
    if (n === 0 || rva > this.rvas[n - 1]) return undefined;
    const k = lastAtOrBelow(this.rvas, rva);
    return k >= 0 && this.rvas[k] === rva ? this.strings[k] : this.others.get(rva);
  }

  /** After a get() that missed. */
  set(rva: number, s: string): void {
    const n = this.rvas.length;
    if (n === 0 || rva > this.rvas[n - 1]) {
      this.rvas.push(rva);
      this.strings.push(s);
    } else {
      this.others.set(rva, s);
    }
  }
}

/** Name reads are served from one aligned window of the file this large (see Image.window). */
const WINDOW = 4096;
const NO_BYTES = new Uint8Array(0);

/**
 * The image as the loader maps it, read through the section table: an RVA is found in the section whose
 * [VirtualAddress, VirtualAddress + VirtualSize) holds it (SizeOfRawData when VirtualSize is 0), or in the headers
 * below SizeOfHeaders. Bytes between the end of a section's raw data and its virtual end read as zeros (the
 * loader's zero-fill), so a table running into a stripped tail ends there instead of reading the next section.
 */
export class Image {
  /**
   * The RVA space cut at every section's start and end: `cuts` ascending, and `owner[k]` the lowest-indexed section
   * holding all of [cuts[k], cuts[k + 1]) (-1 for none). A lookup is one binary search, whatever the section table
   * holds: 1,536 sections, overlapping ones included (where a cache of the last section hit could answer wrongly).
   */
  private readonly cuts: number[];
  private readonly owner: number[];
  /** Lowest section VirtualAddress, or SizeOfHeaders when lower: the end of the headers' own mapping. */
  private readonly headersEnd: number;
  /**
   * The interval [lo, hi) of `cuts` the last lookup fell in, and its owner. Every RVA in it has that owner, so this
   * cache answers exactly as the search would (unlike one of the last *section*, which overlaps could fool); thunk
   * tables and the names they point at sit in one or two intervals.
   */
  private lo = 0;
  private hi = 0;
  private own = -1;
  /** What the last `at()` found: file offset, raw bytes and mapped bytes from there (Located, without allocating). */
  private atOffset = 0;
  private atRaw = 0;
  private atMapped = 0;
  /**
   * Names already read (at most `limits.pe.maxNameBytes` long), by RVA: thunk tables may name one hint/name entry
   * many times. And the bytes of names read or handed out again so far, against `limits.pe.maxNameReadBytes`.
   */
  private readonly names = new NameCache();
  private nameBytesLeft: number;
  /**
   * Hint/name entries and DLL names are read from one WINDOW-aligned window of the file (a cached block of a file
   * source, a subarray of a memory one) rather than one read per name. Windows loaded are charged to the file's
   * own size, so tables scattering names to make every lookup miss cannot read more than the file once over through
   * them; past that, names are read one by one as before.
   */
  private win: Uint8Array = NO_BYTES;
  private winOffset = 0;
  private windowBytesLeft: number;
  /** Imported functions still allowed across all descriptors (`limits.maxImportsTotal`, scaled by the file's size). */
  importsLeft: number;
  constructor(
    private readonly src: ByteSource,
    readonly sections: SectionHeader[],
    sizeOfHeaders: number,
  ) {
    ({ cuts: this.cuts, owner: this.owner } = partition(sections));
    let headersEnd = sizeOfHeaders;
    for (const s of sections) if (s.virtualAddress < headersEnd) headersEnd = s.virtualAddress;
    this.headersEnd = headersEnd;
    this.nameBytesLeft = budget(limits.pe.maxNameReadBytes, src.size);
    this.windowBytesLeft = src.size;
    this.importsLeft = Math.min(limits.maxImportsTotal, 1024 + Math.floor(src.size / 4));
  }

  /**
   * Locate `rva` into atOffset/atRaw/atMapped; false when no section (nor the headers) maps it. The first section
   * (lowest index) whose [VirtualAddress, VirtualAddress + extent) holds the RVA wins.
   */
  private at(rva: number): boolean {
    if (!(rva >= this.lo && rva < this.hi)) {
      const k = lastAtOrBelow(this.cuts, rva);
      if (k >= 0 && k + 1 < this.cuts.length) {
        this.lo = this.cuts[k];
        this.hi = this.cuts[k + 1];
        this.own = this.owner[k];
      } else {
        this.lo = this.hi = 0;
        this.own = -1;
      }
    }
    if (this.own >= 0 && rva >= this.lo && rva < this.hi) {
      const s = this.sections[this.own];
      const extent = sectionExtent(s);
      const delta = rva - s.virtualAddress;
      this.atOffset = s.pointerToRawData + delta;
      this.atRaw = Math.max(0, Math.min(s.sizeOfRawData, extent) - delta);
      this.atMapped = extent - delta;
      return true;
    }
    if (rva < this.headersEnd) {
      this.atOffset = rva;
      this.atRaw = this.atMapped = this.headersEnd - rva;
      return true;
    }
    return false;
  }

  locate(rva: number): Located | null {
    return this.at(rva) ? { offset: this.atOffset, raw: this.atRaw, mapped: this.atMapped } : null;
  }

  private where(rva: number, what: string, part = ''): void {
    if (!this.at(rva)) throw new MalformedError('pe', 0, `${what}${part}: RVA 0x${rva.toString(16)} is not inside any section`);
  }

  /** Exactly `length` bytes of the mapped image at `rva`. The caller bounds `length` (a count × entry size). */
  read(rva: number, length: number, what: string, part = ''): Uint8Array {
    this.where(rva, what, part);
    const offset = this.atOffset, raw = this.atRaw;
    if (length > this.atMapped) {
      throw new MalformedError('pe', offset,
        `${what}${part}: ${length} bytes at RVA 0x${rva.toString(16)} run past the end of its section (${this.atMapped} bytes left)`);
    }
    if (length > limits.maxStructBytes) throw new MalformedError('pe', offset, `${what}${part}: ${length} bytes exceed the limit of ${limits.maxStructBytes}`);
    if (length <= raw) return this.src.read(offset, length, 'pe', what + part);
    const out = new Uint8Array(length);
    if (raw > 0) out.set(this.src.read(offset, raw, 'pe', what + part), 0);
    return out;
  }

  reader(rva: number, length: number, what: string): Reader {
    const bytes = this.read(rva, length, what);
    return new Reader(bytes, true, 'pe', this.atOffset, what);
  }

  /** Bytes mapped at `rva` up to the end of its section (0 when unmapped). */
  available(rva: number): number {
    return this.at(rva) ? this.atMapped : 0;
  }

  private chargeNames(n: number, rva: number, what: string): void {
    this.nameBytesLeft -= n;
    if (this.nameBytesLeft < 0) {
      throw new MalformedError('pe', 0, `${what}: more than ${budget(limits.pe.maxNameReadBytes, this.src.size)} bytes of names read by ` +
        `RVA 0x${rva.toString(16)} (tables naming the same strings over and over)`);
    }
  }

  /** Make the window hold file offset `offset`; false when the window budget is spent (or `offset` is past the end). */
  private window(offset: number): boolean {
    if (offset >= this.winOffset && offset < this.winOffset + this.win.length) return true;
    const start = offset - (offset % WINDOW);
    const n = Math.min(WINDOW, this.src.size - start);
    if (offset >= this.src.size || n > this.windowBytesLeft) return false;
    this.windowBytesLeft -= n;
    this.win = this.src.read(start, n, 'pe', 'names');
    this.winOffset = start;
    return true;
  }

  /** The hint of the last hintName() entry. */
  hint = 0;

  /**
   * The name of an IMAGE_IMPORT_BY_NAME entry at `rva` (PE Format, "Hint/Name Table"), its u16 hint left in `hint`:
   * what `read(rva, 2)` then `cstr(rva + 2)` return, with the same errors, taken from the window when it holds them.
   */
  hintName(rva: number, what: string): string {
    if (this.at(rva) && this.atRaw >= 2 && this.window(this.atOffset) && this.atOffset + 2 <= this.winOffset + this.win.length) {
      const o = this.atOffset - this.winOffset;
      this.hint = this.win[o] | (this.win[o + 1] << 8);
    } else {
      const h = this.read(rva, 2, what, ' hint');
      this.hint = h[0] | (h[1] << 8);
    }
    return this.cstr(rva + 2, what, limits.pe.maxNameBytes, ' name');
  }

  /** File offset of a mapped RVA (0 when unmapped), for error messages. */
  offsetOf(rva: number): number {
    return this.at(rva) ? this.atOffset : 0;
  }

  /**
   * NUL-terminated string at `rva`, at most `max` bytes. The zero-filled tail of a section terminates it. Names are
   * charged to the budget as if read in windows of 64, 256, 1,024… bytes until one holds the NUL (what this did
   * before the window, and still does when the window cannot answer), so budgets and errors do not depend on it.
   */
  cstr(rva: number, what: string, max: number, part = ''): string {
    // Only names read with the usual limit are kept (every caller uses it): one with another limit may end elsewhere.
    const known = max === limits.pe.maxNameBytes ? this.names.get(rva) : undefined;
    if (known !== undefined) {
      this.chargeNames(known.length + 1, rva, what + part);
      return known;
    }
    this.where(rva, what, part);
    const offset = this.atOffset, raw = this.atRaw, mapped = this.atMapped;
    const s = this.fromWindow(rva, offset, raw, max, what, part) ?? this.cstrByReads(rva, offset, raw, mapped, max, what + part);
    if (max === limits.pe.maxNameBytes) this.names.set(rva, s);
    return s;
  }

  /** cstr from the window, or null when it does not hold the whole string (nor the bytes the reads would have read). */
  private fromWindow(rva: number, offset: number, raw: number, max: number, what: string, part: string): string | null {
    if (!this.window(offset)) return null;
    const w = this.win, from = offset - this.winOffset;
    const end = Math.min(w.length, from + Math.min(raw, max));
    const z = w.indexOf(0, from);
    if (z < 0 || z >= end) return null;
    // The reads would have taken n = min(want, raw, max) bytes for want = 64, 256…, up to the first n past the NUL;
    // each n charged, the last one read from the file (it had to be inside it).
    let charged = 0, n = 0;
    for (let want = 64; ; want *= 4) {
      n = Math.min(want, raw, max);
      charged += n;
      if (n > z - from) break;
    }
    if (offset + n > this.src.size) return null;
    this.chargeNames(charged, rva, what + part);
    return decodeRange(w, from, z);
  }

  /** cstr by reads of 64, 256, 1,024… bytes until one holds the NUL. */
  private cstrByReads(rva: number, offset: number, raw: number, mapped: number, max: number, what: string): string {
    let want = 64;
    for (;;) {
      const n = Math.min(want, raw, max);
      this.chargeNames(n, rva, what);
      const b = n > 0 ? this.src.read(offset, n, 'pe', what) : NO_BYTES;
      const z = b.indexOf(0);
      if (z >= 0) return decodeUtf8(b.subarray(0, z));
      if (n === raw && mapped > raw && n < max) return decodeUtf8(b);
      if (n >= max || n === raw) {
        throw new MalformedError('pe', offset, `${what}: string at RVA 0x${rva.toString(16)} is not NUL-terminated within ${n} bytes`);
      }
      want *= 4;
    }
  }
}
