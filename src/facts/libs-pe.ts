import type { ByteSource } from '../bytes/source.js';
import type { PeFile } from '../formats/pe/index.js';
import { Image } from '../formats/pe/sections.js';
import { readExportNames } from '../formats/pe/exports.js';
import { readCoffSymbols, type CoffSymbol } from '../formats/pe/coff-symbols.js';
import {
  IMAGE_DIRECTORY_ENTRY_EXPORT, IMAGE_SCN_CNT_INITIALIZED_DATA, IMAGE_SCN_MEM_DISCARDABLE, IMAGE_SCN_MEM_EXECUTE, IMAGE_SCN_MEM_WRITE,
} from '../formats/pe/constants.js';
import { scanRegions, type ScanResult } from '../formats/scan.js';
import { permissive } from '../formats/permissive.js';
import { PATTERN_RES, STRING_PATTERNS, WANTED_SYMBOLS } from './fingerprints.js';
import { judgeLibs, scanLibStrings, type LibsFacts } from './libs.js';
import type { Warning } from './types.js';

const EMPTY_SCAN: ScanResult = { matches: STRING_PATTERNS.map(() => []), where: STRING_PATTERNS.map(() => null), scanned: 0, truncated: true };

/**
 * PE: exported names (a DLL built with a vendored library often re-exports it), the COFF symbol table where the
 * image kept one (unstripped MinGW builds), and a capped scan of read-only initialized data (.rdata). Only with
 * COFF symbols is the view complete, so only then can a library be `absent`; otherwise a library not found is
 * `unknown`. Read-only data: initialized, neither writable nor code, nor discardable.
 */
export function peLibs(src: ByteSource, pe: PeFile, needed: string[], warnings: Warning[]): LibsFacts {
  const ex = pe.directories[IMAGE_DIRECTORY_ENTRY_EXPORT];
  const names = !ex || ex.rva === 0 || ex.size === 0 ? [] : permissive<string[]>(warnings, 'pe.export-names', [],
    () => readExportNames(new Image(src, pe.sections, pe.optional.sizeOfHeaders), ex.rva, WANTED_SYMBOLS));
  // Discardable sections are not part of the loaded image (as ELF's sections without SHF_ALLOC, which its scan never
  // reads): wine's MinGW-built DLLs carry 432 MiB of DWARF among 504 MiB of read-only data, where no string was found.
  const regions = pe.sections
    .filter((s) => s.characteristics & IMAGE_SCN_CNT_INITIALIZED_DATA && s.sizeOfRawData > 0)
    .filter((s) => !(s.characteristics & (IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_DISCARDABLE)))
    .map((s) => ({ name: s.name || 'section', offset: s.pointerToRawData, size: s.sizeOfRawData }));
  const coff = permissive<CoffSymbol[] | null>(warnings, 'pe.coff-symbols', null,
    () => (pe.coff.numberOfSymbols ? readCoffSymbols(src, pe.coff.pointerToSymbolTable, pe.coff.numberOfSymbols, pe.coff.machine, WANTED_SYMBOLS) : null));
  const symbols = [
    ...names.map((name) => ({ name, defined: true, binding: 'GLOBAL', table: 'exports' })),
    ...(coff ?? []).map((c) => ({ ...c, table: 'COFF' })),
  ];
  const scan = permissive<ScanResult>(warnings, 'pe.rdata-scan', EMPTY_SCAN,
    () => scanLibStrings(symbols, (skip) => scanRegions(src, regions, PATTERN_RES, 'pe', skip)));
  return judgeLibs({
    format: 'pe', needed, soname: pe.exports?.dllName || null, symbolView: coff ? 'full' : 'dynamic', symbols, scan, objectText: () => null,
  });
}
