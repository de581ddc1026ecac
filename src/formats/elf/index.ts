import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { byteFinder } from '../../bytes/search.js';
import { permissive } from '../permissive.js';
import { limits } from '../../bytes/limits.js';
import { decodeUtf8 } from '../../bytes/text.js';
import type { Warning } from '../../bytes/warning.js';
import { readHeader, type ElfHeader } from './header.js';
import { readProgramHeaders, vaddrToOffset, type ProgramHeader } from './program-headers.js';
import { readSectionHeaders, readSectionZero, type SectionHeader } from './section-headers.js';
import { readDynamic, type DynEntry } from './dynamic.js';
import { StringTable } from './strings.js';
import { readVersionNeeds, type VersionNeed } from './versions.js';
import { noteBudget, readNotes, type Note } from './notes.js';
import {
  DT_NEEDED, DT_RPATH, DT_RUNPATH, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_VERNEED, DT_VERNEEDNUM, PN_XNUM,
  PT_DYNAMIC, PT_INTERP, PT_NOTE, SHT_DYNAMIC, SHT_NOTE, SHT_NOBITS, SHT_STRTAB, DT_AUXILIARY, DT_FILTER, NT_GNU_ABI_TAG,
} from './constants.js';

/** Everything linkplan reads from an ELF file, still in the format's own terms. facts/elf.ts turns it into facts. */
export interface ElfFile {
  header: ElfHeader;
  phdrs: ProgramHeader[];
  interp: string | null;
  dynamic: DynEntry[] | null;
  needed: string[];
  soname: string | null;
  /** DT_RPATH / DT_RUNPATH as written (colon-separated), null when absent. */
  rpath: string | null;
  runpath: string | null;
  filters: string[];
  versionNeeds: VersionNeed[];
  notes: Note[];
  sections: SectionHeader[];
  comments: string[];
  /** Names from LIBC_MARKERS found in .strtab (static files only): libc evidence that survives in unstripped files. */
  symbolMarkers: string[];
  /** A separate debug file: .text / .dynamic are SHT_NOBITS, so the segments point at bytes that are not there. */
  debugInfoOnly: boolean;
  warnings: Warning[];
}


/**
 * Symbols only one C library defines, looked for in the symbol string tables of files where no interpreter or
 * DT_NEEDED names the libc (static files, and the C library itself). musl: src/env/__libc_start_main.c, and
 * ldso/dynlink.c's __dls3, which musl's own libc.so (its dynamic loader: no SONAME, no NEEDED) exports; glibc:
 * csu/static-reloc.c, csu/libc-tls.c.
 */
export const LIBC_MARKERS = ['__init_libc', '__libc_start_init', '_dl_relocate_static_pie', '__libc_setup_tls', '__dls3'];
/** LIBC_MARKERS as whole names of the string table: NUL before and after. */
const MARKER_BYTES = LIBC_MARKERS.map((m) => Uint8Array.from(`\0${m}\0`, (c) => c.charCodeAt(0)));

function findMarkers(src: ByteSource, sections: SectionHeader[]): string[] {
  const found: string[] = [];
  // .strtab (not in a stripped file), then .dynstr (what a stripped shared object still exports).
  for (const name of ['.strtab', '.dynstr']) {
    const tab = sections.find((s) => s.name === name && s.type !== SHT_NOBITS);
    if (!tab || tab.size === 0) continue;
    const n = Math.min(tab.size, limits.maxStructBytes, src.size - Math.min(tab.offset, src.size));
    const find = byteFinder(src.read(tab.offset, n, 'elf', name));
    for (let i = 0; i < LIBC_MARKERS.length; i++) if (!found.includes(LIBC_MARKERS[i]) && find(MARKER_BYTES[i], 0) >= 0) found.push(LIBC_MARKERS[i]);
  }
  return found;
}


/**
 * "Does one of these ranges hold [o, o + n) whole?", in O(log ranges) per question: ranges sorted by start, with the
 * furthest end reached so far. The ranges starting at or before o are a prefix, and one of them holds the span iff
 * the furthest end among them reaches o + n. (A scan of every PT_NOTE per SHT_NOTE costs 65,534 × 65,535.)
 */
function coverage(ranges: { offset: number; size: number }[]): (o: number, n: number) => boolean {
  const sorted = ranges.map((r) => [r.offset, r.offset + r.size]).sort((a, b) => a[0] - b[0]);
  const starts = sorted.map((r) => r[0]);
  const reach: number[] = [];
  for (const [, end] of sorted) reach.push(Math.max(end, reach.length ? reach[reach.length - 1] : -Infinity));
  return (o, n) => {
    // The last range starting at or before o.
    let lo = 0, hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && reach[lo - 1] >= o + n;
  };
}

