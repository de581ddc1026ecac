import { limits } from '../../bytes/limits.js';
/**
 * PE/COFF constants, named as in the Microsoft PE format specification ("PE Format", learn.microsoft.com) and
 * winnt.h. Name tables map a value to its spec name without the common prefix.
 */

/** "MZ" (IMAGE_DOS_SIGNATURE) and the offset of e_lfanew in IMAGE_DOS_HEADER. */
export const IMAGE_DOS_SIGNATURE = 0x5a4d;
export const E_LFANEW_OFFSET = 0x3c;
export const IMAGE_DOS_HEADER_SIZE = 64;
/** "PE\0\0" */
export const IMAGE_NT_SIGNATURE = 0x00004550;
export const IMAGE_FILE_HEADER_SIZE = 20;

export const IMAGE_NT_OPTIONAL_HDR32_MAGIC = 0x10b;
export const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;
/** Offset of the first data directory: the fixed part of IMAGE_OPTIONAL_HEADER32 / IMAGE_OPTIONAL_HEADER64. */
export const OPTIONAL_HEADER32_FIXED = 96;
export const OPTIONAL_HEADER64_FIXED = 112;
export const IMAGE_NUMBEROF_DIRECTORY_ENTRIES = 16;
export const IMAGE_SIZEOF_SECTION_HEADER = 40;

/** IMAGE_FILE_MACHINE_*: [spec name, linkplan arch (ELF vocabulary)]. */
export const IMAGE_FILE_MACHINE: Record<number, [string, string]> = {
  0x0000: ['UNKNOWN', 'unknown'],
  0x014c: ['I386', 'i386'],
  0x8664: ['AMD64', 'x86_64'],
  0xaa64: ['ARM64', 'aarch64'],
  0xa641: ['ARM64EC', 'arm64ec'],
  0xa64e: ['ARM64X', 'aarch64'],
  0x01c0: ['ARM', 'arm'],
  0x01c2: ['THUMB', 'arm'],
  0x01c4: ['ARMNT', 'arm'],
  0x0200: ['IA64', 'ia64'],
  0x5032: ['RISCV32', 'riscv32'],
  0x5064: ['RISCV64', 'riscv64'],
  0x6264: ['LOONGARCH64', 'loongarch64'],
  0x0ebc: ['EBC', 'ebc'],
};

/** IMAGE_FILE_* (COFF header Characteristics). */
export const IMAGE_FILE_RELOCS_STRIPPED = 0x0001;
export const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
export const IMAGE_FILE_DLL = 0x2000;
export const IMAGE_FILE_CHARACTERISTICS: [number, string][] = [
  [0x0001, 'RELOCS_STRIPPED'], [0x0002, 'EXECUTABLE_IMAGE'], [0x0004, 'LINE_NUMS_STRIPPED'],
  [0x0008, 'LOCAL_SYMS_STRIPPED'], [0x0010, 'AGGRESSIVE_WS_TRIM'], [0x0020, 'LARGE_ADDRESS_AWARE'],
  [0x0080, 'BYTES_REVERSED_LO'], [0x0100, '32BIT_MACHINE'], [0x0200, 'DEBUG_STRIPPED'],
  [0x0400, 'REMOVABLE_RUN_FROM_SWAP'], [0x0800, 'NET_RUN_FROM_SWAP'], [0x1000, 'SYSTEM'], [0x2000, 'DLL'],
  [0x4000, 'UP_SYSTEM_ONLY'], [0x8000, 'BYTES_REVERSED_HI'],
];

/** IMAGE_DLLCHARACTERISTICS_* (optional header DllCharacteristics). */
export const IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA = 0x0020;
export const IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x0040;
export const IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY = 0x0080;
export const IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x0100;
export const IMAGE_DLLCHARACTERISTICS_NO_ISOLATION = 0x0200;
export const IMAGE_DLLCHARACTERISTICS_NO_SEH = 0x0400;
export const IMAGE_DLLCHARACTERISTICS_NO_BIND = 0x0800;
export const IMAGE_DLLCHARACTERISTICS_APPCONTAINER = 0x1000;
export const IMAGE_DLLCHARACTERISTICS_WDM_DRIVER = 0x2000;
export const IMAGE_DLLCHARACTERISTICS_GUARD_CF = 0x4000;
export const IMAGE_DLLCHARACTERISTICS_TERMINAL_SERVER_AWARE = 0x8000;
export const IMAGE_DLLCHARACTERISTICS: [number, string][] = [
  [IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA, 'HIGH_ENTROPY_VA'], [IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE, 'DYNAMIC_BASE'],
  [IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY, 'FORCE_INTEGRITY'], [IMAGE_DLLCHARACTERISTICS_NX_COMPAT, 'NX_COMPAT'],
  [IMAGE_DLLCHARACTERISTICS_NO_ISOLATION, 'NO_ISOLATION'], [IMAGE_DLLCHARACTERISTICS_NO_SEH, 'NO_SEH'],
  [IMAGE_DLLCHARACTERISTICS_NO_BIND, 'NO_BIND'], [IMAGE_DLLCHARACTERISTICS_APPCONTAINER, 'APPCONTAINER'],
  [IMAGE_DLLCHARACTERISTICS_WDM_DRIVER, 'WDM_DRIVER'], [IMAGE_DLLCHARACTERISTICS_GUARD_CF, 'GUARD_CF'],
  [IMAGE_DLLCHARACTERISTICS_TERMINAL_SERVER_AWARE, 'TERMINAL_SERVER_AWARE'],
];

