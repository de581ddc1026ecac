import type { ByteSource } from '../../bytes/source.js';
import { isMalformed } from '../../bytes/errors.js';
import type { Warning } from '../../bytes/warning.js';
import { latin1 } from '../../bytes/text.js';
import { permissive } from '../permissive.js';
import { readDosHeader } from './dos-header.js';
import { readRichHeader, type RichHeader } from './rich.js';
import { readCoffHeader, type CoffHeader } from './coff-header.js';
import { readOptionalHeader, type DataDirectory, type OptionalHeader } from './optional-header.js';
import { Image, longSectionNames, readSectionHeaders, type SectionHeader } from './sections.js';
import { readImports, type ImportedDll } from './imports.js';
import { readDelayImports } from './delay-imports.js';
import { readExports, type ExportDirectory } from './exports.js';
import { readDebugDirectory, type DebugDirectory } from './debug-directory.js';
import { readLoadConfig, type LoadConfig } from './load-config.js';
import {
  GO_BUILD_ID_PREFIX, GO_BUILDINFO_ALIGN, GO_BUILDINFO_FLAGS_VERSION_INLINE, GO_BUILDINFO_HEADER_SIZE, GO_BUILDINFO_MAGIC,
  IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR, IMAGE_SCN_ALIGN_32BYTES, IMAGE_SCN_CNT_INITIALIZED_DATA, IMAGE_SCN_MEM_READ,
  IMAGE_SCN_MEM_WRITE, PE_LIMITS, IMAGE_DIRECTORY_ENTRY_DEBUG, IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT,
  IMAGE_DIRECTORY_ENTRY_EXPORT, IMAGE_DIRECTORY_ENTRY_IMPORT, IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG,
  IMAGE_DIRECTORY_ENTRY_SECURITY, IMAGE_FILE_HEADER_SIZE, IMAGE_SCN_CNT_CODE, IMAGE_SCN_MEM_EXECUTE,
} from './constants.js';

export type { ImportedDll, ImportedSymbol } from './imports.js';

/** Everything linkplan reads from a PE image, still in the format's own terms. facts/from-pe.ts turns it into facts. */
export interface PeFile {
  lfanew: number;
  rich: RichHeader | null;
  coff: CoffHeader;
  optional: OptionalHeader;
  sections: SectionHeader[];
  /** Import descriptors in load order, names as written (duplicates differing in case are kept). */
  imports: ImportedDll[];
  delayImports: ImportedDll[];
  exports: ExportDirectory | null;
  debug: DebugDirectory | null;
  loadConfig: LoadConfig | null;
  /** IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR present: a .NET (CLR) image. */
  clr: boolean;
  /** The Attribute Certificate Table (Authenticode signature), by file offset. */
  certificate: { offset: number; size: number } | null;
  /** Bytes after the last section's raw data (certificates, COFF symbols, installers' payloads). */
  overlay: { offset: number; size: number } | null;
  /** Go's build ID from the start of the text section, null when there is none. */
  goBuildId: string | null;
  /** Go's build info header in the data section (present with or without a build ID), null when there is none. */
  goBuildInfo: GoBuildInfo | null;
  hasCode: boolean;
  /** A separate debug file (objcopy --only-keep-debug): code sections keep their VirtualSize but no raw data. */
  debugInfoOnly: boolean;
  /** Each data directory with the file offset its RVA maps to (null when absent or unmapped); tests use it. */
  directories: (DataDirectory & { offset: number | null })[];
  warnings: Warning[];
}

