/**
 * Mach-O constants, named as in Apple's headers: mach-o/loader.h (header, filetypes, flags, load commands,
 * platforms, tools), mach-o/fat.h (universal files) and mach/machine.h (CPU types and subtypes).
 */

// ---------------------------------------------------------------- mach-o/loader.h: magic numbers
export const MH_MAGIC = 0xfeedface;
export const MH_CIGAM = 0xcefaedfe;
export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_CIGAM_64 = 0xcffaedfe;
/** sizeof(struct mach_header) / sizeof(struct mach_header_64). */
export const MACH_HEADER_SIZE = 28;
export const MACH_HEADER_64_SIZE = 32;

// ---------------------------------------------------------------- mach-o/fat.h
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;
/** sizeof(struct fat_header), sizeof(struct fat_arch), sizeof(struct fat_arch_64). */
export const FAT_HEADER_SIZE = 8;
export const FAT_ARCH_SIZE = 20;
export const FAT_ARCH_64_SIZE = 32;

// ---------------------------------------------------------------- filetype
export const MH_OBJECT = 0x1;
export const MH_EXECUTE = 0x2;
export const MH_FVMLIB = 0x3;
export const MH_CORE = 0x4;
export const MH_PRELOAD = 0x5;
export const MH_DYLIB = 0x6;
export const MH_DYLINKER = 0x7;
export const MH_BUNDLE = 0x8;
export const MH_DYLIB_STUB = 0x9;
export const MH_DSYM = 0xa;
export const MH_KEXT_BUNDLE = 0xb;
export const MH_FILESET = 0xc;

export const MH_FILETYPE_NAMES: Record<number, string> = {
  0x1: 'MH_OBJECT', 0x2: 'MH_EXECUTE', 0x3: 'MH_FVMLIB', 0x4: 'MH_CORE', 0x5: 'MH_PRELOAD', 0x6: 'MH_DYLIB',
  0x7: 'MH_DYLINKER', 0x8: 'MH_BUNDLE', 0x9: 'MH_DYLIB_STUB', 0xa: 'MH_DSYM', 0xb: 'MH_KEXT_BUNDLE',
  0xc: 'MH_FILESET', 0xd: 'MH_GPU_EXECUTE', 0xe: 'MH_GPU_DYLIB',
};

// ---------------------------------------------------------------- header flags
export const MH_NOUNDEFS = 0x1;
export const MH_DYLDLINK = 0x4;
export const MH_TWOLEVEL = 0x80;
export const MH_PIE = 0x200000;

export const MH_FLAGS: [number, string][] = [
  [0x1, 'MH_NOUNDEFS'], [0x2, 'MH_INCRLINK'], [0x4, 'MH_DYLDLINK'], [0x8, 'MH_BINDATLOAD'], [0x10, 'MH_PREBOUND'],
  [0x20, 'MH_SPLIT_SEGS'], [0x40, 'MH_LAZY_INIT'], [0x80, 'MH_TWOLEVEL'], [0x100, 'MH_FORCE_FLAT'],
  [0x200, 'MH_NOMULTIDEFS'], [0x400, 'MH_NOFIXPREBINDING'], [0x800, 'MH_PREBINDABLE'], [0x1000, 'MH_ALLMODSBOUND'],
  [0x2000, 'MH_SUBSECTIONS_VIA_SYMBOLS'], [0x4000, 'MH_CANONICAL'], [0x8000, 'MH_WEAK_DEFINES'],
  [0x10000, 'MH_BINDS_TO_WEAK'], [0x20000, 'MH_ALLOW_STACK_EXECUTION'], [0x40000, 'MH_ROOT_SAFE'],
  [0x80000, 'MH_SETUID_SAFE'], [0x100000, 'MH_NO_REEXPORTED_DYLIBS'], [0x200000, 'MH_PIE'],
  [0x400000, 'MH_DEAD_STRIPPABLE_DYLIB'], [0x800000, 'MH_HAS_TLV_DESCRIPTORS'], [0x1000000, 'MH_NO_HEAP_EXECUTION'],
  [0x2000000, 'MH_APP_EXTENSION_SAFE'], [0x4000000, 'MH_NLIST_OUTOFSYNC_WITH_DYLDINFO'], [0x8000000, 'MH_SIM_SUPPORT'],
  [0x80000000, 'MH_DYLIB_IN_CACHE'],
];