/** IMAGE_SUBSYSTEM_* */
export const IMAGE_SUBSYSTEM: Record<number, string> = {
  0: 'UNKNOWN', 1: 'NATIVE', 2: 'WINDOWS_GUI', 3: 'WINDOWS_CUI', 5: 'OS2_CUI', 7: 'POSIX_CUI', 8: 'NATIVE_WINDOWS',
  9: 'WINDOWS_CE_GUI', 10: 'EFI_APPLICATION', 11: 'EFI_BOOT_SERVICE_DRIVER', 12: 'EFI_RUNTIME_DRIVER', 13: 'EFI_ROM',
  14: 'XBOX', 16: 'WINDOWS_BOOT_APPLICATION',
};

/** IMAGE_DIRECTORY_ENTRY_* (data directory indices). */
export const IMAGE_DIRECTORY_ENTRY_EXPORT = 0;
export const IMAGE_DIRECTORY_ENTRY_IMPORT = 1;
export const IMAGE_DIRECTORY_ENTRY_RESOURCE = 2;
export const IMAGE_DIRECTORY_ENTRY_EXCEPTION = 3;
/** The one directory whose "RVA" is a file offset (the Attribute Certificate Table is not mapped). */
export const IMAGE_DIRECTORY_ENTRY_SECURITY = 4;
export const IMAGE_DIRECTORY_ENTRY_BASERELOC = 5;
export const IMAGE_DIRECTORY_ENTRY_DEBUG = 6;
export const IMAGE_DIRECTORY_ENTRY_TLS = 9;
export const IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG = 10;
export const IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT = 11;
export const IMAGE_DIRECTORY_ENTRY_IAT = 12;
export const IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT = 13;
export const IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR = 14;
export const IMAGE_DIRECTORY_NAMES = [
  'EXPORT', 'IMPORT', 'RESOURCE', 'EXCEPTION', 'SECURITY', 'BASERELOC', 'DEBUG', 'ARCHITECTURE', 'GLOBALPTR', 'TLS',
  'LOAD_CONFIG', 'BOUND_IMPORT', 'IAT', 'DELAY_IMPORT', 'COM_DESCRIPTOR', 'RESERVED',
];

/** IMAGE_SCN_* (section Characteristics) used as evidence. */
export const IMAGE_SCN_CNT_CODE = 0x00000020;
export const IMAGE_SCN_MEM_EXECUTE = 0x20000000;
/** Not loaded with the image: .reloc and the DWARF sections MinGW leaves (named /4, /19: COFF string table names). */
export const IMAGE_SCN_MEM_DISCARDABLE = 0x02000000;
export const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040;
export const IMAGE_SCN_MEM_READ = 0x40000000;
export const IMAGE_SCN_MEM_WRITE = 0x80000000;
/** An alignment value of the IMAGE_SCN_ALIGN_* field (bits 20-23), ignored when Go looks for its data section. */
export const IMAGE_SCN_ALIGN_32BYTES = 0x00600000;

/** IMAGE_IMPORT_DESCRIPTOR, IMAGE_DELAYLOAD_DESCRIPTOR, IMAGE_EXPORT_DIRECTORY, IMAGE_DEBUG_DIRECTORY sizes. */
export const IMAGE_IMPORT_DESCRIPTOR_SIZE = 20;
export const IMAGE_DELAYLOAD_DESCRIPTOR_SIZE = 32;
export const IMAGE_EXPORT_DIRECTORY_SIZE = 40;
export const IMAGE_DEBUG_DIRECTORY_SIZE = 28;
/** IMAGE_ORDINAL_FLAG32 / IMAGE_ORDINAL_FLAG64: the thunk names an ordinal, not a hint/name entry. */
export const IMAGE_ORDINAL_FLAG32 = 0x80000000;
/** IMAGE_ORDINAL_FLAG64 (bit 63) as seen in the high 32-bit half of a little-endian 64-bit thunk. */
export const IMAGE_ORDINAL_FLAG64_HI = 0x80000000;
/** delayimp.h: dlattrRva — the descriptor holds RVAs (VC 7+); without it, VAs (VC 6 "version 1" descriptors). */
export const DLATTR_RVA = 0x1;

