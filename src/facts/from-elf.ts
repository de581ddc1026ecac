import type { ElfFile } from '../formats/elf/index.js';
import {
  DF_1_FLAGS, DF_1_NOW, DF_1_PIE, DF_BIND_NOW, DF_FLAGS, DF_TEXTREL, DT_BIND_NOW, DT_DEBUG, DT_FLAGS, DT_FLAGS_1,
  DT_SYMBOLIC, DT_TEXTREL, EM, ELFOSABI, ET_CORE, ET_DYN, ET_EXEC, ET_NAMES, ET_REL, GNU_ABI_TAG_OS, NT_GNU_ABI_TAG,
  NT_GNU_BUILD_ID, NT_GO_BUILDID, PF_R, PF_W, PF_X, PT_GNU_RELRO, PT_GNU_STACK, PT_NAMES, PT_TLS, SHF_EXECINSTR, flagNames,
} from '../formats/elf/constants.js';
import type { ElfDetails, ElfFloors, ElfVersionNeed } from './elf.js';
import type { BinaryType, ElfFacts, Evidence, Libc, Linkage, Relro } from './types.js';
import { compareVersions } from './versions.js';

const ev = (field: string, value: Evidence['value']): Evidence => ({ field, value });
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array) => { let s = ''; for (const x of b) s += HEX[x]; return s; };
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function archName(machine: number, is64: boolean, le: boolean): string {
  const base = EM[machine]?.[1] ?? `em${machine}`;
  switch (base) {
    case 'aarch64': return le ? 'aarch64' : 'aarch64_be';
    case 'arm': return le ? 'arm' : 'armeb';
    case 'ppc64': return le ? 'ppc64le' : 'ppc64';
    case 'ppc': return le ? 'ppcle' : 'ppc';
    case 'mips': return (is64 ? 'mips64' : 'mips') + (le ? 'el' : '');
    case 'riscv': return is64 ? 'riscv64' : 'riscv32';
    case 's390': return is64 ? 's390x' : 's390';
    case 'sparc': return is64 ? 'sparc64' : 'sparc';
    case 'loongarch': return is64 ? 'loongarch64' : 'loongarch32';
    default: return base;
  }
}

/**
 * glibc 2.36 introduced DT_RELR (packed relative relocations) and, with it, the version GLIBC_ABI_DT_RELR that
 * `ld -z pack-relative-relocs` makes a binary require of libc.so.6 (glibc NEWS for 2.36; elf/dl-version.c refuses
 * to load it on an older glibc). So it floors glibc at 2.36 although the file names no GLIBC_2.36.
 */
const DT_RELR_VERSION = 'GLIBC_ABI_DT_RELR';
const DT_RELR_GLIBC = '2.36';

/** Version-name prefixes that floor a runtime (GLIBC_2.34, GLIBCXX_3.4.29, CXXABI_1.3.13, GCC_7.0.0). */
const FLOOR_OF = new Map<string, keyof ElfFloors>([['GLIBC', 'glibc'], ['GLIBCXX', 'glibcxx'], ['CXXABI', 'cxxabi'], ['GCC', 'gcc']]);
const DOTTED = /^\d+(?:\.\d+)+$/;

/**
 * Floors from the version names a binary requires: the oldest runtime it can load against. The evidence quotes the
 * vna_name the glibc floor comes from as the file spells it (GLIBC_ABI_DT_RELR with why it means 2.36, never an
 * invented GLIBC_2.36).
 */
