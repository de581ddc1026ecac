/**
 * LinkageFacts: what linkplan knows about one binary, as plain JSON-safe data. A union tagged by `format`;
 * every member carries the common fields below, so rules, diff and reports can work across formats. Nothing here
 * knows a file format's on-disk structures.
 */
import type { ElfDetails } from './elf.js';
import type { MachoDetails, MachoDylib } from './macho.js';
import type { CrtVerdict, PeDetails, PeImport } from './pe.js';
import type { LibsFacts } from './libs.js';

export type Format = 'elf' | 'pe' | 'macho';

/** One observed fact a verdict rests on: the field it came from (named as in the spec) and its value. */
export interface Evidence {
  field: string;
  value: string | number | boolean | null;
}

export type { Warning } from '../bytes/warning.js';
import type { Warning } from '../bytes/warning.js';

/** What the loader does with the file. */
/** debug-info: a separate debug file (objcopy --only-keep-debug): headers of a binary, but no code or data. */
export type BinaryType = 'executable' | 'shared-library' | 'relocatable' | 'core' | 'bundle' | 'dylinker' | 'debug-info' | 'other';

/**
 * static: no interpreter and nothing needed. static-pie: position-independent, self-relocating, no interpreter,
 * nothing needed. broken-static-pie: looks like a static-PIE (no interpreter) but still names libraries it needs,
 * so nothing would load them. dynamic: loaded with the help of a dynamic loader.
 */
export type Linkage = 'static' | 'static-pie' | 'broken-static-pie' | 'dynamic';

/**
 * The C library the binary is bound to. ELF: glibc / musl / bionic / uclibc / freebsd. PE: ucrt / msvcrt when a
 * CRT DLL is imported (the full CRT verdict is PeFacts.crt). Mach-O: libsystem. `none`: proven to use no libc;
 * `unknown`: no evidence either way (never a guess).
 */
export type Libc = 'glibc' | 'musl' | 'bionic' | 'uclibc' | 'freebsd' | 'ucrt' | 'msvcrt' | 'libsystem' | 'none' | 'unknown';

export type Relro = 'none' | 'partial' | 'full';

export interface ElfHardening {
  pie: boolean | null;
  relro: Relro;
  bindNow: boolean;
  nxStack: boolean;
  textrel: boolean;
}

interface Common {
  path: string;
  arch: string;
  bits: 32 | 64;
  endian: 'little' | 'big';
  type: BinaryType;
  linkage: Linkage | null;
  /** Position-independent executable; null where it does not apply (libraries, objects). */
  pie: boolean | null;
  libc: Libc;
  interpreter: string | null;
  /** Libraries the loader must find, in load order. */
  needed: string[];
  rpath: string[];
  runpath: string[];
  soname: string | null;
  /** For each verdict (linkage, type, pie, libc, …) the facts it rests on. */
  evidence: Record<string, Evidence[]>;
  /** Statically linked and dynamic well-known libraries, only when asked for (symbols and data are read then). */
  libs?: LibsFacts;
  warnings: Warning[];
  error: null;
}

export interface ElfFacts extends Common {
  format: 'elf';
  hardening: ElfHardening;
  elf: ElfDetails;
}

/** The top-level fields of a universal Mach-O that hold only when every slice agrees (MachoFacts.sliceDiffers). */
export type MachoSliceField =
  | 'needed' | 'dylibs' | 'rpath' | 'rpaths' | 'minOS' | 'platform' | 'installName' | 'soname' | 'type' | 'linkage' | 'pie' | 'interpreter';

/**
 * Mach-O. Common fields: needed = every dylib install name in load-command order (all kinds), rpath = LC_RPATH in
 * order, interpreter = LC_LOAD_DYLINKER, soname = LC_ID_DYLIB. A universal file has arch 'universal' and its
 * slices in `slices` (the truth: each slice is loaded on its own); a top-level field holds what every slice agrees
 * on, and is []/null where they differ, named in `sliceDiffers` (docs/formats/macho.md).
 */
export interface MachoFacts extends Common {
  format: 'macho';
  dylibs: MachoDylib[];
  rpaths: string[];
  installName: string | null;
  minOS: string | null;
  platform: string | null;
  slices: MachoSlice[] | null;
  /**
   * Universal files only (absent for a thin one): the top-level fields the slices disagree on, so that `needed: []`
   * reads as "see slices" and not as "needs nothing". Lists are []; minOS, platform, installName, soname, linkage,
   * pie, interpreter are null; type stays the first slice's.
   */
  sliceDiffers?: MachoSliceField[];
  macho: MachoDetails;
}

/** One slice of a universal file: its own full facts, and where the fat_arch table puts it. */
export type MachoSlice = Omit<MachoFacts, 'slices'> & {
  slices: null;
  fatArch: { index: number; cputype: string; cpusubtype: string; offset: number; size: number; align: number };
};

/**
 * PE/COFF. Common fields: needed = import-descriptor DLL names in load order as written (delay-loaded ones are in
 * delayImports only), soname = the export directory's Name, interpreter = null, rpath/runpath = [] (docs/formats/pe.md).
 */
export interface PeFacts extends Common {
  format: 'pe';
  imports: PeImport[];
  delayImports: PeImport[];
  crt: CrtVerdict;
  /** IMAGE_EXPORT_DIRECTORY Name: what the DLL calls itself (may differ from its file name). */
  dllName: string | null;
  /** IMAGE_DLLCHARACTERISTICS_* names set, without the prefix (DYNAMIC_BASE, NX_COMPAT, GUARD_CF, …). */
  dllCharacteristics: string[];
  pe: PeDetails;
}

/** Formats register their facts type here; `switch (facts.format)` must end in a `never` default. */
export type BinaryFacts = ElfFacts | MachoFacts | PeFacts;

/** A file that could not be analysed: same keys, empty values, and the reason. */
export interface FailedBinary {
  path: string;
  format: Format | null;
  arch: null;
  type: null;
  linkage: null;
  pie: null;
  libc: null;
  interpreter: null;
  needed: [];
  rpath: [];
  runpath: [];
  soname: null;
  evidence: Record<string, never>;
  warnings: Warning[];
  error: { code: string; message: string; offset?: number };
}

export type BinaryResult = BinaryFacts | FailedBinary;

export function isFailed(r: BinaryResult): r is FailedBinary {
  return r.error !== null;
}

export function failed(path: string, format: Format | null, code: string, message: string, offset?: number): FailedBinary {
  return {
    path, format, arch: null, type: null, linkage: null, pie: null, libc: null, interpreter: null,
    needed: [], rpath: [], runpath: [], soname: null, evidence: {}, warnings: [],
    error: offset === undefined ? { code, message } : { code, message, offset },
  };
}

/**
 * Something an archive says about one of its members that a release should not say; reported, never obeyed.
 * absolute-name / traversal: the name points outside the unpack directory; duplicate: a second member of the same
 * name; device: a device or FIFO member; link-escapes: a symlink or hard link whose target leaves the archive;
 * zip-mismatch: a zip's central directory and local header disagree; encrypted: a member that cannot be read;
 * too-deep: an archive nested past the depth limit, not opened.
 */
export type ArchiveNoteCode = 'absolute-name' | 'traversal' | 'duplicate' | 'device' | 'link-escapes' | 'zip-mismatch' | 'encrypted' | 'too-deep';

export interface ArchiveNote {
  /** `archive!member`. */
  path: string;
  code: ArchiveNoteCode;
  /** A link's target, a device's kind, what the local header says: the datum the code is about. */
  target?: string;
}
