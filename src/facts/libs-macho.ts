import type { ByteSource } from '../bytes/source.js';
import type { MachoFile } from '../formats/macho/index.js';
import { readMachoExports, readMachoSymbols, type MachoSymbol } from '../formats/macho/symbols.js';
import { scanRegions, type ScanResult } from '../formats/scan.js';
import { permissive } from '../formats/permissive.js';
import { PATTERN_RES, STRING_PATTERNS, WANTED_SYMBOLS } from './fingerprints.js';
import { judgeLibs, scanLibStrings, type LibsFacts } from './libs.js';
import type { Warning } from './types.js';

const EMPTY_SCAN: ScanResult = { matches: STRING_PATTERNS.map(() => []), where: STRING_PATTERNS.map(() => null), scanned: 0, truncated: true };

/**
 * Mach-O: LC_SYMTAB (nlist) and a capped scan of __TEXT,__cstring / __const. `strip` keeps the external symbols
 * dyld needs and drops the rest, so only an image with local symbols left counts as a full view (absent provable).
 */
export function machoLibs(src: ByteSource, m: MachoFile, needed: string[], installName: string | null, warnings: Warning[]): LibsFacts {
  const syms = permissive<MachoSymbol[]>(warnings, 'macho.symbol-table', [], () => readMachoSymbols(src, m, WANTED_SYMBOLS));
  // The exports trie names what the image exports even when its symbol table is gone (strip -x keeps neither).
  const exported = permissive<MachoSymbol[]>(warnings, 'macho.exports-trie', [], () => readMachoExports(src, m, WANTED_SYMBOLS));
  const regions = m.lc.roSections.map((s) => ({ name: s.name, offset: m.header.offset + s.offset, size: Math.min(s.size, Math.max(0, m.size - s.offset)) }));
  const symbols = [...syms.map((s) => ({ ...s, table: 'LC_SYMTAB' })), ...exported.map((s) => ({ ...s, table: 'exports trie' }))];
  const scan = permissive<ScanResult>(warnings, 'macho.cstring-scan', EMPTY_SCAN,
    () => scanLibStrings(symbols, (skip) => scanRegions(src, regions, PATTERN_RES, 'macho', skip)));
  // Without local symbols we cannot tell an unstripped image from a stripped one: never claim absence.
  const view = (m.lc.symtab && m.lc.symtab.nsyms > 0) || exported.length || m.lc.exportTrie ? 'dynamic' : 'none';
  return judgeLibs({ format: 'macho', needed, soname: installName, symbolView: view, symbols, scan, objectText: () => null });
}