export function versionFloors(needs: ElfVersionNeed[]): { floors: ElfFloors; evidence: Evidence[] } {
  const best: Record<keyof ElfFloors, string | null> = { glibc: null, glibcxx: null, cxxabi: null, gcc: null };
  let glibcFrom: string | null = null;
  for (const n of needs) {
    for (const v of n.versions) {
      // PREFIX_1.2[.3…]: the prefix names the floor, the rest must be a dotted version (GLIBC_PRIVATE is none).
      const name = v === DT_RELR_VERSION ? `GLIBC_${DT_RELR_GLIBC}` : v;
      const cut = name.indexOf('_');
      const key = cut > 0 ? FLOOR_OF.get(name.slice(0, cut)) : undefined;
      if (key === undefined) continue;
      const version = name.slice(cut + 1);
      if (!DOTTED.test(version)) continue;
      const d = best[key] === null ? 1 : compareVersions(version, best[key]!);
      // At a tie, a real GLIBC_2.36 is the plainer quote than GLIBC_ABI_DT_RELR.
      if (d > 0 || (d === 0 && key === 'glibc' && glibcFrom === DT_RELR_VERSION && v !== DT_RELR_VERSION)) {
        best[key] = version;
        if (key === 'glibc') glibcFrom = v;
      }
    }
  }
  const evidence: Evidence[] = [];
  if (glibcFrom === DT_RELR_VERSION) evidence.push(ev('vna_name', `${DT_RELR_VERSION} (glibc ${DT_RELR_GLIBC} introduced DT_RELR)`));
  else if (glibcFrom !== null) evidence.push(ev('vna_name', glibcFrom));
  return { floors: best, evidence };
}

/** glibc's loader by file name: the interpreter's base name, and the SONAME of the loader itself. */
const GLIBC_LOADER = /^(ld-linux.*\.so\.\d+|ld64\.so\.\d+|ld\.so\.1)$/;

function classifyLibc(f: ElfFile, noteOwners: string[], linkage: Linkage | null): { libc: Libc; evidence: Evidence[] } {
  const interp = f.interp ? basename(f.interp) : null;
  if (f.interp) {
    if (/^ld-musl-.*\.so\.1$/.test(interp!)) return { libc: 'musl', evidence: [ev('PT_INTERP', f.interp)] };
    if (GLIBC_LOADER.test(interp!) && !f.interp.startsWith('/system/')) {
      return { libc: 'glibc', evidence: [ev('PT_INTERP', f.interp)] };
    }
    if (/^linker(64)?$/.test(interp!) && f.interp.startsWith('/system/')) return { libc: 'bionic', evidence: [ev('PT_INTERP', f.interp)] };
    if (/^ld-uClibc/.test(interp!)) return { libc: 'uclibc', evidence: [ev('PT_INTERP', f.interp)] };
    if (/^ld-elf\.so\.1$/.test(interp!)) return { libc: 'freebsd', evidence: [ev('PT_INTERP', f.interp)] };
  }
  for (const n of f.needed) {
    if (/^libc\.musl-.*\.so\.1$/.test(n)) return { libc: 'musl', evidence: [ev('DT_NEEDED', n)] };
    if (n === 'libc.so.6') return { libc: 'glibc', evidence: [ev('DT_NEEDED', n)] };
    if (/^libc\.so\.0$/.test(n)) return { libc: 'uclibc', evidence: [ev('DT_NEEDED', n)] };
    if (/^libc\.so\.7$/.test(n)) return { libc: 'freebsd', evidence: [ev('DT_NEEDED', n)] };
  }
  const glibcVer = f.versionNeeds.flatMap((v) => v.versions).find((v) => v.startsWith('GLIBC_'));
  if (glibcVer) return { libc: 'glibc', evidence: [ev('vna_name', glibcVer)] };
  if (f.needed.includes('libc.so')) {
    // An unversioned "libc.so" is musl's soname, and also bionic's: the Android note or bionic's companions decide.
    const bionic = noteOwners.includes('Android') || f.needed.some((n) => n === 'liblog.so' || n === 'libdl.so' || n === 'libandroid.so');
    return bionic
      ? { libc: 'bionic', evidence: [ev('DT_NEEDED', 'libc.so'), ev('note', noteOwners.includes('Android') ? 'Android' : 'bionic companion libraries')] }
      : { libc: 'musl', evidence: [ev('DT_NEEDED', 'libc.so')] };
  }
  // Static files: only real evidence counts.
  if (noteOwners.includes('Android')) return { libc: 'bionic', evidence: [ev('note', 'Android')] };
  const abi = f.notes.find((n) => n.owner === 'GNU' && n.type === NT_GNU_ABI_TAG);
  if (abi) return { libc: 'glibc', evidence: [ev('NT_GNU_ABI_TAG', 'present (from glibc crt1.o)')] };
  const musl = f.symbolMarkers.filter((m) => m === '__init_libc' || m === '__libc_start_init' || m === '__dls3');
  if (musl.length) return { libc: 'musl', evidence: musl.map((m) => ev('symbol', m)) };
  const glibc = f.symbolMarkers.filter((m) => m === '_dl_relocate_static_pie' || m === '__libc_setup_tls');
  if (glibc.length) return { libc: 'glibc', evidence: glibc.map((m) => ev('symbol', m)) };
  // The C library's own loader, named by its SONAME (glibc's ld.so needs nothing and has no interpreter).
  if (f.soname && GLIBC_LOADER.test(f.soname)) return { libc: 'glibc', evidence: [ev('DT_SONAME', f.soname)] };
  if (noteOwners.includes('Go') && f.needed.length === 0 && !f.interp) return { libc: 'none', evidence: [ev('note', 'Go build id'), ev('DT_NEEDED', 0)] };
  if (linkage === 'dynamic' && !f.interp && f.dynamic !== null && !f.needed.some((n) => /^libc[.-]/.test(n))) {
    return { libc: 'none', evidence: [ev('DT_NEEDED', f.needed.length ? f.needed.join(',') : 0), ev('PT_INTERP', null)] };
  }
  return { libc: 'unknown', evidence: [] };
}

