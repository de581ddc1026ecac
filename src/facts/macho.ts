/** Mach-O-only facts (the common ones live on MachoFacts itself). Names follow mach-o/loader.h, fat.h, machine.h. */

/** Which dylib load command names the library: LC_LOAD_DYLIB, _WEAK_, LC_REEXPORT_, LC_LAZY_LOAD_, _UPWARD_. */
export type MachoDylibKind = 'load' | 'weak' | 'reexport' | 'lazy' | 'upward';

/**
 * Where an install name points. apple-system: /usr/lib/, /System/Library/ (shipped with the OS, in the dyld
 * shared cache). homebrew: /opt/homebrew/, /usr/local/Cellar/, /usr/local/opt/. relative: @rpath/,
 * @loader_path/, @executable_path/ (bundled with the app). absolute-other: anything else, typically a path on the
 * build machine (/Users/runner/…), which will not exist where the binary ships.
 */
export type MachoDylibClass = 'apple-system' | 'homebrew' | 'relative' | 'absolute-other';

/**
 * What the file's dylibs add up to, worst first: homebrew (needs Homebrew-installed libraries), absolute-other
 * (needs files at other absolute paths), bundled (Apple libraries plus relative ones shipped with it),
 * apple-only (the macOS "static except what Apple ships" outcome), none (loads no dylib at all).
 */
export type MachoLinkageSummary = 'homebrew' | 'absolute-other' | 'bundled' | 'apple-only' | 'none';

export interface MachoDylib {
  /** dylib.name: the install name as recorded by the static linker. */
  name: string;
  kind: MachoDylibKind;
  cmd: string;
  class: MachoDylibClass;
  /** dylib.current_version / compatibility_version as X.Y.Z. */
  currentVersion: string;
  compatibilityVersion: string;
  /** Universal files only: the slices (Apple arch names) whose load commands name it with this kind. */
  slices?: string[];
}

export interface MachoBuildVersion {
  /** Short platform name (macos, ios, maccatalyst, iossimulator…) as otool prints it. */
  platform: string;
  minos: string;
  sdk: string;
  tools: { tool: string; version: string }[];
}

export interface MachoVersionMin {
  cmd: string;
  platform: string;
  version: string;
  sdk: string;
}

/** One fat_arch entry; `error` says why its slice could not be read (the slice is then absent from `slices`). */
export interface MachoFatArch {
  index: number;
  cputype: string;
  cpusubtype: string;
  /** Apple arch name (x86_64, arm64, arm64e, ppc…). */
  arch: string;
  offset: number;
  size: number;
  /** Power of 2. */
  align: number;
  error: string | null;
}

export interface MachoDetails {
  magic: 'MH_MAGIC' | 'MH_MAGIC_64';
  /** MH_EXECUTE, MH_DYLIB, MH_BUNDLE, MH_OBJECT, MH_DYLINKER, … or MH_<n>. */
  filetype: string;
  cputype: string;
  cpusubtype: string;
  /** Apple arch name as lipo and otool -arch spell it: x86_64, x86_64h, arm64, arm64e, i386, ppc, armv7s… */
  archName: string;
  /** Header flag names set (MH_NOUNDEFS, MH_DYLDLINK, MH_TWOLEVEL, MH_PIE, …). */
  flags: string[];
  ncmds: number;
  sizeofcmds: number;
  /** Name of every load command, in order. */
  loadCommands: string[];
  segments: string[];
  /** LC_ID_DYLIB with its versions (the name alone is MachoFacts.installName). */
  idDylib: { name: string; currentVersion: string; compatibilityVersion: string } | null;
  dylinker: string | null;
  dyldEnvironment: string[];
  uuid: string | null;
  /** LC_MAIN (entryoff, stacksize); null for LC_UNIXTHREAD executables and non-executables. */
  main: { entryoff: number; stacksize: number } | null;
  unixThread: boolean;
  buildVersions: MachoBuildVersion[];
  versionMins: MachoVersionMin[];
  sdk: string | null;
  codeSignature: { dataoff: number; datasize: number } | null;
  chainedFixups: boolean;
  dyldInfo: boolean;
  exportsTrie: boolean;
  /** LC_ENCRYPTION_INFO cryptid != 0 (App Store FairPlay); null when there is no encryption command. */
  encrypted: boolean | null;
  linkageSummary: MachoLinkageSummary;
  /** Universal files: the fat header and every fat_arch (top-level details are the first readable slice's). */
  fat: { magic: 'FAT_MAGIC' | 'FAT_MAGIC_64'; arches: MachoFatArch[] } | null;
  /**
   * Universal files: every dylib any slice loads, one entry per name and kind in first-seen order, each with the
   * `slices` that load it (what linkageSummary is computed over); null for a thin file and inside slices.
   */
  dylibUnion: MachoDylib[] | null;
}
