/**
 * What `linkplan resolve` finds: for every dependency a binary names, where its loader would take it from, and
 * every step of the search as data (a code and its arguments; the prose is in resolve/messages.ts). Nothing is run.
 */
import type { ByteSource } from '../bytes/source.js';
import type { BinaryResult } from '../facts/types.js';

/**
 * The files a loader would see, by absolute path inside the root ("/lib/libc.so.6"). A directory on disk
 * (node/sysroot.ts) and an in-memory map (MemorySysroot) implement it; the resolver only ever reads through it.
 */
export interface Sysroot {
  exists(path: string): boolean;
  isFile(path: string): boolean;
  /** The file's bytes, or null when it is not a readable regular file. */
  read(path: string): ByteSource | null;
  /** Names in a directory (globs in ld.so.conf, case-insensitive DLL names); null when it is not one. */
  list?(dir: string): readonly string[] | null;
  /** The path with every symlink resolved, inside the root; null when it does not exist. */
  realpath?(path: string): string | null;
  /** Done with a source read(): a file-backed one closes its descriptor. */
  release?(src: ByteSource): void;
  /**
   * The facts of a binary read earlier (an archive member inspected as it streamed by, whose bytes are not kept);
   * undefined when the sysroot holds bytes instead (read them), or nothing there.
   */
  facts?(path: string): BinaryResult | undefined;
}

export type LoaderName = 'glibc' | 'musl' | 'dyld' | 'windows';
export const LOADERS: readonly LoaderName[] = ['glibc', 'musl', 'dyld', 'windows'];

/**
 * Where a resolved library comes from. system: found through the root's system search path (ld.so.conf, the
 * default directories), or Windows itself, even inside the binary's own tree; apple-system: the dyld shared cache
 * (/usr/lib, /System/Library); homebrew: /opt/homebrew, /usr/local/Cellar, /usr/local/opt, /home/linuxbrew; crt: a
 * Windows C runtime DLL; bundled: found through a relative path ($ORIGIN, @loader_path, the application directory;
 * not one that leaves an archive's tree), or otherwise inside the binary's own tree; other: anywhere else
 * (engine.ts provenanceOf).
 */
export type Provenance = 'system' | 'apple-system' | 'homebrew' | 'crt' | 'bundled' | 'other';
export const PROVENANCES: readonly Provenance[] = ['system', 'apple-system', 'homebrew', 'crt', 'bundled', 'other'];

/**
 * One step of a search, data only. `via` names the search list an entry came from (rpath, ld-library-path,
 * runpath, ld-so-conf, default, musl-path, lc-rpath, loader-path, executable-path, app-dir, dyld-library-path).
 */
export type StepCode =
  | 'absent' // { path, via }: no such file there
  | 'skip-wrong-class' // { path, via, found, wanted }: glibc skips an ELF of another class or machine
  | 'found' // { path, via }
  | 'reused' // { path, by }: already loaded under this name or soname (by: name | soname | loader | builtin)
  | 'rpath-ignored' // { from }: the object has DT_RUNPATH, so its DT_RPATH (and its loaders') do not apply
  | 'expand' // { from, to }: a dynamic string token expanded
  | 'bad-token' // { entry, token }: an rpath entry with a token the loader does not expand: dropped
  | 'direct' // { path }: a name with a slash is opened as it is
  | 'cwd-relative' // { path }: a relative name with a slash: relative to the working directory, unknown here
  | 'ld-so-conf' // { file }: a configuration file read
  | 'ld-so-conf-missing' // { file }
  | 'musl-path' // { file }: musl's path file read
  | 'musl-path-missing' // { file }: so the default path applies
  | 'shared-cache' // { name }: an Apple system library: in the dyld shared cache, never on disk
  | 'api-set' // { name }: resolved by the API set schema, never a file
  | 'known-dll' // { name }: a KnownDLL: always System32's, whatever the application directory holds
  | 'system-dll' // { name }: ships with Windows (facts/windows-dlls.ts)
  | 'crt-redist' // { name }: a C runtime the application must ship or install (VC++ redistributable)
  | 'shadowed' // { path }: an application copy the loader does not use
  | 'wrong-arch' // { path, found, wanted }: mapped anyway (musl, Windows, dyld slice): the load fails
  | 'slice' // { arch }: the slice of a universal file that is used
  | 'not-found' // {}: the search ended without a file
  | 'unreadable' // { path, reason }: the loader takes this file but cannot map it: loading fails
  | 'interpreter' // { path }: the program interpreter (PT_INTERP) is there: the loader itself
  | 'interpreter-missing' // { path }: the program interpreter is not in the root: nothing starts the program
  | 'no-interpreter' // { path }: the executable has no PT_INTERP yet names libraries: nothing loads them
  | 'depth-limit' // { max }
  | 'search-capped'; // { max }: more candidates than MAX_CANDIDATES: the rest not tried