/** IMAGE_DEBUG_TYPE_* */
export const IMAGE_DEBUG_TYPE_CODEVIEW = 2;
export const IMAGE_DEBUG_TYPE: Record<number, string> = {
  0: 'UNKNOWN', 1: 'COFF', 2: 'CODEVIEW', 3: 'FPO', 4: 'MISC', 5: 'EXCEPTION', 6: 'FIXUP', 7: 'OMAP_TO_SRC',
  8: 'OMAP_FROM_SRC', 9: 'BORLAND', 10: 'RESERVED10', 11: 'CLSID', 12: 'VC_FEATURE', 13: 'POGO', 14: 'ILTCG',
  15: 'MPX', 16: 'REPRO', 17: 'EMBEDDED_PORTABLE_PDB', 19: 'PDBCHECKSUM', 20: 'EX_DLLCHARACTERISTICS',
};
/** CodeView signatures: "RSDS" (PDB 7.0) and "NB10" (PDB 2.0). */
export const CV_SIGNATURE_RSDS = 0x53445352;
export const CV_SIGNATURE_NB10 = 0x3031424e;

/** IMAGE_LOAD_CONFIG_DIRECTORY32/64 field offsets (winnt.h). */
export const LOAD_CONFIG_SECURITY_COOKIE = { pe32: 0x3c, pe64: 0x58 };
export const LOAD_CONFIG_SE_HANDLER_COUNT = { pe32: 0x44, pe64: 0x68 };
export const LOAD_CONFIG_GUARD_CF_FUNCTION_COUNT = { pe32: 0x54, pe64: 0x88 };
export const LOAD_CONFIG_GUARD_FLAGS = { pe32: 0x58, pe64: 0x90 };

/** IMAGE_GUARD_* (load config GuardFlags). The top nibble is the function-table stride, not a flag. */
export const IMAGE_GUARD_CF_INSTRUMENTED = 0x00000100;
export const IMAGE_GUARD_FLAGS: [number, string][] = [
  [0x00000100, 'CF_INSTRUMENTED'], [0x00000200, 'CFW_INSTRUMENTED'], [0x00000400, 'CF_FUNCTION_TABLE_PRESENT'],
  [0x00000800, 'SECURITY_COOKIE_UNUSED'], [0x00001000, 'PROTECT_DELAYLOAD_IAT'],
  [0x00002000, 'DELAYLOAD_IAT_IN_ITS_OWN_SECTION'], [0x00004000, 'CF_EXPORT_SUPPRESSION_INFO_PRESENT'],
  [0x00008000, 'CF_ENABLE_EXPORT_SUPPRESSION'], [0x00010000, 'CF_LONGJUMP_TABLE_PRESENT'],
  [0x00020000, 'RF_INSTRUMENTED'], [0x00040000, 'RF_ENABLE'], [0x00080000, 'RF_STRICT'],
  [0x00100000, 'RETPOLINE_PRESENT'], [0x00400000, 'EH_CONTINUATION_TABLE_PRESENT'], [0x00800000, 'XFG_ENABLED'],
  [0x01000000, 'CASTGUARD_PRESENT'], [0x02000000, 'MEMCPY_PRESENT'],
];

/** Rich header markers (undocumented; written by MSVC link.exe between the DOS stub and the PE header). */
export const RICH_SIGNATURE = 0x68636952; // "Rich"
export const DANS_SIGNATURE = 0x536e6144; // "DanS"

/** Go's linker writes its build ID at the start of the text section of non-ELF binaries (cmd/link textbuildid). */
export const GO_BUILD_ID_PREFIX = '\xff Go build ID: "';

/**
 * Go's runtime/debug build info header (Go 1.13+; cmd/link writes it, debug/buildinfo reads it): this 14-byte magic
 * at a 16-byte-aligned offset of the data section, then ptrSize and flags bytes; 32 bytes in all. With
 * GO_BUILDINFO_FLAGS_VERSION_INLINE (Go 1.18+) the version follows as a uvarint-prefixed string.
 */
export const GO_BUILDINFO_MAGIC = '\xff Go buildinf:';
export const GO_BUILDINFO_ALIGN = 16;
export const GO_BUILDINFO_HEADER_SIZE = 32;
export const GO_BUILDINFO_FLAGS_VERSION_INLINE = 0x2;

/**
 * PE-only ceilings, far above anything a toolchain emits (the shared ones — import descriptors, imports per DLL,
 * sections — are in bytes/limits.ts).
 */
/** PE's ceilings live with the others in bytes/limits.ts. */
export const PE_LIMITS = limits.pe;

export { flagNames } from '../flags.js';