/** Up to this many note regions, overlap and repeats are found by scanning (coverage() and maps cost more below it). */
const SMALL = 8;

/** Does one of the first `n` ranges hold [o, o + size) whole? (coverage() for a few ranges.) */
function inAny(ranges: { offset: number; size: number }[], n: number, o: number, size: number): boolean {
  for (let i = 0; i < n; i++) if (ranges[i].offset <= o && ranges[i].offset + ranges[i].size >= o + size) return true;
  return false;
}

/** Was a region with region i's offset and size read before it, with the same alignment bit (8 → 2, else 1)? */
function readBefore(regions: { offset: number; size: number; align: number }[], i: number, bit: number): boolean {
  const g = regions[i];
  for (let k = 0; k < i; k++) {
    const r = regions[k];
    if (r.offset === g.offset && r.size === g.size && (r.align === 8 ? 2 : 1) === bit) return true;
  }
  return false;
}

/** One decoder for every file's .comment (a TextDecoder per file is an allocation the hot path need not make). */
const commentText = new TextDecoder();

/** Dynamic tags whose value is a DT_STRTAB offset (one Set, not an array built per entry of up to 2^20). */
const STRING_TAGS = new Set([DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_VERNEED, DT_AUXILIARY, DT_FILTER]);

// readElf's parts are functions of their own: each runs once a file, and V8 optimizes a small function (and after a
// rare path's deopt, optimizes it again) for much less than one the size of all of them (README, "Speed and the JIT").

/** PT_INTERP: the gABI allows one, and only before any loadable segment. */
function readInterp(src: ByteSource, phdrs: ProgramHeader[], warnings: Warning[]): string | null {
  let interp: string | null = null;
  const pInterp = phdrs.find((p) => p.type === PT_INTERP);
  if (pInterp) {
    const n = Math.min(pInterp.filesz, limits.maxStringBytes);
    if (n === 0) throw new MalformedError('elf', pInterp.offset, 'PT_INTERP is empty');
    const b = src.read(pInterp.offset, n, 'elf', 'PT_INTERP');
    const z = b.indexOf(0);
    interp = decodeUtf8(b.subarray(0, z >= 0 ? z : b.length));
    if (z < 0) warnings.push({ code: 'elf.interp-unterminated', detail: 'PT_INTERP string is not NUL-terminated', offset: pInterp.offset });
  }
  return interp;
}

/** DT_STRTAB located in the file: through the PT_LOADs, else the section holding its address. */
function dynamicStrings(
  src: ByteSource, phdrs: ProgramHeader[], sections: SectionHeader[], pDyn: ProgramHeader, strAddr: number, strSz: number | null,
  warnings: Warning[],
): StringTable {
  let loc = vaddrToOffset(phdrs, strAddr);
  if (!loc) {
    // Fallback for files whose PT_LOADs do not cover DT_STRTAB: the section holding that address.
    const s = sections.find((x) => x.type !== SHT_NOBITS && x.addr !== 0 && strAddr >= x.addr && strAddr < x.addr + x.size);
    if (s) loc = { offset: s.offset + (strAddr - s.addr), avail: s.size - (strAddr - s.addr) };
  }
  if (!loc) throw new MalformedError('elf', pDyn.offset, `DT_STRTAB address 0x${strAddr.toString(16)} is not inside any PT_LOAD segment`);
  // A PT_LOAD whose file size ends inside the string table (patchelf's rewrites in wheels' binaries, auditwheel
  // repaired: casadi's) still works: the loader maps whole pages, so the bytes past p_filesz on its last page are
  // the file's. Where a SHT_STRTAB section at the same place says the table is longer, it is read to that end (as
  // readelf, which reads the section, does), with a warning; without one, the segment's bound stands.
  if (strSz !== null && strSz > loc.avail) {
    const at = loc.offset;
    const s = sections.find((x) => x.type === SHT_STRTAB && x.addr !== 0 && x.addr <= strAddr && strAddr < x.addr + x.size
      && x.offset + (strAddr - x.addr) === at);
    const inSection = s ? s.size - (strAddr - s.addr) : 0;
    if (inSection > loc.avail) {
      const past = Math.min(strSz, inSection) - loc.avail;
      warnings.push({
        code: 'elf.strtab-past-segment', offset: pDyn.offset,
        detail: `DT_STRTAB (${strSz} bytes) runs ${past} bytes past its PT_LOAD's file size: read to the end of its section`,
      });
      loc = { offset: at, avail: inSection };
    }
  }
  const size = Math.min(strSz ?? loc.avail, loc.avail, src.size - Math.min(loc.offset, src.size));
  return new StringTable(src, loc.offset, size, 'dynamic string table');
}