// The parts of elfFacts are functions of their own: each runs once a file, and V8 optimizes a small function (and after
// a rare path's deopt, optimizes it again) for much less than one the size of all of them (README, "Speed and the JIT").

/** One pass over the dynamic array (up to 2^20 entries) for every tag the facts use. */
function dynamicFlags(dyn: NonNullable<ElfFile['dynamic']>) {
  let flagsVal = 0, flags1Val = 0, bindNowTag = false, textrelTag = false, debugTag = false, symbolicTag = false;
  for (const d of dyn) {
    switch (d.tag) {
      case DT_FLAGS: flagsVal |= d.lo; break;
      case DT_FLAGS_1: flags1Val |= d.lo; break;
      case DT_BIND_NOW: bindNowTag = true; break;
      case DT_TEXTREL: textrelTag = true; break;
      case DT_DEBUG: debugTag = true; break;
      case DT_SYMBOLIC: symbolicTag = true; break;
    }
  }
  flagsVal >>>= 0;
  flags1Val >>>= 0;
  return { flagsVal, flags1Val, bindNowTag, textrelTag, debugTag, symbolicTag };
}

/** Type: a PIE executable and a shared library are both ET_DYN; tell them apart by what only one of them has. */
function binaryType(f: ElfFile, pie1: boolean, eType: string): { type: BinaryType; typeEv: Evidence[] } {
  const h = f.header;
  let type: BinaryType;
  const typeEv: Evidence[] = [ev('e_type', eType)];
  if (f.debugInfoOnly) { type = 'debug-info'; typeEv.push(ev('SHT_NOBITS', '.text/.dynamic')); }
  else if (h.type === ET_EXEC) type = 'executable';
  else if (h.type === ET_REL) type = 'relocatable';
  else if (h.type === ET_CORE) type = 'core';
  else if (h.type === ET_DYN) {
    if (pie1) { type = 'executable'; typeEv.push(ev('DF_1_PIE', true)); }
    else if (f.interp && !f.soname) { type = 'executable'; typeEv.push(ev('PT_INTERP', f.interp), ev('DT_SONAME', null)); }
    else {
      // No DF_1_PIE and no interpreter: a shared object. e_entry is no guide (old GNU ld sets it to the start of
      // .text in Python extension modules; musl's libc.so is runnable), nor is PT_PHDR (rustc cdylibs have one).
      type = 'shared-library';
      typeEv.push(ev('DF_1_PIE', false), ev('PT_INTERP', f.interp), ev('DT_SONAME', f.soname));
    }
  } else type = 'other';
  return { type, typeEv };
}

