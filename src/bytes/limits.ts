/**
 * Ceilings checked before any allocation or loop driven by a count read from a file (goblin's rule:
 * `if (count > remaining / entrySize) throw`). Values are far above anything a real toolchain emits, so only
 * hostile or corrupt input reaches them.
 */
export const limits = {
  /** First read of every file: headers, program headers / load commands usually sit here. */
  headBytes: 4096,
  /** Largest single structure we read in one go (a section header table, a dynamic segment, a notes segment). */
  maxStructBytes: 16 * 1024 * 1024,
  /** Strings (paths, library names, version names). PATH_MAX is 4096 on Linux; 64 KiB covers any sane rpath. */
  maxStringBytes: 64 * 1024,
  /** Program headers / section headers. e_phnum is 16 bits anyway; PN_XNUM lets it grow, so cap it. */
  maxProgramHeaders: 65_536,
  maxSectionHeaders: 65_536,
  maxDynamicEntries: 1 << 20,
  maxVersionNeeds: 4096,
  maxVersionAux: 65_536,
  /**
   * Bytes one string table may hand out in a file (DT_NEEDED, DT_SONAME, rpaths, version names; repeats included):
   * real files use a few KiB. Without it, many entries naming one long string cost entries × length.
   * See `budget()`: the ceiling also scales with the file, so a small file cannot make us read megabytes.
   */
  maxStringTableBytes: 16 * 1024 * 1024,
  /** Notes across all PT_NOTE segments (or SHT_NOTE sections), and the bytes read for them: many headers may name one region. */
  maxNotes: 4096,
  maxNoteBytes: 1024 * 1024,
  /** Total bytes of .comment read as toolchain evidence. */
  maxCommentBytes: 64 * 1024,
  maxCommentStrings: 64,
  /** PE */
  maxImportDescriptors: 4096,
  maxImportsPerDll: 65_536,
  /**
   * Imported functions across all import and delay-import descriptors, which may share one thunk table. Also at
   * most 1,024 + file size / 4: every distinct non-zero thunk takes 4 bytes of the file.
   */
  maxImportsTotal: 1 << 18,
  maxSections: 96 * 16,
  /** PE: the rest. */
  pe: {
    /** The DOS stub region scanned for a Rich header. link.exe puts it right after a 0x40..0x80-byte stub. */
    maxRichScanBytes: 8 * 1024,
    maxRichEntries: 1024,
    maxDebugEntries: 256,
    maxDelayDescriptors: 4096,
    /** DLL and function names; the loader's own limit for a module name is MAX_PATH-ish, symbols can be long (C++). */
    maxNameBytes: 4096,
    /** Bytes read for names (DLL, function, export) in one image, repeats included; scaled by `budget()`. */
    maxNameReadBytes: 32 * 1024 * 1024,
    /** Bytes of IMAGE_LOAD_CONFIG_DIRECTORY read (the structure grows with each Windows release; 0x148 in 2022). */
    maxLoadConfigBytes: 0x400,
    /** Thunks and descriptors are read in chunks of this many entries. */
    chunkEntries: 64,
    /** Bytes of the data section searched for Go's build info magic: what Go's own debug/buildinfo searches. */
    maxGoBuildInfoScanBytes: 64 * 1024,
  },
  /**
   * Symbols and read-only data, read only when asked (`inspect --libs`, a plan with libs rules, cyclonedx, audit).
   * Symbol entries across all tables of one file; libcrypto.a linked in brings ~10,000, a browser ~1,000,000.
   */
  maxSymbols: 1 << 22,
  /** Symbol entries are read this many at a time, so a table costs a chunk of memory, not its size. */
  symbolChunkEntries: 4096,
  /** One symbol string table read whole (names are compared in place, not decoded one by one). */
  maxSymbolStringBytes: 64 * 1024 * 1024,
  /** Read-only data scanned for version strings per file, in chunks with an overlap for strings that straddle two. */
  maxScanBytes: 32 * 1024 * 1024,
  scanChunkBytes: 1024 * 1024,
  scanOverlapBytes: 256,
  /** Distinct matches kept per pattern: a version string appears a handful of times. */
  maxScanMatches: 16,
  /** Mach-O */
  maxLoadCommands: 65_536,
  maxFatArches: 64,
} as const;

/**
 * A per-file budget for reads that entries can repeat (strings named from many entries): the ceiling, or 1 MiB plus
 * four times the file's size when that is less. A real file's names are a fraction of its own bytes, so only
 * hostile ones reach it, and then a small file costs at most a few times its size.
 */
export function budget(ceiling: number, fileSize: number): number {
  return Math.min(ceiling, 1024 * 1024 + 4 * fileSize);
}
