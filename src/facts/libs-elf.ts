import type { ByteSource } from '../bytes/source.js';
import { latin1 } from '../bytes/text.js';
import type { ElfFile } from '../formats/elf/index.js';
import { readElfSymbols, type ElfSymbols } from '../formats/elf/symbols.js';
import { scanRegions, type ScanRegion, type ScanResult } from '../formats/scan.js';
import { permissive } from '../formats/permissive.js';
import { PF_W, PF_X, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS } from '../formats/elf/constants.js';
import { PATTERN_RES, STRING_PATTERNS, WANTED_SYMBOLS } from './fingerprints.js';
import { judgeLibs, scanLibStrings, type LibsFacts } from './libs.js';
import type { Warning } from './types.js';

const EMPTY_SCAN: ScanResult = { matches: STRING_PATTERNS.map(() => []), where: STRING_PATTERNS.map(() => null), scanned: 0, truncated: true };

/**
 * Read-only sections that are tables of the toolchain's own, where no library's string literal is ever put: call
 * frame information (.eh_frame and its index, read by the unwinder), C++ exception tables, and Go's PC-line table
 * (function and Go source file names). Over /usr's ELF files they are 37% of the read-only bytes (.gopclntab 215 MiB,
 * .eh_frame 79 MiB of 845 MiB), and scanning them found nothing.
 */
const NOT_STRINGS = new Set(['.eh_frame', '.eh_frame_hdr', '.gcc_except_table', '.gopclntab']);

/**
 * Read-only data: allocated PROGBITS sections that are neither writable nor code (.rodata, .rodata.*), but for the
 * tables of NOT_STRINGS. Without section headers, the read-only PT_LOADs (or, for old single-segment layouts, the code
 * segment, where .rodata then lives).
 */
function readOnlyRegions(e: ElfFile): ScanRegion[] {
  const secs = e.sections.filter((s) => s.type === SHT_PROGBITS && (s.flags & SHF_ALLOC) && !(s.flags & (SHF_WRITE | SHF_EXECINSTR)));
  const data = secs.filter((s) => !NOT_STRINGS.has(s.name));
  // Section headers that name only such tables leave nothing to scan (the segments would hold those very tables).
  if (data.length || secs.length) return data.map((s) => ({ name: s.name || 'section', offset: s.offset, size: s.size }));
  const loads = e.phdrs.filter((p) => p.type === PT_LOAD && !(p.flags & PF_W));
  const ro = loads.filter((p) => !(p.flags & PF_X));
  return (ro.length ? ro : loads).map((p) => ({ name: 'PT_LOAD', offset: p.offset, size: p.filesz }));
}

/** Symbols (.symtab / .dynsym) and a capped scan of read-only data, judged against the fingerprints. */
export function elfLibs(src: ByteSource, e: ElfFile, warnings: Warning[]): LibsFacts {
  const syms = permissive<ElfSymbols>(warnings, 'elf.symbol-table', { tables: [], count: 0, symbols: [] },
    () => readElfSymbols(src, e.header, e.sections, WANTED_SYMBOLS));
  const regions = readOnlyRegions(e);
  const scan = permissive<ScanResult>(warnings, 'elf.rodata-scan', EMPTY_SCAN,
    () => scanLibStrings(syms.symbols, (skip) => scanRegions(src, regions, PATTERN_RES, 'elf', skip)));
  const objectText = (name: string): string | null => {
    const s = syms.symbols.find((x) => x.name === name && x.defined && x.size > 0 && x.size <= 64);
    const sec = s ? e.sections[s.shndx] : undefined;
    if (!s || !sec || sec.type === SHT_NOBITS || s.value < sec.addr || s.value + s.size > sec.addr + sec.size) return null;
    const off = sec.offset + (s.value - sec.addr);
    if (off + s.size > src.size) return null;
    const b = src.read(off, s.size, 'elf', name);
    const z = b.indexOf(0);
    return latin1(b, 0, z >= 0 ? z : b.length);
  };
  return judgeLibs({
    format: 'elf', needed: e.needed, soname: e.soname,
    symbolView: syms.tables.includes('.symtab') ? 'full' : syms.tables.length ? 'dynamic' : 'none',
    symbols: syms.symbols, scan, objectText,
  });
}
