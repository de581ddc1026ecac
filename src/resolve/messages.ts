/**
 * All prose of `linkplan resolve`: steps and findings are data (codes + args, resolve/model.ts); renderers word
 * them only through here.
 */
import type { FindingCode, Provenance, ResolveFinding, Step, StepCode } from './model.js';

/** The search list an entry came from, as people call it. */
export const VIA: Record<string, string> = {
  rpath: 'DT_RPATH', runpath: 'DT_RUNPATH', 'ld-library-path': 'LD_LIBRARY_PATH', 'ld-so-conf': 'ld.so.conf',
  default: 'default directory', 'musl-path': "musl's path", 'lc-rpath': 'LC_RPATH', 'loader-path': '@loader_path',
  'executable-path': '@executable_path', 'app-dir': 'application directory', 'dyld-library-path': 'DYLD_LIBRARY_PATH',
  direct: 'path as written',
};

const via = (a: Record<string, string>) => {
  const v = VIA[a.via] ?? a.via;
  return a.from ? `${v} of ${a.from}` : v;
};

const STEPS: Record<StepCode, (a: Record<string, string>) => string> = {
  absent: (a) => `${a.path}: not there (${via(a)})`,
  'skip-wrong-class': (a) => `${a.path}: skipped, ${a.found} is not ${a.wanted} (${via(a)})`,
  found: (a) => `${a.path}: found (${via(a)})`,
  reused: (a) => (a.by === 'builtin' ? `provided by the loader itself (${a.path})` : `already loaded as ${a.path} (same ${a.by})`),
  'rpath-ignored': (a) => `DT_RPATH not used: ${a.from} has DT_RUNPATH`,
  expand: (a) => `${a.from} expands to ${a.to}`,
  'bad-token': (a) => `${a.entry}: ${a.token} cannot be expanded here, entry dropped`,
  direct: (a) => `${a.path}: a path, opened as written`,
  // An empty entry (a stray ':') is the current directory, worded as audit's unanchored-search-path words it.
  'cwd-relative': (a) => `${a.path === '' ? '"" (the current directory)' : a.path}: relative to the working directory, which the binary does not determine`,
  'ld-so-conf': (a) => `read ${a.file}`,
  'ld-so-conf-missing': (a) => `${a.file}: not there`,
  'musl-path': (a) => `read ${a.file}`,
  'musl-path-missing': (a) => `${a.file}: not there, so musl searches /lib:/usr/local/lib:/usr/lib`,
  'shared-cache': () => 'an Apple system library: in the dyld shared cache',
  'api-set': () => 'an API set: resolved by the API set schema of Windows',
  'known-dll': () => 'a KnownDLL: always loaded from System32',
  'system-dll': () => 'ships with Windows (System32)',
  'crt-redist': () => 'a C runtime that must be shipped with the application or installed by its redistributable',
  shadowed: (a) => `${a.path}: shipped, but never loaded`,
  'wrong-arch': (a) => `${a.path}: taken, but ${a.found} is not ${a.wanted}: loading fails (${via(a)})`,
  unreadable: (a) => `${a.path}: taken, but cannot be loaded: ${a.reason}`,
  slice: (a) => `universal file: the ${a.arch} slice`,
  'not-found': () => 'not found anywhere the loader looks',
  interpreter: (a) => `program interpreter ${a.path}: there`,
  'interpreter-missing': (a) => `program interpreter ${a.path}: not there, so the program cannot start`,
  'no-interpreter': (a) => `${a.path} has no program interpreter (PT_INTERP): nothing loads its dependencies`,
  'depth-limit': (a) => `dependencies deeper than ${a.max} levels not followed`,
  'search-capped': (a) => `more than ${a.max} places to look: the rest not tried`,
};

export function describeStep(s: Step): string {
  return STEPS[s.code](s.args);
}

export const PROVENANCE: Record<Provenance, string> = {
  system: 'system', 'apple-system': 'apple-system', homebrew: 'homebrew', crt: 'crt', bundled: 'bundled', other: 'other',
};

const FINDINGS: Record<FindingCode, (f: ResolveFinding) => string> = {
  missing: (f) => `${f.name} (needed by ${f.from}) is not found`,
  'missing-delayed': (f) => `${f.name} (loaded later by ${f.from}: delay-loaded, lazy or weak) is not found; the program starts without it`,
  'wrong-arch': (f) => `${f.name} (needed by ${f.from}) resolves to ${f.path}, which is of another architecture`,
  unreadable: (f) => `${f.name} (needed by ${f.from}) resolves to ${f.path}, which the loader cannot load`,
  ambiguous: (f) => `${f.name} (needed by ${f.from}) is a relative path: what it loads depends on the working directory`,
  shadowed: (f) => `${f.name} (needed by ${f.from}) is always loaded from the system; the shipped copy is never used`,
  'missing-interpreter': (f) => `the program interpreter ${f.name} (PT_INTERP of ${f.from}) is not found`,
  'not-loaded': (f) => `${f.name} (needed by ${f.from}) is never loaded: ${f.from} has no program interpreter (PT_INTERP) to load it`,
};

export function describeResolveFinding(f: ResolveFinding): string {
  return FINDINGS[f.code](f);
}