// ---------------------------------------------------------------- load commands
/** Set on commands dyld must understand to load the image at all (values below are written out with it or'ed in:
 * `x | LC_REQ_DYLD` is a negative int32 in JavaScript, while cmd is read unsigned). */
export const LC_REQ_DYLD = 0x80000000;

export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_UNIXTHREAD = 0x5;
export const LC_LOAD_DYLIB = 0xc;
export const LC_ID_DYLIB = 0xd;
export const LC_LOAD_DYLINKER = 0xe;
export const LC_ID_DYLINKER = 0xf;
export const LC_LOAD_WEAK_DYLIB = 0x80000018;
export const LC_SEGMENT_64 = 0x19;
export const LC_UUID = 0x1b;
export const LC_RPATH = 0x8000001c;
export const LC_CODE_SIGNATURE = 0x1d;
export const LC_REEXPORT_DYLIB = 0x8000001f;
export const LC_LAZY_LOAD_DYLIB = 0x20;
export const LC_ENCRYPTION_INFO = 0x21;
export const LC_DYLD_INFO = 0x22;
export const LC_DYLD_INFO_ONLY = 0x80000022;
export const LC_LOAD_UPWARD_DYLIB = 0x80000023;
export const LC_VERSION_MIN_MACOSX = 0x24;
export const LC_VERSION_MIN_IPHONEOS = 0x25;
export const LC_DYLD_ENVIRONMENT = 0x27;
export const LC_MAIN = 0x80000028;
export const LC_ENCRYPTION_INFO_64 = 0x2c;
export const LC_VERSION_MIN_TVOS = 0x2f;
export const LC_VERSION_MIN_WATCHOS = 0x30;
export const LC_BUILD_VERSION = 0x32;
export const LC_DYLD_EXPORTS_TRIE = 0x80000033;
export const LC_DYLD_CHAINED_FIXUPS = 0x80000034;

export const LC_NAMES: Record<number, string> = {
  0x1: 'LC_SEGMENT', 0x2: 'LC_SYMTAB', 0x3: 'LC_SYMSEG', 0x4: 'LC_THREAD', 0x5: 'LC_UNIXTHREAD',
  0x6: 'LC_LOADFVMLIB', 0x7: 'LC_IDFVMLIB', 0x8: 'LC_IDENT', 0x9: 'LC_FVMFILE', 0xa: 'LC_PREPAGE',
  0xb: 'LC_DYSYMTAB', 0xc: 'LC_LOAD_DYLIB', 0xd: 'LC_ID_DYLIB', 0xe: 'LC_LOAD_DYLINKER', 0xf: 'LC_ID_DYLINKER',
  0x10: 'LC_PREBOUND_DYLIB', 0x11: 'LC_ROUTINES', 0x12: 'LC_SUB_FRAMEWORK', 0x13: 'LC_SUB_UMBRELLA',
  0x14: 'LC_SUB_CLIENT', 0x15: 'LC_SUB_LIBRARY', 0x16: 'LC_TWOLEVEL_HINTS', 0x17: 'LC_PREBIND_CKSUM',
  0x80000018: 'LC_LOAD_WEAK_DYLIB', 0x19: 'LC_SEGMENT_64', 0x1a: 'LC_ROUTINES_64', 0x1b: 'LC_UUID',
  0x8000001c: 'LC_RPATH', 0x1d: 'LC_CODE_SIGNATURE', 0x1e: 'LC_SEGMENT_SPLIT_INFO',
  0x8000001f: 'LC_REEXPORT_DYLIB', 0x20: 'LC_LAZY_LOAD_DYLIB', 0x21: 'LC_ENCRYPTION_INFO',
  0x22: 'LC_DYLD_INFO', 0x80000022: 'LC_DYLD_INFO_ONLY', 0x80000023: 'LC_LOAD_UPWARD_DYLIB',
  0x24: 'LC_VERSION_MIN_MACOSX', 0x25: 'LC_VERSION_MIN_IPHONEOS', 0x26: 'LC_FUNCTION_STARTS',
  0x27: 'LC_DYLD_ENVIRONMENT', 0x80000028: 'LC_MAIN', 0x29: 'LC_DATA_IN_CODE', 0x2a: 'LC_SOURCE_VERSION',
  0x2b: 'LC_DYLIB_CODE_SIGN_DRS', 0x2c: 'LC_ENCRYPTION_INFO_64', 0x2d: 'LC_LINKER_OPTION',
  0x2e: 'LC_LINKER_OPTIMIZATION_HINT', 0x2f: 'LC_VERSION_MIN_TVOS', 0x30: 'LC_VERSION_MIN_WATCHOS', 0x31: 'LC_NOTE',
  0x32: 'LC_BUILD_VERSION', 0x80000033: 'LC_DYLD_EXPORTS_TRIE',
  0x80000034: 'LC_DYLD_CHAINED_FIXUPS', 0x80000035: 'LC_FILESET_ENTRY', 0x36: 'LC_ATOM_INFO',
};

