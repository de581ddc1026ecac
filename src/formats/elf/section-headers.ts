import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { ElfHeader } from './header.js';
import { SHN_UNDEF, SHN_XINDEX, SHT_NOBITS } from './constants.js';

/** Elf32_Shdr / Elf64_Shdr (gABI ch. 4 "Sections"). Optional: stripped and hostile files may lack them. */
export interface SectionHeader {
  name: string;
  type: number;
  /** sh_flags, low 32 bits (SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR are all there). */
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  align: number;
}

/** Section 0's fields that extend e_phnum / e_shnum / e_shstrndx when they overflow (gABI "Extended numbering"). */
export function readSectionZero(src: ByteSource, h: ElfHeader): { size: number; link: number; info: number } | null {
  if (h.shoff === 0) return null;
  const entsize = h.is64 ? 64 : 40;
  const r = new Reader(src.read(h.shoff, entsize, 'elf', 'section header 0'), h.le, 'elf', h.shoff, 'section header 0');
  return h.is64 ? { size: r.u64(32), link: r.u32(40), info: r.u32(44) } : { size: r.u32(20), link: r.u32(24), info: r.u32(28) };
}

export function readSectionHeaders(src: ByteSource, h: ElfHeader): SectionHeader[] {
  if (h.shoff === 0) return [];
  const entsize = h.is64 ? 64 : 40;
  if (h.shentsize < entsize) throw new MalformedError('elf', h.is64 ? 58 : 46, `e_shentsize ${h.shentsize} is smaller than a section header (${entsize})`);
  let shnum = h.shnum;
  let shstrndx = h.shstrndx;
  if (shnum === 0 || shstrndx === SHN_XINDEX) {
    const z = readSectionZero(src, h);
    if (z && shnum === 0) shnum = z.size;
    if (z && shstrndx === SHN_XINDEX) shstrndx = z.link;
  }
  if (shnum === 0) return [];
  if (shnum > limits.maxSectionHeaders) throw new MalformedError('elf', h.shoff, `section count ${shnum} exceeds the limit of ${limits.maxSectionHeaders}`);
  if (h.shoff >= src.size || shnum > (src.size - h.shoff) / h.shentsize) {
    throw new MalformedError('elf', h.shoff, `section header table (${shnum} × ${h.shentsize} bytes at ${h.shoff}) runs past the end `
      + `of the file (${src.size} bytes)`);
  }
  const bytes = src.read(h.shoff, shnum * h.shentsize, 'elf', 'section headers');
  const r = new Reader(bytes, h.le, 'elf', h.shoff, 'section header table');
  // The table is exactly shnum × shentsize bytes and shentsize ≥ entsize (both checked above), so every field of
  // every header lies inside it: read through the DataView directly, one call per field (up to 65,535 headers;
  // per-field bounds checks were most of the cost of a file). 64-bit fields still go through r.u64's range check.
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = h.le;
  // Names are resolved once the name table is known; their offsets wait beside the headers (no second copy of each).
  const raw: SectionHeader[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * h.shentsize;
    nameOffs.push(v.getUint32(o, le));
    raw.push(h.is64
      ? {
        name: '', type: v.getUint32(o + 4, le), flags: v.getUint32(le ? o + 8 : o + 12, le), addr: r.addr64(o + 16), offset: r.u64(o + 24),
        size: r.u64(o + 32), link: v.getUint32(o + 40, le), align: v.getUint32(le ? o + 48 : o + 52, le),
      }
      : {
        name: '', type: v.getUint32(o + 4, le), flags: v.getUint32(o + 8, le), addr: v.getUint32(o + 12, le), offset: v.getUint32(o + 16, le),
        size: v.getUint32(o + 20, le), link: v.getUint32(o + 24, le), align: v.getUint32(o + 32, le),
      });
  }
  // e_shstrndx may point anywhere, including at a section that is not a string table (elfy asserts here; we
  // don't): names that cannot be resolved stay empty and the sections are still returned. SHN_UNDEF (0) means
  // "no section name string table" (gABI, e_shstrndx): section 0 is SHT_NULL, and with extended numbering its
  // sh_size is the section count, not a table size.
  const strs = shstrndx !== SHN_UNDEF && shstrndx < raw.length ? raw[shstrndx] : undefined;
  if (strs && strs.type !== SHT_NOBITS && strs.offset < src.size && strs.size > 0) {
    const len = Math.min(strs.size, src.size - strs.offset, limits.maxStructBytes);
    const sr = new Reader(src.read(strs.offset, len, 'elf', 'section name table'), h.le, 'elf', strs.offset, 'section name table');
    raw.forEach((s, i) => {
      if (nameOffs[i] < len) {
        try { s.name = sr.cstr(nameOffs[i], 256); } catch { s.name = ''; }
      }
    });
  }
  return raw;
}