/** Linkage, from the type and what the loader is asked to load. */
function linkageOf(f: ElfFile, type: BinaryType, eType: string, pie1: boolean, warnings: ElfFile['warnings']): { linkage: Linkage | null; linkEv: Evidence[] } {
  const h = f.header;
  let linkage: Linkage | null = null;
  const linkEv: Evidence[] = [];
  if (type === 'shared-library') {
    linkage = 'dynamic';
    linkEv.push(ev('e_type', eType), ev('DT_NEEDED', f.needed.length));
  } else if (type === 'executable') {
    linkEv.push(ev('e_type', eType), ev('PT_INTERP', f.interp), ev('DT_NEEDED', f.needed.length));
    if (f.interp) linkage = 'dynamic';
    else if (f.needed.length > 0) {
      linkage = h.type === ET_DYN ? 'broken-static-pie' : 'dynamic';
      warnings.push({ code: 'elf.needed-without-interpreter', detail: `no PT_INTERP, yet DT_NEEDED names ${f.needed.join(', ')}: nothing will load them` });
    } else {
      linkage = h.type === ET_DYN ? 'static-pie' : 'static';
      linkEv.push(ev('PT_DYNAMIC', f.dynamic !== null));
      if (pie1) linkEv.push(ev('DF_1_PIE', true));
    }
  }
  return { linkage, linkEv };
}

/** Build ids, the ABI tag and the note owners (in first-seen order; a Set answers "seen?" for each of up to limits.maxNotes notes in O(1)). */
function noteFacts(notes: ElfFile['notes'], le: boolean) {
  const owners = new Set<string>();
  let buildId: string | null = null, goBuildId: string | null = null;
  let abiTag: ElfDetails['abiTag'] = null;
  for (const n of notes) {
    if (n.owner === 'GNU' && n.type === NT_GNU_BUILD_ID) buildId = hex(n.desc);
    else if (n.owner === 'GNU' && n.type === NT_GNU_ABI_TAG && n.desc.length >= 16) {
      const dv = new DataView(n.desc.buffer, n.desc.byteOffset, n.desc.byteLength);
      const w = (i: number) => dv.getUint32(i * 4, le);
      abiTag = { os: GNU_ABI_TAG_OS[w(0)] ?? `os${w(0)}`, version: `${w(1)}.${w(2)}.${w(3)}` };
    } else if (n.owner === 'Go' && n.type === NT_GO_BUILDID) goBuildId = new TextDecoder().decode(n.desc).replace(/\0+$/, '');
    if (n.owner && n.owner !== 'GNU') owners.add(n.owner);
  }
  const noteOwners = [...owners];
  return { buildId, goBuildId, abiTag, noteOwners };
}

/**
 * A non-executable stack: PT_GNU_STACK without PF_X, what the kernel and ld.so obey. An object file (ET_REL) has no
 * program headers: its .note.GNU-stack section says what the link will get (no SHF_EXECINSTR: not executable; no
 * such section: GNU ld takes an executable stack, on x86 as elsewhere, binutils' "missing .note.GNU-stack").
 */
function nxStackOf(f: ElfFile, gnuStack: string | null): { nx: boolean; evidence: Evidence[] } {
  if (f.header.type !== ET_REL || gnuStack !== null) return { nx: gnuStack !== null && !gnuStack.includes('X'), evidence: [ev('PT_GNU_STACK', gnuStack)] };
  const note = f.sections.find((s) => s.name === '.note.GNU-stack');
  const flags = note === undefined ? null : note.flags & SHF_EXECINSTR ? 'X' : '';
  return { nx: flags === '', evidence: [ev('.note.GNU-stack', flags === null ? null : flags === 'X' ? 'SHF_EXECINSTR' : 'not executable')] };
}