/** The load commands that name a dylib to load (struct dylib_command), with linkplan's short kind. */
export const DYLIB_LOAD_KINDS: Record<number, 'load' | 'weak' | 'reexport' | 'lazy' | 'upward'> = {
  [LC_LOAD_DYLIB]: 'load',
  [LC_LOAD_WEAK_DYLIB]: 'weak',
  [LC_REEXPORT_DYLIB]: 'reexport',
  [LC_LAZY_LOAD_DYLIB]: 'lazy',
  [LC_LOAD_UPWARD_DYLIB]: 'upward',
};

/** LC_VERSION_MIN_* → the platform it implies (loader.h predates LC_BUILD_VERSION's platform field). */
export const VERSION_MIN_PLATFORM: Record<number, string> = {
  [LC_VERSION_MIN_MACOSX]: 'macos',
  [LC_VERSION_MIN_IPHONEOS]: 'ios',
  [LC_VERSION_MIN_TVOS]: 'tvos',
  [LC_VERSION_MIN_WATCHOS]: 'watchos',
};

/** build_version_command.platform: [spec name, short name as printed by otool/vtool]. */
export const PLATFORMS: Record<number, [string, string]> = {
  1: ['PLATFORM_MACOS', 'macos'], 2: ['PLATFORM_IOS', 'ios'], 3: ['PLATFORM_TVOS', 'tvos'],
  4: ['PLATFORM_WATCHOS', 'watchos'], 5: ['PLATFORM_BRIDGEOS', 'bridgeos'], 6: ['PLATFORM_MACCATALYST', 'maccatalyst'],
  7: ['PLATFORM_IOSSIMULATOR', 'iossimulator'], 8: ['PLATFORM_TVOSSIMULATOR', 'tvossimulator'],
  9: ['PLATFORM_WATCHOSSIMULATOR', 'watchossimulator'], 10: ['PLATFORM_DRIVERKIT', 'driverkit'],
  11: ['PLATFORM_VISIONOS', 'visionos'], 12: ['PLATFORM_VISIONOSSIMULATOR', 'visionossimulator'],
  13: ['PLATFORM_FIRMWARE', 'firmware'], 14: ['PLATFORM_SEPOS', 'sepos'],
};

/** build_tool_version.tool. */
export const TOOLS: Record<number, string> = {
  1: 'clang', 2: 'swift', 3: 'ld', 4: 'lld',
  1024: 'metal', 1025: 'airlld', 1026: 'airnt', 1027: 'airnt-plugin', 1028: 'airpack', 1031: 'gpuarchiver', 1032: 'metal-framework',
};