/** `bytes` at `at` hold `text` (ASCII and U+00FF only: the one byte each of those decodes from in latin1). */
function bytesAre(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function goBuildId(src: ByteSource, sections: SectionHeader[]): string | null {
  const text = sections.find((s) => s.characteristics & IMAGE_SCN_MEM_EXECUTE && s.sizeOfRawData > 0);
  if (!text || text.pointerToRawData >= src.size) return null;
  const b = src.read(text.pointerToRawData, Math.min(128, text.sizeOfRawData, src.size - text.pointerToRawData), 'pe', 'text section');
  if (!bytesAre(b, 0, GO_BUILD_ID_PREFIX)) return null;
  const end = b.indexOf(0x22, GO_BUILD_ID_PREFIX.length); // '"'
  return end < 0 ? null : latin1(b, GO_BUILD_ID_PREFIX.length, end);
}

/** Where Go's build info header sits, and the Go version it names when written inline (Go 1.18+). */
export interface GoBuildInfo {
  section: string;
  /** File offset of the magic. */
  offset: number;
  version: string | null;
}

/**
 * Go's build info, found the way Go's own debug/buildinfo finds it in a PE file: the data section is the first
 * section whose Characteristics, alignment aside, are exactly CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE (`.data`;
 * peExe.DataStart), and the magic is searched for at 16-byte-aligned offsets of its first 64 KiB. A Go binary built
 * with `-buildid=` (or stripped of it) still has this header: cmd/link always writes runtime.buildinfo.
 */
function goBuildInfo(src: ByteSource, sections: SectionHeader[]): GoBuildInfo | null {
  const want = (IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE) >>> 0;
  const data = sections.find((s) => s.virtualAddress !== 0 && s.sizeOfRawData !== 0 && ((s.characteristics & ~IMAGE_SCN_ALIGN_32BYTES) >>> 0) === want);
  if (!data || data.pointerToRawData >= src.size) return null;
  const n = Math.min(PE_LIMITS.maxGoBuildInfoScanBytes, data.sizeOfRawData, data.virtualSize || data.sizeOfRawData, src.size - data.pointerToRawData);
  const bytes = src.read(data.pointerToRawData, n, 'pe', 'data section');
  // The bytes themselves, not a decoded copy: the magic is only looked for at aligned offsets, and most files have none.
  for (let at = 0; at + GO_BUILDINFO_HEADER_SIZE <= bytes.length; at += GO_BUILDINFO_ALIGN) {
    if (bytes[at] !== 0xff || !bytesAre(bytes, at, GO_BUILDINFO_MAGIC)) continue;
    let version: string | null = null;
    if (bytes[at + 15] & GO_BUILDINFO_FLAGS_VERSION_INLINE) {
      // decodeString: a uvarint length, then the bytes ("go1.23.5"). A version is short; anything else is not one.
      const len = bytes[at + GO_BUILDINFO_HEADER_SIZE];
      const from = at + GO_BUILDINFO_HEADER_SIZE + 1;
      const v = len !== undefined && len < 0x80 ? latin1(bytes, from, Math.min(from + len, bytes.length)) : '';
      if (len !== undefined && v.length === len && /^[\x21-\x7e]+$/.test(v)) version = v;
    }
    return { section: data.name, offset: data.pointerToRawData + at, version };
  }
  return null;
}

export function readPe(src: ByteSource): PeFile {
  const { lfanew } = readDosHeader(src);
  const coff = readCoffHeader(src, lfanew);
  const optOffset = lfanew + 4 + IMAGE_FILE_HEADER_SIZE;
  const optional = readOptionalHeader(src, optOffset, coff.sizeOfOptionalHeader);
  const sections = longSectionNames(src, readSectionHeaders(src, optOffset + coff.sizeOfOptionalHeader, coff.numberOfSections),
    coff.pointerToSymbolTable, coff.numberOfSymbols);
  const img = new Image(src, sections, optional.sizeOfHeaders);
  const warnings: Warning[] = [];
  const dir = (i: number): DataDirectory | null => {
    const d = optional.dataDirectories[i];
    return d && d.rva !== 0 ? d : null;
  };

  for (const s of sections) {
    if (s.sizeOfRawData > 0 && (s.pointerToRawData > src.size || s.sizeOfRawData > src.size - s.pointerToRawData)) {
      warnings.push({
        code: 'pe.section-truncated',
        detail: `section ${JSON.stringify(s.name)} raw data (${s.sizeOfRawData} bytes at ${s.pointerToRawData}) ` +
          `runs past the end of the file (${src.size} bytes)`,
        offset: s.pointerToRawData,
      });
    }
  }

  const rich = permissive<RichHeader | null>(warnings, 'pe.rich-header', null, () => readRichHeader(src, lfanew));

  // The import directory is what `needed` rests on: a broken one makes the file malformed, as a broken
  // PT_DYNAMIC does for ELF. The other directories are optional and only cost a warning.
  const imp = dir(IMAGE_DIRECTORY_ENTRY_IMPORT);
  const imports = imp ? readImports(img, imp.rva, optional.is64) : [];

  const di = dir(IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT);
  const delayImports = di
    ? permissive<ImportedDll[]>(warnings, 'pe.delay-imports', [], () => readDelayImports(img, di.rva, optional.is64, optional.imageBase))
    : [];

  const ex = dir(IMAGE_DIRECTORY_ENTRY_EXPORT);
  const exports = ex ? permissive<ExportDirectory | null>(warnings, 'pe.exports', null, () => readExports(img, ex.rva)) : null;

  const dd = dir(IMAGE_DIRECTORY_ENTRY_DEBUG);
  const debug = dd ? permissive<DebugDirectory | null>(warnings, 'pe.debug-directory', null, () => readDebugDirectory(src, img, dd.rva, dd.size)) : null;

  const lc = dir(IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG);
  const loadConfig = lc ? permissive<LoadConfig | null>(warnings, 'pe.load-config', null, () => readLoadConfig(img, lc.rva, optional.is64)) : null;

  const sec = dir(IMAGE_DIRECTORY_ENTRY_SECURITY);
  const certificate = sec && sec.size > 0 ? { offset: sec.rva, size: sec.size } : null;
  if (certificate && (certificate.offset > src.size || certificate.size > src.size - certificate.offset)) {
    warnings.push({
      code: 'pe.certificate-table',
      detail: `certificate table (${certificate.size} bytes at ${certificate.offset}) runs past the end of the file (${src.size} bytes)`,
      offset: certificate.offset,
    });
  }

  const rawEnd = sections.reduce((m, s) => (s.sizeOfRawData > 0 ? Math.max(m, s.pointerToRawData + s.sizeOfRawData) : m), optional.sizeOfHeaders);
  const overlay = rawEnd < src.size ? { offset: rawEnd, size: src.size - rawEnd } : null;

  let go: string | null = null, goInfo: GoBuildInfo | null = null;
  try {
    go = goBuildId(src, sections);
  } catch (e) {
    if (!isMalformed(e)) throw e; // a truncated text section is already a pe.section-truncated warning
  }
  try {
    goInfo = goBuildInfo(src, sections);
  } catch (e) {
    if (!isMalformed(e)) throw e; // likewise a truncated data section
  }

  const directories = optional.dataDirectories.map((d, i) => ({
    rva: d.rva, size: d.size,
    offset: d.rva === 0 ? null : i === IMAGE_DIRECTORY_ENTRY_SECURITY ? d.rva : (img.locate(d.rva)?.offset ?? null),
  }));

  const code = sections.filter((s) => (s.characteristics & (IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_CNT_CODE)) !== 0);
  const debugInfoOnly = code.length > 0 && code.every((s) => s.sizeOfRawData === 0 && s.virtualSize > 0);

  return {
    lfanew, rich, coff, optional, sections, imports, delayImports, exports, debug, loadConfig,
    clr: dir(IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR) !== null, certificate, overlay, goBuildId: go, goBuildInfo: goInfo,
    hasCode: code.length > 0, debugInfoOnly, directories, warnings,
  };
}