export function elfFacts(path: string, f: ElfFile): ElfFacts {
  const h = f.header;
  const { flagsVal, flags1Val, bindNowTag, textrelTag, debugTag, symbolicTag } = dynamicFlags(f.dynamic ?? []);
  const dynamicTags: string[] = [];
  if (bindNowTag) dynamicTags.push('DT_BIND_NOW');
  if (textrelTag) dynamicTags.push('DT_TEXTREL');
  if (debugTag) dynamicTags.push('DT_DEBUG');
  if (symbolicTag) dynamicTags.push('DT_SYMBOLIC');
  const pie1 = (flags1Val & DF_1_PIE) !== 0;
  const eType = ET_NAMES[h.type] ?? `ET_${h.type}`;

  const { type, typeEv } = binaryType(f, pie1, eType);

  const warnings = [...f.warnings];
  const { linkage, linkEv } = linkageOf(f, type, eType, pie1, warnings);

  const pie = type === 'executable' ? h.type === ET_DYN : null;
  const pieEv: Evidence[] = pie === null ? [] : [ev('e_type', eType), ...(pie1 ? [ev('DF_1_PIE', true)] : [])];

  let stack: ElfFile['phdrs'][number] | undefined, hasRelro = false, tls = false;
  const segments: string[] = [];
  for (const p of f.phdrs) {
    if (p.type === PT_GNU_STACK) stack ??= p;
    else if (p.type === PT_GNU_RELRO) hasRelro = true;
    else if (p.type === PT_TLS) tls = true;
    segments.push(PT_NAMES[p.type] ?? `0x${p.type.toString(16)}`);
  }
  const gnuStack = stack ? `${stack.flags & PF_R ? 'R' : ''}${stack.flags & PF_W ? 'W' : ''}${stack.flags & PF_X ? 'X' : ''}` : null;
  const stackNx = nxStackOf(f, gnuStack);
  const bindNowEv: Evidence[] = [];
  if (bindNowTag) bindNowEv.push(ev('DT_BIND_NOW', true));
  if (flagsVal & DF_BIND_NOW) bindNowEv.push(ev('DT_FLAGS', 'BIND_NOW'));
  if (flags1Val & DF_1_NOW) bindNowEv.push(ev('DT_FLAGS_1', 'NOW'));
  const bindNow = bindNowEv.length > 0;
  const relro: Relro = hasRelro ? (bindNow ? 'full' : 'partial') : 'none';
  const textrelEv: Evidence[] = [];
  if (textrelTag) textrelEv.push(ev('DT_TEXTREL', true));
  if (flagsVal & DF_TEXTREL) textrelEv.push(ev('DT_FLAGS', 'TEXTREL'));

  const { buildId, goBuildId, abiTag, noteOwners } = noteFacts(f.notes, h.le);

  const libc = classifyLibc(f, noteOwners, linkage);
  const fl = versionFloors(f.versionNeeds);

  const split = (s: string | null) => (s === null ? [] : s.split(':'));
  const details: ElfDetails = {
    class: h.is64 ? 'ELF64' : 'ELF32', eType, machine: EM[h.machine]?.[0] ?? `EM_${h.machine}`, eMachine: h.machine,
    osabi: ELFOSABI[h.osabi] ?? `OSABI_${h.osabi}`, entry: h.entryHex ?? h.entry,
    segments, hasDynamic: f.dynamic !== null, relro: hasRelro, gnuStack, tls,
    flags: flagNames(flagsVal, DF_FLAGS), flags1: flagNames(flags1Val, DF_1_FLAGS), dynamicTags,
    versionNeeds: f.versionNeeds, floors: fl.floors, buildId, abiTag, noteOwners, goBuildId,
    comments: f.comments, hasSectionHeaders: f.sections.length > 0,
  };
  return {
    path, format: 'elf', arch: archName(h.machine, h.is64, h.le), bits: h.is64 ? 64 : 32, endian: h.le ? 'little' : 'big',
    type, linkage, pie, libc: libc.libc, interpreter: f.interp, needed: f.needed, rpath: split(f.rpath),
    runpath: split(f.runpath), soname: f.soname,
    hardening: { pie, relro, bindNow, nxStack: stackNx.nx, textrel: textrelEv.length > 0 },
    evidence: {
      type: typeEv, linkage: linkEv, pie: pieEv, libc: libc.evidence,
      relro: [ev('PT_GNU_RELRO', hasRelro), ...bindNowEv], bindNow: bindNowEv,
      nxStack: stackNx.evidence, textrel: textrelEv, glibcFloor: fl.evidence,
    },
    warnings, error: null, elf: details,
  };
}
