/** PE-only facts (the common ones live on PeFacts itself). Names follow the Microsoft PE format specification. */
import type { Evidence } from './types.js';

/**
 * The C runtime model a PE image was linked against, read from its imports:
 * msvc-dynamic  VCRUNTIME140*.dll / MSVCP140*.dll (+ the UCRT): /MD
 * msvc-hybrid   the UCRT (ucrtbase.dll, api-ms-win-crt-*) but no vcruntime: static vcruntime, dynamic UCRT
 * msvc-static   no CRT DLL, MSVC-family linker: the CRT is linked into this very image (/MT, Rust crt-static)
 * msvc-debug    vcruntime140d / ucrtbased / msvcp140d / msvcr*d: a debug CRT, not redistributable
 * mingw-msvcrt  MinGW against msvcrt.dll;  mingw-ucrt: MinGW against the UCRT
 * legacy-msvcr  msvcr70..120 / msvcp60..120 / crtdll (and msvcrt.dll from MSVC's own linker: VC6, Windows itself)
 * none          proven to carry no C runtime: Go, a pure .NET assembly, a resource-only DLL, EFI without imports
 * unknown       no CRT DLL and nothing that names the toolchain (never a guess)
 */
export type CrtVerdict = 'msvc-dynamic' | 'msvc-hybrid' | 'msvc-static' | 'msvc-debug' | 'mingw-msvcrt' | 'mingw-ucrt' | 'legacy-msvcr' | 'none' | 'unknown';

/** crt: a C/C++ runtime DLL (MSVC, UCRT, msvcrt, GCC/LLVM MinGW runtimes, Cygwin); system: ships with Windows. */
export type DllClass = 'crt' | 'system' | 'application';

/** One imported function: by name (with the hint the linker wrote) or by ordinal. */
export interface PeImportedFunction {
  name: string | null;
  hint: number | null;
  ordinal: number | null;
}

/** One import (or delay-import) descriptor, in file order; the DLL name exactly as written. */
export interface PeImport {
  dll: string;
  class: DllClass;
  functions: PeImportedFunction[];
  /** Descriptor TimeDateStamp set: bound ahead of time. */
  bound: boolean;
}

/** Which linker the file's own markers point at. msvc: a Rich header (link.exe); lld: linker version 14.0 and no
 * Rich header (lld-link); gnu: GNU ld (linker version 2.x, its binutils version) or GCC runtime imports; go: Go's
 * build ID. */
export type PeToolchain = 'msvc' | 'lld' | 'gnu' | 'go' | 'unknown';

export interface PeDetails {
  magic: 'PE32' | 'PE32+';
  /** IMAGE_FILE_MACHINE_* without the prefix (AMD64, I386, ARM64, ARM64EC, ARMNT, …) or MACHINE_0x…. */
  machine: string;
  /** IMAGE_FILE_* names set in the COFF header Characteristics. */
  characteristics: string[];
  /** IMAGE_SUBSYSTEM_* without the prefix (WINDOWS_CUI, WINDOWS_GUI, NATIVE, EFI_APPLICATION, …). */
  subsystem: string;
  subsystemVersion: string;
  osVersion: string;
  /** MajorLinkerVersion.MinorLinkerVersion: 14.x link.exe / 14.0 lld-link / 2.xx GNU ld / 3.0 Go. */
  linkerVersion: string;
  imageBase: string;
  entryPoint: number;
  timeDateStamp: number;
  sections: string[];
  /** Imported DLL names, case-insensitively de-duplicated (first spelling kept), in load order. */
  importDlls: string[];
  /** The CRT DLLs the verdict rests on (imports and delay imports), as written. */
  crtDlls: string[];
  /** GCC / LLVM-MinGW runtime DLLs imported (libgcc_s_seh-1, libstdc++-6, libwinpthread-1, libc++, …). */
  gccRuntime: string[];
  toolchain: PeToolchain;
  exports: { dllName: string; functions: number; names: number } | null;
  /** Rich header: link.exe's record of the tools (product id, build) that made the objects. */
  rich: { entries: { productId: number; build: number; count: number }[]; checksumValid: boolean } | null;
  /** IMAGE_DEBUG_TYPE_* of each debug directory entry, and the CodeView PDB reference. */
  debugTypes: string[];
  pdb: { path: string; id: string; age: number; signature: 'RSDS' | 'NB10' } | null;
  /** Control Flow Guard. enabled: DllCharacteristics GUARD_CF; instrumented: load config GuardFlags
   * CF_INSTRUMENTED. Only both together protect anything. */
  guardCf: { enabled: boolean; instrumented: boolean; flags: string[]; functionCount: number | null };
  loadConfig: { size: number; securityCookie: boolean; seHandlerCount: number | null } | null;
  /** A .NET (CLR) image. */
  clr: boolean;
  /** Attribute Certificate Table (Authenticode), by file offset. */
  certificate: { offset: number; size: number } | null;
  overlay: { offset: number; size: number } | null;
  /** COFF symbol table entries (unstripped MinGW binaries keep one). */
  coffSymbols: number;
  goBuildId: string | null;
  /** Go's build info header (`\xff Go buildinf:`) in the data section: where, and the Go version when inline. */
  goBuildInfo: { section: string; offset: number; version: string | null } | null;
}

export type { Evidence };
