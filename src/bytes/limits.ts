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
  maxNotes: 4096,
  /** Total bytes of .comment read as toolchain evidence. */
  maxCommentBytes: 64 * 1024,
  maxCommentStrings: 64,
  /** PE */
  maxImportDescriptors: 4096,
  maxImportsPerDll: 65_536,
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
    /** Bytes of IMAGE_LOAD_CONFIG_DIRECTORY read (the structure grows with each Windows release; 0x148 in 2022). */
    maxLoadConfigBytes: 0x400,
    /** Thunks and descriptors are read in chunks of this many entries. */
    chunkEntries: 64,
  },
  /** Mach-O */
  maxLoadCommands: 65_536,
  maxFatArches: 64,
} as const;