/** The string table of a file whose DT_STRTAB address is past 2^53: the section .dynamic's sh_link names, or null. */
function farStrings(src: ByteSource, sections: SectionHeader[]): StringTable | null {
  const dyn = sections.find((x) => x.type === SHT_DYNAMIC);
  const s = dyn ? sections[dyn.link] : undefined;
  if (!s || s.type !== SHT_STRTAB || s.offset > src.size) return null;
  return new StringTable(src, s.offset, Math.min(s.size, src.size - s.offset), 'dynamic string table');
}

/** The dynamic array and what it names through DT_STRTAB: libraries, soname, search paths, filters, version needs. */
function readDynamicNames(src: ByteSource, header: ElfHeader, phdrs: ProgramHeader[], sections: SectionHeader[], warnings: Warning[]) {
  let dynamic: DynEntry[] | null = null;
  const needed: string[] = [];
  const filters: string[] = [];
  let soname: string | null = null, rpath: string | null = null, runpath: string | null = null;
  let versionNeeds: VersionNeed[] = [];
  const pDyn = phdrs.find((p) => p.type === PT_DYNAMIC);
  if (pDyn && pDyn.filesz > 0) {
    dynamic = readDynamic(src, header, pDyn);
    // One pass for the tags read here; the first of each counts (as the loader's array walk would find it).
    let strAddr: number | null | undefined, strSz: number | null | undefined, vnAddr: number | null | undefined, vnNum: number | null | undefined;
    let needsStrings = false;
    for (const d of dynamic) {
      if (d.tag === DT_STRTAB) { if (strAddr === undefined) strAddr = d.val; }
      else if (d.tag === DT_STRSZ) { if (strSz === undefined) strSz = d.val; }
      else if (d.tag === DT_VERNEED) { if (vnAddr === undefined) vnAddr = d.val; }
      else if (d.tag === DT_VERNEEDNUM) { if (vnNum === undefined) vnNum = d.val; }
      if (!needsStrings && STRING_TAGS.has(d.tag)) needsStrings = true;
    }
    // DT_STRTAB there, but at an address past 2^53 (a shared object linked into kernel space): found by the
    // section instead, .dynamic's sh_link (gABI: the string table its entries use).
    const strFar = strAddr === null;
    strAddr ??= null;
    strSz ??= null;
    if (needsStrings) {
      const far = strFar ? farStrings(src, sections) : null;
      if (strAddr === null && !far) {
        throw new MalformedError('elf', pDyn.offset, strFar
          ? 'DT_STRTAB\'s address is past 2^53 and no section header says where its string table is'
          : 'dynamic section names libraries but has no DT_STRTAB');
      }
      const strtab = far ?? dynamicStrings(src, phdrs, sections, pDyn, strAddr!, strSz, warnings);
      const str = (d: DynEntry) => {
        if (d.val === null) throw new MalformedError('elf', pDyn.offset, `dynamic tag ${d.tag} has an out-of-range string offset`);
        return strtab.get(d.val);
      };
      for (const d of dynamic) {
        if (d.tag === DT_NEEDED) needed.push(str(d));
        else if (d.tag === DT_SONAME) soname = str(d);
        // gABI: several DT_RPATH entries are not expected; a later one would be ignored by glibc. Join them.
        else if (d.tag === DT_RPATH) rpath = rpath === null ? str(d) : `${rpath}:${str(d)}`;
        else if (d.tag === DT_RUNPATH) runpath = runpath === null ? str(d) : `${runpath}:${str(d)}`;
        else if (d.tag === DT_AUXILIARY || d.tag === DT_FILTER) filters.push(str(d));
      }
      if (vnAddr != null && vnNum != null && vnNum > 0) {
        versionNeeds = permissive<VersionNeed[]>(warnings, 'elf.version-needs', [], () => {
          const vl = vaddrToOffset(phdrs, vnAddr);
          if (!vl) throw new MalformedError('elf', pDyn.offset, `DT_VERNEED address 0x${vnAddr.toString(16)} is not inside any PT_LOAD segment`);
          return readVersionNeeds(src, header.le, vl.offset, Math.min(vl.avail, src.size - vl.offset), vnNum, strtab);
        });
      }
    }
  }
  return { dynamic, needed, filters, soname, rpath, runpath, versionNeeds };
}