export interface Step {
  code: StepCode;
  args: Record<string, string>;
}

/** How the dependency is loaded: at start (needed/import/load/reexport/upward), or later (delay/lazy/weak). */
export type DepKind = 'needed' | 'import' | 'delay-import' | 'load' | 'weak' | 'reexport' | 'lazy' | 'upward';

/**
 * found: a file; present: provided without a file on disk we could look at (shared cache, API set, Windows
 * system DLL, musl's built-in libc names); reused: already loaded; missing; wrong-arch: found but of another
 * architecture (musl and Windows do not skip such files: loading fails); unloadable: the file the loader takes is
 * not a binary it can map (empty, text, another format): loading fails; ambiguous: what it loads depends on the
 * working directory (a relative path).
 */
export type DepStatus = 'found' | 'present' | 'reused' | 'missing' | 'wrong-arch' | 'unloadable' | 'ambiguous';

export interface ResolvedDep {
  name: string;
  kind: DepKind;
  status: DepStatus;
  path: string | null;
  provenance: Provenance | null;
  steps: Step[];
  /** What the found file itself needs (empty when reused: see the first occurrence). */
  deps: ResolvedDep[];
}

/**
 * missing: not found, needed at start (error); missing-delayed: a delay-loaded DLL, lazy or weak dylib not found
 * (warning: the program starts); wrong-arch: the file the loader takes is of another architecture; ambiguous:
 * where the loader looks depends on what is not in the bytes (the working directory); unreadable: the file the
 * loader takes is not a binary it can map; shadowed: a shipped copy the loader never uses (warning);
 * missing-interpreter: the program interpreter (PT_INTERP, `name`) is not in the root; not-loaded: the executable
 * has no PT_INTERP, so nothing loads the library it names (a broken static-PIE).
 */
export type FindingCode = 'missing' | 'missing-delayed' | 'wrong-arch' | 'ambiguous' | 'unreadable' | 'shadowed' | 'missing-interpreter' | 'not-loaded';

export interface ResolveFinding {
  code: FindingCode;
  severity: 'error' | 'warning';
  /** The dependency as named, and the object that names it. */
  name: string;
  from: string;
  path: string | null;
}

export interface ResolveResult {
  /** The binary as given (on the command line, or its path in the root), and its path inside the root. */
  path: string;
  rootPath: string;
  /** Universal Mach-O: the slice resolved. */
  arch: string;
  loader: LoaderName;
  /** A description of the root searched ("/" of this machine, a directory), for the report. */
  root: string;
  /** Steps that concern the whole run (ld.so.conf read, musl path file). */
  setup: Step[];
  deps: ResolvedDep[];
  findings: ResolveFinding[];
  /** Could not analyse: the binary itself did not parse, or is not dynamically linked for this loader. */
  error: { code: string; message: string } | null;
}

export interface ResolveOptions {
  sysroot: Sysroot;
  /** The binary's facts reader (inspectSource, injected by the caller: resolve/ does not import the readers). */
  inspect: (src: ByteSource, path: string) => BinaryResult;
  loader?: LoaderName;
  /** --env NAME=VALUE: LD_LIBRARY_PATH, DYLD_LIBRARY_PATH… */
  env?: Record<string, string>;
  /** The binary's own tree inside the root ("bundled" provenance): its input directory, or its own directory. */
  tree?: string;
  /** Description of the root for the report. */
  rootLabel?: string;
  /** Levels of dependencies followed (a chain longer than this is a loop or an attack). */
  maxDepth?: number;
  /**
   * Files of the root already read, by path, for resolutions that share one sysroot (ShippedTrees.replay: every
   * binary of a verify or audit run): each library is read once, not once per binary that needs it (an audit of
   * 2,320 files of /usr read libc.so.6 2,000 times). Kept facts are never changed by the resolver.
   */
  factsRead?: FactsRead;
  /**
   * The binary's own facts, when the caller holds them (ShippedTrees: verify and audit have read every input before
   * it is resolved): used instead of reading the file again, so they must be the facts of the file resolved at that
   * path. ShippedTrees gives them only for a file named by itself whose path in the root is no link; where, under
   * --root, another input's directory mounted at the same place hides it, the named file's own facts are what is
   * resolved (as `linkplan resolve` does). Binaries named one by one have no kept facts in their directory's Sysroot,
   * so an audit of /usr's 2,349 ELF files read each twice (0.3 s of its 2.8).
   */
  facts?: BinaryResult;
}

/** See ResolveOptions.factsRead; inspectIn() keeps at most FACTS_READ_MAX files in it (then starts afresh). */
export type FactsRead = Map<string, BinaryResult>;
export const FACTS_READ_MAX = 4096;
