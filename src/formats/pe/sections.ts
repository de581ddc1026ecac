import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { budget, limits } from '../../bytes/limits.js';
import { IMAGE_SIZEOF_SECTION_HEADER } from './constants.js';

/** IMAGE_SECTION_HEADER (PE Format, "Section Table (Section Headers)"). */
export interface SectionHeader {
  /** Name as written (8 bytes, NUL-padded; "/4" long names only occur in object files). */
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

/**
 * The elementary intervals of the sections' ranges and the lowest section index covering each (see Image). Sections
 * are laid down in index order and each interval is taken by the first that covers it; `next` skips intervals
 * already taken (path-halving union-find), so the whole table costs O(n log n) however the sections overlap.
 */
function partition(sections: SectionHeader[]): { cuts: number[]; owner: Int32Array } {
  const spans: [number, number, number][] = [];
  sections.forEach((s, i) => {
    const extent = sectionExtent(s);
    if (extent > 0) spans.push([s.virtualAddress, s.virtualAddress + extent, i]);
  });
  const cuts = [...new Set(spans.flatMap(([a, b]) => [a, b]))].sort((a, b) => a - b);
  const owner = new Int32Array(cuts.length).fill(-1);
  // next[k]: the first interval at or after k not yet taken (cuts.length - 1: past the last one).
  const next = Int32Array.from({ length: cuts.length }, (_, k) => k);
  const find = (k: number) => {
    while (next[k] !== k) {
      next[k] = next[next[k]];
      k = next[k];
    }
    return k;
  };
  for (const [a, b, i] of spans) {
    const end = lastAtOrBelow(cuts, b);
    for (let k = find(lastAtOrBelow(cuts, a)); k < end; k = find(k + 1)) {
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

const utf8 = new TextDecoder('utf-8', { fatal: false });

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
  private readonly owner: Int32Array;
  /** Lowest section VirtualAddress, or SizeOfHeaders when lower: the end of the headers' own mapping. */
  private readonly headersEnd: number;
  /**
   * Names already read, by RVA (thunk tables may name one hint/name entry many times), and the bytes of names read
   * or handed out again so far, against `limits.pe.maxNameReadBytes`.
   */
  private readonly names = new Map<number, { s: string; max: number }>();
  private nameBytesLeft: number;
  /** Imported functions still allowed across all descriptors (`limits.maxImportsTotal`, scaled by the file's size). */
  importsLeft: number;
  constructor(
    private readonly src: ByteSource,
    readonly sections: SectionHeader[],
    sizeOfHeaders: number,
  ) {
    ({ cuts: this.cuts, owner: this.owner } = partition(sections));
    this.headersEnd = sections.reduce((m, s) => Math.min(m, s.virtualAddress), sizeOfHeaders);
    this.nameBytesLeft = budget(limits.pe.maxNameReadBytes, src.size);
    this.importsLeft = Math.min(limits.maxImportsTotal, 1024 + Math.floor(src.size / 4));
  }

  private inSection(i: number, rva: number): Located | null {
    const s = this.sections[i];
    const extent = sectionExtent(s);
    if (rva >= s.virtualAddress && rva - s.virtualAddress < extent) {
      const delta = rva - s.virtualAddress;
      return { offset: s.pointerToRawData + delta, raw: Math.max(0, Math.min(s.sizeOfRawData, extent) - delta), mapped: extent - delta };
    }
    return null;
  }

  /** The first section (lowest index) whose [VirtualAddress, VirtualAddress + extent) holds the RVA wins. */
  locate(rva: number): Located | null {
    const k = lastAtOrBelow(this.cuts, rva);
    const i = k >= 0 ? this.owner[k] : -1;
    if (i >= 0) return this.inSection(i, rva);
    if (rva < this.headersEnd) return { offset: rva, raw: this.headersEnd - rva, mapped: this.headersEnd - rva };
    return null;
  }

  private where(rva: number, what: string): Located {
    const l = this.locate(rva);
    if (!l) throw new MalformedError('pe', 0, `${what}: RVA 0x${rva.toString(16)} is not inside any section`);
    return l;
  }

  /** Exactly `length` bytes of the mapped image at `rva`. The caller bounds `length` (a count × entry size). */
  read(rva: number, length: number, what: string): Uint8Array {
    const l = this.where(rva, what);
    if (length > l.mapped) {
      throw new MalformedError('pe', l.offset,
        `${what}: ${length} bytes at RVA 0x${rva.toString(16)} run past the end of its section (${l.mapped} bytes left)`);
    }
    if (length > limits.maxStructBytes) throw new MalformedError('pe', l.offset, `${what}: ${length} bytes exceed the limit of ${limits.maxStructBytes}`);
    if (length <= l.raw) return this.src.read(l.offset, length, 'pe', what);
    const out = new Uint8Array(length);
    if (l.raw > 0) out.set(this.src.read(l.offset, l.raw, 'pe', what), 0);
    return out;
  }

  reader(rva: number, length: number, what: string): Reader {
    const l = this.where(rva, what);
    return new Reader(this.read(rva, length, what), true, 'pe', l.offset, what);
  }

  /** Bytes mapped at `rva` up to the end of its section (0 when unmapped). */
  available(rva: number): number {
    return this.locate(rva)?.mapped ?? 0;
  }

  private chargeNames(n: number, rva: number, what: string): void {
    this.nameBytesLeft -= n;
    if (this.nameBytesLeft < 0) {
      throw new MalformedError('pe', 0, `${what}: more than ${budget(limits.pe.maxNameReadBytes, this.src.size)} bytes of names read by ` +
        `RVA 0x${rva.toString(16)} (tables naming the same strings over and over)`);
    }
  }

  /** NUL-terminated string at `rva`, at most `max` bytes. The zero-filled tail of a section terminates it. */
  cstr(rva: number, what: string, max: number): string {
    const known = this.names.get(rva);
    if (known && known.max === max) {
      this.chargeNames(known.s.length + 1, rva, what);
      return known.s;
    }
    const l = this.where(rva, what);
    const keep = (s: string) => {
      this.names.set(rva, { s, max });
      return s;
    };
    let want = 64;
    for (;;) {
      const n = Math.min(want, l.raw, max);
      this.chargeNames(n, rva, what);
      const b = n > 0 ? this.src.read(l.offset, n, 'pe', what) : new Uint8Array(0);
      const z = b.indexOf(0);
      if (z >= 0) return keep(utf8.decode(b.subarray(0, z)));
      if (n === l.raw && l.mapped > l.raw && n < max) return keep(utf8.decode(b));
      if (n >= max || n === l.raw) {
        throw new MalformedError('pe', l.offset, `${what}: string at RVA 0x${rva.toString(16)} is not NUL-terminated within ${n} bytes`);
      }
      want *= 4;
    }
  }
}