// ---------------------------------------------------------------- mach/machine.h
export const CPU_ARCH_ABI64 = 0x01000000;
export const CPU_ARCH_ABI64_32 = 0x02000000;
export const CPU_TYPE_VAX = 1;
export const CPU_TYPE_MC680x0 = 6;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_I386 = CPU_TYPE_X86;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_MC98000 = 10;
export const CPU_TYPE_HPPA = 11;
export const CPU_TYPE_ARM = 12;
export const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
export const CPU_TYPE_MC88000 = 13;
export const CPU_TYPE_SPARC = 14;
export const CPU_TYPE_I860 = 15;
export const CPU_TYPE_POWERPC = 18;
export const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

/** cputype → [spec name, linkplan arch (the vocabulary shared with ELF and PE)]. */
export const CPU_TYPES: Record<number, [string, string]> = {
  [CPU_TYPE_VAX]: ['CPU_TYPE_VAX', 'vax'], [CPU_TYPE_MC680x0]: ['CPU_TYPE_MC680x0', 'm68k'],
  [CPU_TYPE_X86]: ['CPU_TYPE_I386', 'i386'], [CPU_TYPE_X86_64]: ['CPU_TYPE_X86_64', 'x86_64'],
  [CPU_TYPE_MC98000]: ['CPU_TYPE_MC98000', 'mc98000'], [CPU_TYPE_HPPA]: ['CPU_TYPE_HPPA', 'hppa'],
  [CPU_TYPE_ARM]: ['CPU_TYPE_ARM', 'arm'], [CPU_TYPE_ARM64]: ['CPU_TYPE_ARM64', 'aarch64'],
  [CPU_TYPE_ARM64_32]: ['CPU_TYPE_ARM64_32', 'arm64_32'], [CPU_TYPE_MC88000]: ['CPU_TYPE_MC88000', 'm88k'],
  [CPU_TYPE_SPARC]: ['CPU_TYPE_SPARC', 'sparc'], [CPU_TYPE_I860]: ['CPU_TYPE_I860', 'i860'],
  [CPU_TYPE_POWERPC]: ['CPU_TYPE_POWERPC', 'ppc'], [CPU_TYPE_POWERPC64]: ['CPU_TYPE_POWERPC64', 'ppc64'],
};

/** High byte of cpusubtype holds capability bits (CPU_SUBTYPE_LIB64, CPU_SUBTYPE_PTRAUTH_ABI), not the subtype. */
export const CPU_SUBTYPE_MASK = 0xff000000;
export const CPU_SUBTYPE_LIB64 = 0x80000000;
export const CPU_SUBTYPE_X86_64_H = 8;
export const CPU_SUBTYPE_ARM64E = 2;

