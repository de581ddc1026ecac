/** ELF constants, named as in the System V gABI and the GNU/LLVM extensions (elf.h). */

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

export const ET_NAMES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 2: 'ET_EXEC', 3: 'ET_DYN', 4: 'ET_CORE' };
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const ELFOSABI: Record<number, string> = {
  0: 'SYSV', 1: 'HPUX', 2: 'NETBSD', 3: 'GNU', 6: 'SOLARIS', 7: 'AIX', 8: 'IRIX', 9: 'FREEBSD', 10: 'TRU64',
  11: 'MODESTO', 12: 'OPENBSD', 13: 'OPENVMS', 14: 'NSK', 15: 'AROS', 16: 'FENIXOS', 17: 'CLOUDABI', 64: 'ARM_AEABI',
  97: 'ARM', 255: 'STANDALONE',
};

/** e_machine: [spec name, short arch name]. */
export const EM: Record<number, [string, string]> = {
  0: ['EM_NONE', 'none'], 2: ['EM_SPARC', 'sparc'], 3: ['EM_386', 'i386'], 4: ['EM_68K', 'm68k'],
  8: ['EM_MIPS', 'mips'], 10: ['EM_MIPS_RS3_LE', 'mips'], 15: ['EM_PARISC', 'hppa'], 18: ['EM_SPARC32PLUS', 'sparc'],
  20: ['EM_PPC', 'ppc'], 21: ['EM_PPC64', 'ppc64'], 22: ['EM_S390', 's390'], 40: ['EM_ARM', 'arm'],
  42: ['EM_SH', 'sh'], 43: ['EM_SPARCV9', 'sparc64'], 50: ['EM_IA_64', 'ia64'], 62: ['EM_X86_64', 'x86_64'],
  83: ['EM_AVR', 'avr'], 92: ['EM_OPENRISC', 'or1k'], 94: ['EM_XTENSA', 'xtensa'], 113: ['EM_ALTERA_NIOS2', 'nios2'],
  164: ['EM_QDSP6', 'hexagon'], 183: ['EM_AARCH64', 'aarch64'], 186: ['EM_METAG', 'metag'],
  188: ['EM_TILEPRO', 'tilepro'], 191: ['EM_TILEGX', 'tilegx'], 220: ['EM_Z80', 'z80'], 224: ['EM_AMDGPU', 'amdgpu'],
  243: ['EM_RISCV', 'riscv'], 247: ['EM_BPF', 'bpf'], 252: ['EM_CSKY', 'csky'], 258: ['EM_LOONGARCH', 'loongarch'],
};

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;

export const PT_NAMES: Record<number, string> = {
  0: 'PT_NULL', 1: 'PT_LOAD', 2: 'PT_DYNAMIC', 3: 'PT_INTERP', 4: 'PT_NOTE', 5: 'PT_SHLIB', 6: 'PT_PHDR',
  7: 'PT_TLS', 0x6474e550: 'PT_GNU_EH_FRAME', 0x6474e551: 'PT_GNU_STACK', 0x6474e552: 'PT_GNU_RELRO',
  0x6474e553: 'PT_GNU_PROPERTY', 0x65a3dbe6: 'PT_OPENBSD_RANDOMIZE', 0x65a3dbe7: 'PT_OPENBSD_WXNEEDED',
  0x65a41be6: 'PT_OPENBSD_BOOTDATA', 0x6ffffffa: 'PT_SUNWBSS', 0x6ffffffb: 'PT_SUNWSTACK',
};

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_DYNAMIC = 6;
export const SHT_DYNSYM = 11;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
/** st_info >> 4 (gABI "Symbol Table"). */
export const STB_NAMES: Record<number, string> = { 0: 'LOCAL', 1: 'GLOBAL', 2: 'WEAK', 10: 'GNU_UNIQUE' };
/** st_other & 3. */
export const STV_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'] as const;
export const SHN_UNDEF = 0;
export const SHN_XINDEX = 0xffff;
/** e_phnum escape: the real count is in section header 0's sh_info. */
export const PN_XNUM = 0xffff;

export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_STRTAB = 5;
export const DT_STRSZ = 10;
export const DT_SONAME = 14;
export const DT_RPATH = 15;
export const DT_SYMBOLIC = 16;
export const DT_DEBUG = 21;
export const DT_TEXTREL = 22;
export const DT_BIND_NOW = 24;
export const DT_RUNPATH = 29;
export const DT_FLAGS = 30;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DT_VERNEED = 0x6ffffffe;
export const DT_VERNEEDNUM = 0x6fffffff;
export const DT_AUXILIARY = 0x7ffffffd;
export const DT_FILTER = 0x7fffffff;

export const DF_FLAGS: [number, string][] = [
  [0x1, 'ORIGIN'], [0x2, 'SYMBOLIC'], [0x4, 'TEXTREL'], [0x8, 'BIND_NOW'], [0x10, 'STATIC_TLS'],
];
export const DF_BIND_NOW = 0x8;
export const DF_TEXTREL = 0x4;

export const DF_1_FLAGS: [number, string][] = [
  [0x1, 'NOW'], [0x2, 'GLOBAL'], [0x4, 'GROUP'], [0x8, 'NODELETE'], [0x10, 'LOADFLTR'], [0x20, 'INITFIRST'],
  [0x40, 'NOOPEN'], [0x80, 'ORIGIN'], [0x100, 'DIRECT'], [0x200, 'TRANS'], [0x400, 'INTERPOSE'],
  [0x800, 'NODEFLIB'], [0x1000, 'NODUMP'], [0x2000, 'CONFALT'], [0x4000, 'ENDFILTEE'], [0x8000, 'DISPRELDNE'],
  [0x10000, 'DISPRELPND'], [0x20000, 'NODIRECT'], [0x40000, 'IGNMULDEF'], [0x80000, 'NOKSYMS'],
  [0x100000, 'NOHDR'], [0x200000, 'EDITED'], [0x400000, 'NORELOC'], [0x800000, 'SYMINTPOSE'],
  [0x1000000, 'GLOBAUDIT'], [0x2000000, 'SINGLETON'], [0x4000000, 'STUB'], [0x8000000, 'PIE'],
  [0x10000000, 'KMOD'], [0x20000000, 'WEAKFILTER'], [0x40000000, 'NOCOMMON'],
];
export const DF_1_NOW = 0x1;
export const DF_1_PIE = 0x8000000;

/** Note types (owner "GNU"). */
export const NT_GNU_ABI_TAG = 1;
export const NT_GNU_BUILD_ID = 3;
/** Owner "Go": the Go toolchain's build id. */
export const NT_GO_BUILDID = 4;

export const GNU_ABI_TAG_OS: Record<number, string> = { 0: 'Linux', 1: 'Hurd', 2: 'Solaris', 3: 'FreeBSD', 4: 'NetBSD', 5: 'Syllable', 6: 'NaCl' };

export { flagNames } from '../flags.js';