export function readElf(src: ByteSource): ElfFile {
  const header = readHeader(src);
  const warnings: Warning[] = [];
  let phnum = header.phnum;
  if (phnum === PN_XNUM) {
    const z = readSectionZero(src, header);
    if (!z) throw new MalformedError('elf', header.is64 ? 56 : 44, 'e_phnum is PN_XNUM but there is no section header 0 holding the real count');
    phnum = z.info;
  }
  const phdrs = readProgramHeaders(src, header, phnum);

  const sections = permissive<SectionHeader[]>(warnings, 'elf.section-headers', [], () => readSectionHeaders(src, header));

  // One pass over the sections for what is looked up by name (the first .comment with bytes counts).
  let debugInfoOnly = false;
  let comment: SectionHeader | undefined;
  for (const s of sections) {
    if (s.type === SHT_NOBITS) { if (s.name === '.dynamic' || s.name === '.text') debugInfoOnly = true; }
    else if (comment === undefined && s.size > 0 && s.name === '.comment') comment = s;
  }
  if (debugInfoOnly) {
    return {
      header, phdrs, interp: null, dynamic: null, needed: [], soname: null, rpath: null, runpath: null, filters: [], versionNeeds: [], notes: [],
      sections, comments: [], symbolMarkers: [], debugInfoOnly, warnings,
    };
  }

  const interp = readInterp(src, phdrs, warnings);
  const { dynamic, needed, filters, soname, rpath, runpath, versionNeeds } = readDynamicNames(src, header, phdrs, sections, warnings);

  const notes = permissive<Note[]>(warnings, 'elf.notes', [], () => {
    // PT_NOTE segments, then SHT_NOTE sections no segment covers: the Go linker puts only .note.go.buildid in its
    // PT_NOTE and leaves .note.gnu.build-id outside it (readelf and llvm-readobj read sections first, so they see both).
    const regions: { offset: number; size: number; align: number }[] = [];
    for (const p of phdrs) if (p.type === PT_NOTE) regions.push({ offset: p.offset, size: p.filesz, align: p.align });
    const nSegs = regions.length;
    // A handful of segments (every real file) are scanned directly; coverage() answers in O(log n) past that.
    let covered: ((o: number, n: number) => boolean) | null = null;
    for (const s of sections) {
      if (s.type !== SHT_NOTE || s.size <= 0) continue;
      if (nSegs > SMALL) covered ??= coverage(regions.slice(0, nSegs));
      if (covered ? covered(s.offset, s.size) : inAny(regions, nSegs, s.offset, s.size)) continue;
      regions.push({ offset: s.offset, size: s.size, align: s.align });
    }
    // One budget for the whole file, and each region read once, however many headers name it. The key holds the
    // alignment readNotes() uses (8, or 4 for any other p_align): headers differing only in an alignment it treats
    // alike name the same notes.
    // Keyed by numbers (offset → size → alignment bits), not by a string built per header: 131,069 headers. A few
    // regions are compared with the earlier ones directly (no maps to build for the usual two or three).
    const budget = noteBudget();
    const done = regions.length > SMALL ? new Map<number, Map<number, number>>() : null;
    const out: Note[] = [];
    for (let i = 0; i < regions.length; i++) {
      const g = regions[i];
      const bit = g.align === 8 ? 2 : 1;
      if (done) {
        let sizes = done.get(g.offset);
        if (!sizes) done.set(g.offset, sizes = new Map());
        const seen = sizes.get(g.size) ?? 0;
        if (seen & bit) continue;
        sizes.set(g.size, seen | bit);
      } else if (readBefore(regions, i, bit)) continue;
      for (const n of readNotes(src, header.le, g.offset, g.size, g.align, budget)) out.push(n);
      if (budget.bytes <= 0 || budget.notes <= 0) break;
    }
    return out;
  });

  const comments = !comment ? [] : permissive<string[]>(warnings, 'elf.comment', [], () => {
    const b = src.read(comment.offset, Math.min(comment.size, limits.maxCommentBytes), 'elf', '.comment');
    const out: string[] = [];
    for (const part of commentText.decode(b).split('\0')) {
      const s = part.trim();
      if (s && !out.includes(s) && out.length < limits.maxCommentStrings) out.push(s);
    }
    return out;
  });

  // The markers decide libc only for what nothing else decides (facts/from-elf.ts classifyLibc): a static file with
  // no GLIBC_ version need, no Android note and no NT_GNU_ABI_TAG. For every other file the .strtab is not read.
  const decided = interp !== null || needed.length > 0 || versionNeeds.some((v) => v.versions.some((x) => x.startsWith('GLIBC_')))
    || notes.some((n) => n.owner === 'Android' || (n.owner === 'GNU' && n.type === NT_GNU_ABI_TAG));
  const symbolMarkers = decided ? [] : permissive<string[]>(warnings, 'elf.symbols', [], () => findMarkers(src, sections));

  return {
    header, phdrs, interp, dynamic, needed, soname, rpath, runpath, filters, versionNeeds, notes, sections, comments, symbolMarkers,
    debugInfoOnly, warnings,
  };
}