/** (cputype, cpusubtype & ~CPU_SUBTYPE_MASK) → [spec name, Apple arch name as used by lipo/otool -arch]. */
export const CPU_SUBTYPES: Record<number, Record<number, [string, string]>> = {
  [CPU_TYPE_X86]: {
    3: ['CPU_SUBTYPE_I386_ALL', 'i386'], 4: ['CPU_SUBTYPE_486', 'i486'], 0x84: ['CPU_SUBTYPE_486SX', 'i486SX'],
    5: ['CPU_SUBTYPE_PENT', 'pentium'], 0x16: ['CPU_SUBTYPE_PENTPRO', 'pentpro'], 0x36: ['CPU_SUBTYPE_PENTII_M3', 'pentIIm3'],
    0x56: ['CPU_SUBTYPE_PENTII_M5', 'pentIIm5'], 0x08: ['CPU_SUBTYPE_PENTIUM_3', 'pentium3'],
    0x09: ['CPU_SUBTYPE_PENTIUM_M', 'pentiumM'], 0x0a: ['CPU_SUBTYPE_PENTIUM_4', 'pentium4'],
  },
  [CPU_TYPE_X86_64]: { 3: ['CPU_SUBTYPE_X86_64_ALL', 'x86_64'], 8: ['CPU_SUBTYPE_X86_64_H', 'x86_64h'] },
  [CPU_TYPE_ARM]: {
    0: ['CPU_SUBTYPE_ARM_ALL', 'arm'], 5: ['CPU_SUBTYPE_ARM_V4T', 'armv4t'], 6: ['CPU_SUBTYPE_ARM_V6', 'armv6'],
    7: ['CPU_SUBTYPE_ARM_V5TEJ', 'armv5'], 8: ['CPU_SUBTYPE_ARM_XSCALE', 'xscale'], 9: ['CPU_SUBTYPE_ARM_V7', 'armv7'],
    10: ['CPU_SUBTYPE_ARM_V7F', 'armv7f'], 11: ['CPU_SUBTYPE_ARM_V7S', 'armv7s'], 12: ['CPU_SUBTYPE_ARM_V7K', 'armv7k'],
    13: ['CPU_SUBTYPE_ARM_V8', 'armv8'], 14: ['CPU_SUBTYPE_ARM_V6M', 'armv6m'], 15: ['CPU_SUBTYPE_ARM_V7M', 'armv7m'],
    16: ['CPU_SUBTYPE_ARM_V7EM', 'armv7em'],
  },
  [CPU_TYPE_ARM64]: { 0: ['CPU_SUBTYPE_ARM64_ALL', 'arm64'], 1: ['CPU_SUBTYPE_ARM64_V8', 'arm64v8'], 2: ['CPU_SUBTYPE_ARM64E', 'arm64e'] },
  [CPU_TYPE_ARM64_32]: { 0: ['CPU_SUBTYPE_ARM64_32_ALL', 'arm64_32'], 1: ['CPU_SUBTYPE_ARM64_32_V8', 'arm64_32'] },
  [CPU_TYPE_POWERPC]: {
    0: ['CPU_SUBTYPE_POWERPC_ALL', 'ppc'], 1: ['CPU_SUBTYPE_POWERPC_601', 'ppc601'], 2: ['CPU_SUBTYPE_POWERPC_602', 'ppc602'],
    3: ['CPU_SUBTYPE_POWERPC_603', 'ppc603'], 4: ['CPU_SUBTYPE_POWERPC_603e', 'ppc603e'], 5: ['CPU_SUBTYPE_POWERPC_603ev', 'ppc603ev'],
    6: ['CPU_SUBTYPE_POWERPC_604', 'ppc604'], 7: ['CPU_SUBTYPE_POWERPC_604e', 'ppc604e'], 8: ['CPU_SUBTYPE_POWERPC_620', 'ppc620'],
    9: ['CPU_SUBTYPE_POWERPC_750', 'ppc750'], 10: ['CPU_SUBTYPE_POWERPC_7400', 'ppc7400'], 11: ['CPU_SUBTYPE_POWERPC_7450', 'ppc7450'],
    100: ['CPU_SUBTYPE_POWERPC_970', 'ppc970'],
  },
  [CPU_TYPE_POWERPC64]: { 0: ['CPU_SUBTYPE_POWERPC64_ALL', 'ppc64'], 100: ['CPU_SUBTYPE_POWERPC_970', 'ppc970-64'] },
};

export { flagNames } from '../flags.js';

/** Names for a (cputype, cpusubtype) pair; unknown values keep their numbers. */
export function cpuNames(cputype: number, cpusubtype: number): { cputype: string; cpusubtype: string; arch: string; appleArch: string } {
  const t = CPU_TYPES[cputype];
  const sub = (cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0;
  const s = CPU_SUBTYPES[cputype]?.[sub];
  const arch = t?.[1] ?? `cpu${cputype}`;
  return {
    cputype: t?.[0] ?? `CPU_TYPE_${cputype}`,
    cpusubtype: s?.[0] ?? `CPU_SUBTYPE_${sub}`,
    arch,
    appleArch: s?.[1] ?? (t ? (cputype === CPU_TYPE_ARM64 ? 'arm64' : arch) : `cpu${cputype}`),
  };
}
