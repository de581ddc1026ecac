/**
 * The linkage plan: its types, its one description (PLAN_SPEC), the validator and the JSON Schema, both derived
 * from that description so they cannot drift. Validation names the key path of every problem
 * (`artifact[2].needed.allow[0]`) and what was expected; an unknown key is an error, never ignored.
 */
import type { BinaryType, Libc } from '../facts/types.js';
import type { Provenance } from '../resolve/model.js';
import {
  BINARY_TYPES, CHANGE_KINDS, CRTS, DYLIB_CLASSES, LEVELS, LIBCS, PLAN_LINKAGES, RELRO_LEVELS, RPATH_POLICIES, RULE_IDS,
  UNMATCHED_POLICIES, DEPS_RESOLVE, PROVENANCE_CLASSES, type Crt, type DepsResolve, type DylibClass, type PlanLinkage, type RpathPolicy,
  type UnmatchedPolicy,
} from './enums.js';
import { globSyntaxProblem } from './glob.js';
import { KNOWN_LIB_NAMES, type KnownLib } from './known-libs.js';
import { FINGERPRINTS } from '../facts/fingerprints.js';
import {
  editDistance as distance, MAX_ARTIFACTS, MAX_GLOB_LENGTH, MAX_GLOBS_PER_LIST, MAX_GLOBS_PER_PLAN, MAX_QUOTE_LENGTH, MAX_SUGGEST_LENGTH, quote,
} from './limits.js';
import type { Level, RuleId } from './model.js';
import { PRESET_NAMES } from './presets.js';

/** What an artifact expects of the binaries it matches, after presets are applied. Every key is optional. */
export interface Expectations {
  type?: BinaryType[];
  linkage?: PlanLinkage[];
  libc?: Libc[];
  pie?: boolean;
  /** false: no interpreter; otherwise globs one of which the interpreter must match. */
  interpreter?: string[] | false;
  needed?: { allow?: string[]; forbid?: string[] };
  rpath?: string[] | RpathPolicy;
  runpath?: string[] | RpathPolicy;
  /** RPATH and RUNPATH together, whichever the binary uses (Mach-O: LC_RPATH). */
  searchPaths?: string[] | RpathPolicy;
  soname?: string | false;
  installName?: string | false;
  crt?: Crt[];
  delayImports?: string[] | false;
  glibcMax?: string;
  macosMin?: string;
  arch?: string[];
  relro?: 'full' | 'partial';
  bindNow?: boolean;
  nxStack?: boolean;
  textrel?: boolean;
  dylibs?: { allow?: DylibClass[] };
  /** Rules over dependencies as the loader resolves them (src/resolve): verify resolves only when one is set. */
  deps?: { resolve?: DepsResolve; 'allow-provenance'?: Provenance[]; provided?: string[] };
  libs?: Partial<Record<KnownLib, LibExpectation>>;
}
export type ExpectationKey = keyof Expectations;

export interface Artifact {
  /** Shown in reports: the `name` key, or the path patterns. */
  name: string;
  /** Where it sits in the plan (`artifact[2]`), for messages about the plan itself. */
  key: string;
  paths: string[];
  exclude: string[];
  preset: string | null;
  expect: Expectations;
  severity: Partial<Record<RuleId, Level>>;
  /** `target` patterns (Rust triples or globs over them); the expectations already hold their defaults. */
  targets?: string[];
  /** The layer that set each key, flattened (`linkage`, `needed.allow`, `libs.openssl`, `severity.rpath`): see layers.ts. */
  sources?: Record<string, string>;
}

/** What `linkplan diff` takes from a plan: the changes it expects (`kind` or `kind:glob`). */
export interface DiffSection {
  allow: string[];
}

export interface Plan {
  /** The plan file as the user named it. */
  file: string;
  diff: DiffSection;
  unmatched: UnmatchedPolicy;
  ignore: string[];
  severity: Partial<Record<RuleId, Level>>;
  artifacts: Artifact[];
  /** The layers the plan was made of, lowest first (one entry for a plan of one file). */
  layers?: string[];
  /** The layer that set each top-level key (`unmatched`, `ignore`, `severity.rpath`, `diff.allow`). */
  sources?: Record<string, string>;
}

/** A layer's list edit (`{ add = [...] }`, `{ remove = [...] }`): applied to the value of the layers below. */
export class ListEdit {
  constructor(readonly add: unknown[], readonly remove: unknown[]) {}
}

// ------------------------------------------------------------------------------------------------ description

export type Spec =
  /** `change`: a diff change kind, optionally `kind:glob` (the glob matches what the change is about). */
  /** `lib-version`: a version as a library states it, a letter suffix allowed (OpenSSL's "1.1.1k"). */
  | { t: 'string'; doc: string; format?: 'glob' | 'path' | 'version' | 'lib-version' | 'change' }
  | { t: 'boolean'; doc: string }
  /** `refused`: why any other value is refused, said in the error. */
  | { t: 'false'; doc: string; refused?: string }
  | { t: 'const'; value: number; doc: string }
  /** `refused`: words of the kind that are refused here, each with the reason the error gives. */
  | { t: 'enum'; values: readonly string[]; doc: string; refused?: Readonly<Record<string, string>> }
  /** `min`: the fewest items (JSON Schema minItems; parsePlan enforces it for artifact). `max`: the most (see limits.ts). */
  | { t: 'list'; of: Spec; doc: string; min?: number; max?: number; edit?: false }
  /** One value or a list of them; normalised to a list. `edit: false`: no `{ add, remove }` form (see ListEdit). */
  | { t: 'many'; of: Spec; doc: string; edit?: false; min?: number }
  | { t: 'union'; of: Spec[]; doc: string }
  /** `missing`: what to say when a required key is absent (default "missing (required)"). */
  | { t: 'table'; props: Record<string, Spec>; required?: string[]; missing?: Record<string, string>; doc: string }
  /** A table whose keys come from a closed set, all with the same kind of value (or, in `ofKey`, a key's own). */
  | { t: 'map'; keys: readonly string[]; of: Spec; doc: string; ofKey?: Readonly<Record<string, Spec>> };

const str = (doc: string): Spec => ({ t: 'string', doc });
const glob = (doc: string): Spec => ({ t: 'string', format: 'glob', doc });
/** A glob over file paths: "/"-separated (a backslash would escape the next character, not separate directories). */
const pathGlob = (doc: string): Spec => ({ t: 'string', format: 'path', doc });
const version = (doc: string): Spec => ({ t: 'string', format: 'version', doc });
const libVersion = (doc: string): Spec => ({ t: 'string', format: 'lib-version', doc });
const bool = (doc: string): Spec => ({ t: 'boolean', doc });
const no = (doc: string): Spec => ({ t: 'false', doc });
const oneOf = (values: readonly string[], doc = ''): Spec => ({ t: 'enum', values, doc });

/** Libraries src/facts/fingerprints.ts can prove a static copy of; of the others, only needed names are checked. */
const FINGERPRINTED: ReadonlySet<string> = new Set(FINGERPRINTS.map((f) => f.name));

/**
 * `libs.<name>` of a library with no fingerprint: a statically linked copy can be neither proven nor ruled out, so
 * "static" and a version floor are refused (they could never hold), and "absent" / { static = false } check its
 * needed names only (docs/plan.md says so), never claiming more.
 */
function unprovable(lib: string): Spec {
  const why = `linkplan has no fingerprint for ${lib}, so a statically linked copy cannot be proven `
    + '(only its needed names are checked: "dynamic", "absent", { static = false } or "any")';
  return union(
    `"dynamic", "absent" or "any", or { static = false }: linkplan has no fingerprint for ${lib}, so only its needed names are checked.`,
    { t: 'enum', values: ['dynamic', 'absent', 'any'], doc: '', refused: { static: why, vendored: why } },
    { t: 'table', doc: 'static = false: no needed library of its names.', props: { static: { t: 'false', doc: 'Only false.', refused: why } } },
  );
}

/** `libs.<name>` as a word; `vendored` is a synonym of `static` (the word release notes use). */
export const LIB_POLICIES = ['dynamic', 'static', 'vendored', 'absent', 'any'] as const;
export type LibExpectation = (typeof LIB_POLICIES)[number] | { static?: boolean; min?: string };
const list = (of: Spec, doc = ''): Spec => ({ t: 'list', of, doc });
const many = (of: Spec, doc: string): Spec => ({ t: 'many', of, doc });
/** A list of allowed values that may not be empty: `[]` would allow nothing, and every binary would fail. */
const allowed = (s: Spec): Spec => ({ ...s, min: 1 } as Spec);
const union = (doc: string, ...of: Spec[]): Spec => ({ t: 'union', of, doc });

const searchPathSpec = (what: string): Spec => union(
  `${what}: an exact list of entries (each may be a glob; [] means none), or a policy: "no-absolute" (no entry is an absolute path) `
    + 'or "anchored-to-origin" (every entry starts with $ORIGIN, @loader_path or @executable_path).',
  list(glob('entry')), oneOf(RPATH_POLICIES),
);

/** One spec per expectation key; the mapped type makes a key missing from either side a compile error. */
export const EXPECTATION_SPECS: { [K in ExpectationKey]-?: Spec } = {
  type: allowed(many(oneOf(BINARY_TYPES), 'What the file must be: executable, shared-library, bundle, …')),
  linkage: allowed(many(oneOf(PLAN_LINKAGES), 'How it must be linked: static (no interpreter, nothing needed), static-pie (the same, '
    + 'position-independent) or dynamic.')),
  libc: allowed(many(oneOf(LIBCS), 'The C library it must be bound to.')),
  pie: bool('Executables must (true) or must not (false) be position-independent. Not checked for libraries.'),
  interpreter: union(
    'false: no program interpreter (PT_INTERP); otherwise glob(s) the interpreter must match.',
    no('no interpreter'), allowed(many(glob('interpreter'), 'interpreter globs')),
  ),
  needed: {
    t: 'table', doc: 'Libraries the loader must find (ELF DT_NEEDED, PE imported DLLs, Mach-O dylibs).', props: {
      allow: list(glob('name'), 'Every needed library must match one of these globs ([] means none may be needed). Case-insensitive for PE.'),
      forbid: list(glob('name'), 'No needed library may match any of these globs. Case-insensitive for PE.'),
    },
  },
  rpath: searchPathSpec('DT_RPATH entries'),
  runpath: searchPathSpec('DT_RUNPATH entries'),
  searchPaths: searchPathSpec('DT_RPATH and DT_RUNPATH entries together, whichever the binary uses (Mach-O: LC_RPATH)'),
  soname: union('false: no DT_SONAME; otherwise a glob it must match.', no('no soname'), glob('soname')),
  installName: union('false: no LC_ID_DYLIB; otherwise a glob the dylib install name must match.', no('no install name'), glob('install name')),
  crt: allowed(many(oneOf(CRTS), 'The Windows C runtime model(s) allowed (PE only). msvc-debug is forbidden unless listed here.')),
  delayImports: union('false: no delay-loaded DLLs; otherwise globs every delay-loaded DLL must match (PE only).', no('no delay imports'), list(glob('DLL'))),
  glibcMax: version('The newest glibc symbol version the binary may require (its glibc floor), e.g. "2.28" (ELF).'),
  macosMin: version('The oldest macOS the binary must run on: its minimum OS version (LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX) may not be newer (Mach-O).'),
  arch: allowed(many(str('architecture'),
    'Architecture(s): x86_64, aarch64, i386, arm, riscv64, … (x64/amd64, arm64 and x86/i686 are accepted as aliases).')),
  relro: oneOf(RELRO_LEVELS, 'At least this much RELRO: "partial" (PT_GNU_RELRO) or "full" (PT_GNU_RELRO and BIND_NOW) (ELF).'),
  bindNow: bool('Symbols must (true) or must not (false) be bound at load time: DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW (ELF).'),
  nxStack: bool('The stack must (true) be non-executable: PT_GNU_STACK without PF_X (ELF).'),
  textrel: bool('Text relocations allowed (true) or forbidden (false): DT_TEXTREL / DF_TEXTREL (ELF).'),
  dylibs: {
    t: 'table', doc: 'Mach-O dylibs by where they come from.', props: {
      allow: allowed(list(oneOf(DYLIB_CLASSES), 'Every dylib must be of one of these classes: apple-system, homebrew, relative '
        + '(@rpath/@loader_path/@executable_path), absolute-other.')),
    },
  },
  deps: {
    t: 'table', doc: 'Dependencies resolved as the target\'s loader would (linkplan resolve): verify resolves them against the shipped tree or '
      + 'archive and --root.', props: {
      resolve: oneOf(DEPS_RESOLVE, '"inside-root": every dependency, down the whole loading chain, is found inside the shipped tree or archive, '
        + 'or in the system (the root\'s system directories, Apple\'s shared cache, Windows\' own DLLs and API sets); a missing one, or one '
        + 'found elsewhere, is a violation.'),
      'allow-provenance': allowed(list(oneOf(PROVENANCE_CLASSES), 'Every dependency found must come from one of these: system, apple-system, homebrew, '
        + 'crt (a Windows C runtime DLL), bundled (inside the shipped tree or archive), other.')),
      provided: list(glob('name'), 'Dependencies the channel installs itself (a package\'s dependencies, an installer\'s VC++ redistributable): '
        + 'not found is not a violation of deps.resolve. Case-insensitive for PE.'),
    },
  },
  libs: {
    t: 'map', keys: KNOWN_LIB_NAMES, doc: 'Per well-known library: how it may be linked.',
    of: union(
      '"dynamic" (a needed library), "static" or "vendored" (a statically linked copy, proven by its symbols or version strings), '
        + '"absent" (neither), "any" (not checked); or a table.',
      oneOf(LIB_POLICIES),
      {
        t: 'table', doc: 'static: a vendored copy must (true) or must not (false) be there; min: the oldest version allowed (the file must state it).', props: {
          static: bool('A statically linked copy must (true) or must not (false) be there.'),
          min: libVersion('The oldest version allowed, e.g. "3.0.13" or "1.1.1k": a copy whose version the file does not state fails.'),
        },
      },
    ),
    ofKey: Object.fromEntries(KNOWN_LIB_NAMES.filter((n) => !FINGERPRINTED.has(n)).map((n) => [n, unprovable(n)])),
  },
};

/** A map's keys for an error, at most 16 of them: the severity map names 36 rule ids, and errors stay one short line. */
const someKeys = (keys: readonly string[]) => (keys.length > 16 ? `${keys.slice(0, 15).join(', ')} and ${keys.length - 15} more` : keys.join(', '));

const severityTable: Spec = { t: 'map', keys: RULE_IDS, of: oneOf(LEVELS), doc: 'Severity per rule id: "error", "warn" or "off".' };

export const ARTIFACT_SPEC: Spec = {
  t: 'table', required: ['path'], doc: 'A set of binaries, matched by path globs, and what is expected of them.', props: {
    path: many(pathGlob('pattern'), 'Glob(s) over paths relative to the plan file\'s directory; a pattern without "/" matches the file name at any depth.'),
    exclude: many(pathGlob('pattern'), 'Glob(s) of paths this artifact does not cover.'),
    name: str('Name shown in reports (default: the path patterns).'),
    preset: oneOf(PRESET_NAMES, 'A named set of expectations; keys set here override it one by one.'),
    target: many(glob('Rust target'), 'Rust target triple(s), or globs over them: the artifact starts from what `linkplan plan init` writes for the target.'),
    crtStatic: bool('With target: whether the build uses crt-static (default: rustc\'s, on for musl, off elsewhere).'),
    skip: bool('true: this artifact is not checked (a layer above the plan switches off one of its artifacts).'),
    severity: severityTable,
    ...EXPECTATION_SPECS,
  },
};

/** A plan without artifacts checks nothing and, with the default unmatched = "warn", would hold for anything. */
export const NO_ARTIFACT = 'missing: a plan needs at least one [[artifact]] table (`linkplan plan init` writes one)';

export const PLAN_SPEC: Spec = {
  t: 'table', required: ['artifact'], missing: { artifact: NO_ARTIFACT }, doc: 'A linkplan linkage plan.', props: {
    $schema: str('JSON Schema of the plan (editors use it).'),
    version: { t: 'const', value: 1, doc: 'Plan format version.' },
    extends: {
      ...many(str('plan file'), 'Plan file(s) this plan is layered over, relative to this file: their keys apply first, this plan\'s win.'),
      edit: false,
    } as Spec,
    unmatched: oneOf(UNMATCHED_POLICIES, 'What to do with a binary no artifact matches: "error", "warn" (default) or "ignore".'),
    ignore: many(pathGlob('pattern'), 'Glob(s) of paths not to check at all (neither analysed nor reported).'),
    severity: severityTable,
    artifact: { ...list(ARTIFACT_SPEC, 'The artifacts ([[artifact]] tables).'), min: 1, max: MAX_ARTIFACTS, edit: false } as Spec,
    diff: {
      t: 'table', doc: 'What `linkplan diff` expects to change between two builds (only this table is used by diff).', props: {
        allow: { ...list({ t: 'string', format: 'change', doc: 'change' },
          'Changes that pass: a change kind ("needed-added"), or kind:glob where the glob matches what the change is about: the library, '
            + 'search-path entry, floor, feature or arch ("needed-added:libssl*", "floor-raised:glibc").'), max: MAX_GLOBS_PER_LIST } as Spec,
      },
    },
  },
};

// ------------------------------------------------------------------------------------------------ validation

/** A problem with a plan: the file, the key path, and what was expected. `line`/`column` for syntax errors. */
export interface PlanError {
  file: string;
  key: string | null;
  message: string;
  line?: number;
  column?: number;
}

export function formatPlanError(e: PlanError): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : e.file;
  return `${where}: ${e.key ? `${e.key}: ` : ''}${e.message}`;
}

function orList(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

/** What a spec accepts, as a phrase: `"static", "static-pie" or "dynamic"`, `a list of globs`. */
export function describeSpec(s: Spec): string {
  switch (s.t) {
    case 'string': return s.format === 'glob' || s.format === 'path' ? 'a glob string' : s.format === 'version' ? 'a version string like "2.28"'
      : s.format === 'lib-version' ? 'a version string like "3.0.13" or "1.1.1k"'
      : s.format === 'change' ? 'a change kind, or kind:glob' : 'a string';
    case 'boolean': return 'true or false';
    case 'false': return 'false';
    case 'const': return String(s.value);
    case 'enum': return s.values.length > 8 ? `one of ${s.values.map(quote).join(', ')}` : orList(s.values.map(quote));
    case 'list': return `a list of ${plural(s.of)}`;
    case 'many': return `${describeSpec(s.of)}, or a list of them`;
    case 'union': return orList(s.of.map(describeSpec));
    case 'table': return 'a table';
    case 'map': return 'a table';
  }
}
function plural(s: Spec): string {
  if (s.t === 'string') return s.format === 'glob' || s.format === 'path' ? 'glob strings' : 'strings';
  if (s.t === 'enum') return describeSpec(s);
  if (s.t === 'table') return 'tables';
  return describeSpec(s);
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date || (typeof v === 'object' && v !== null && 'isDate' in v)) return 'a date';
  if (typeof v === 'object') return 'a table';
  return typeof v;
}

function kindMatches(s: Spec, v: unknown): boolean {
  switch (s.t) {
    case 'string': case 'enum': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'false': return v === false;
    case 'const': return typeof v === 'number';
    case 'list': return Array.isArray(v);
    case 'many': return Array.isArray(v) || kindMatches(s.of, v);
    case 'union': return s.of.some((o) => kindMatches(o, v));
    case 'table': case 'map': return isTable(v);
  }
}
const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) !== Date.prototype
    && !('isDate' in (v as object));

/** The list a spec accepts (a list, a one-or-many, or a union with one), which a layer may edit with add/remove. */
function listSpecOf(s: Spec): Spec | null {
  // Artifacts merge by name and `extends` names files: neither is a list a layer edits.
  if ((s.t === 'list' || s.t === 'many') && s.edit === false) return null;
  if (s.t === 'list') return s;
  if (s.t === 'many') return { t: 'list', of: s.of, doc: s.doc };
  if (s.t === 'union') for (const o of s.of) { const l = listSpecOf(o); if (l) return l; }
  return null;
}

/** Why a glob cannot be used, or null: the glob compiler's own check (unbalanced [ ] {, unsupported syntax, length). */
export const globProblem = (p: string): string | null => globSyntaxProblem(p);

const VERSION_RE = /^\d+(\.\d+){0,3}$/;
const LIB_VERSION_RE = /^\d+(\.\d+){0,3}[a-z]{0,2}$/;

/** The candidate within a few edits of key, if any. Long keys get none: no candidate is that long, and distance() is quadratic. */
function closest(key: string, candidates: readonly string[]): string | null {
  if (key.length > MAX_SUGGEST_LENGTH) return null;
  let best: string | null = null, bestD = Infinity;
  for (const c of candidates) {
    const d = distance(key.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : null;
}
class Invalid extends Error {
  constructor(readonly key: string, message: string) { super(message); }
}
/** A problem that ends validation: a plan-wide cost limit (past it, every further glob would be one more error). */
class Fatal extends Invalid {}
/** `base.k`, or `base["k"]` for a key that is not a plain word, or too long to repeat in full (quote() shortens it). */
const joinKey = (base: string, k: string) =>
  (k.length <= MAX_QUOTE_LENGTH && /^[A-Za-z_$][\w$+-]*$/.test(k) ? (base ? `${base}.${k}` : k) : `${base}[${quote(k)}]`);

/** Errors kept per plan; the rest are counted, and the last entry says how many ("… and 7 more errors"). */
export const MAX_PLAN_ERRORS = 50;

/**
 * Plan-wide state while validating: the glob count (for the limit no single value can see) and every problem found.
 * Validation goes on past a bad value, so one run names all of a plan's mistakes, not the first of them.
 */
interface Tally { globs: number; errors: Invalid[]; count: number; layer?: boolean }

/** Record a problem and carry on; a Fatal one (or any other exception) ends the walk. */
function note(tally: Tally, e: unknown): void {
  if (!(e instanceof Invalid) || e instanceof Fatal) throw e;
  if (tally.errors.length < MAX_PLAN_ERRORS) tally.errors.push(e);
  tally.count++;
}
/** check() on one child value: its problem is noted, the siblings are still checked. */
function checkChild(s: Spec, v: unknown, key: string, tally: Tally): unknown {
  try {
    return check(s, v, key, tally);
  } catch (e) {
    note(tally, e);
    return undefined;
  }
}

const isGlobSpec = (s: Spec) => s.t === 'string' && (s.format === 'glob' || s.format === 'path');

/** A list's items, after checking its length against the limits: before any item is looked at, so cost stays linear. */
function items(s: Spec & { t: 'list' | 'many' }, v: unknown[], key: string): unknown[] {
  // The artifact list says why in its own words (NO_ARTIFACT); other lists that allow values may not allow none.
  if (s.min !== undefined && v.length < s.min && s.edit !== false) {
    throw new Invalid(key, 'an empty list allows nothing, so every binary would fail: give at least one value, or leave the key out');
  }
  const max = (s.t === 'list' ? s.max : undefined) ?? (isGlobSpec(s.of) ? MAX_GLOBS_PER_LIST : undefined);
  if (max !== undefined && v.length > max) {
    throw new Invalid(key, `${v.length} ${isGlobSpec(s.of) ? 'globs' : 'entries'}, more than the limit of ${max}`);
  }
  return v;
}

/**
 * Check a value against a spec and return it normalised (`many` → list). A value of the wrong kind throws Invalid
 * with the key path; problems inside a list or table are noted in the tally, one per bad item or key.
 */
function check(s: Spec, v: unknown, key: string, tally: Tally): unknown {
  // Allowed in a plan of one file too: its target defaults are a layer below it.
  const edits = isTable(v) ? listSpecOf(s) : null;
  if (edits && Object.keys(v as object).length > 0 && Object.keys(v as object).every((k) => k === 'add' || k === 'remove')) {
    const t = v as { add?: unknown; remove?: unknown };
    const part = (k: 'add' | 'remove') => (t[k] === undefined ? [] : (checkChild(edits, t[k], joinKey(key, k), tally) as unknown[] | undefined) ?? []);
    return new ListEdit(part('add'), part('remove'));
  }
  if (!kindMatches(s, v)) {
    if (s.t === 'false' && s.refused) throw new Invalid(key, `${describeValue(v)}: ${s.refused}`);
    throw new Invalid(key, `expected ${describeSpec(s)}, got ${describeValue(v)}`);
  }
  switch (s.t) {
    case 'string':
      if (s.format === 'glob' || s.format === 'path') {
        if (s.format === 'path' && (v as string).includes('\\')) {
          throw new Invalid(key, `${quote(v as string)}: separate directories with "/", not "\\" (in a glob a backslash escapes the next `
            + 'character; match a literal * ? [ with [*] [?] [[])');
        }
        if (++tally.globs > MAX_GLOBS_PER_PLAN) throw new Fatal(key, `more than ${MAX_GLOBS_PER_PLAN} globs in the plan (the limit)`);
        const n = (v as string).length;
        if (n > MAX_GLOB_LENGTH) throw new Invalid(key, `a glob of ${n} characters, more than the limit of ${MAX_GLOB_LENGTH}`);
        const p = globProblem(v as string);
        if (p) throw new Invalid(key, `malformed glob ${quote(v as string)}: ${p}`);
      }
      if (s.format === 'change') {
        const t = v as string, i = t.indexOf(':');
        const kind = i < 0 ? t : t.slice(0, i);
        if (!(CHANGE_KINDS as readonly string[]).includes(kind)) {
          const near = closest(kind, CHANGE_KINDS);
          throw new Invalid(key, `unknown change kind ${quote(kind)}${near ? ` (did you mean ${quote(near)}?)` : ''}`);
        }
        if (i >= 0) {
          const g = t.slice(i + 1);
          if (++tally.globs > MAX_GLOBS_PER_PLAN) throw new Invalid(key, `more than ${MAX_GLOBS_PER_PLAN} globs in the plan (the limit)`);
          if (g.length > MAX_GLOB_LENGTH) throw new Invalid(key, `a glob of ${g.length} characters, more than the limit of ${MAX_GLOB_LENGTH}`);
          const p = g === '' ? 'an empty glob' : globProblem(g);
          if (p) throw new Invalid(key, `malformed glob ${quote(g)}: ${p}`);
        }
      }
      const re = s.format === 'version' ? VERSION_RE : s.format === 'lib-version' ? LIB_VERSION_RE : null;
      if (re && !re.test(v as string)) throw new Invalid(key, `expected ${describeSpec(s)}, got ${quote(v as string)}`);
      return v;
    case 'boolean': case 'false': return v;
    case 'const':
      if (v !== s.value) throw new Invalid(key, `expected ${s.value}, got ${describeValue(v)} (this linkplan reads plan version ${s.value})`);
      return v;
    case 'enum':
      if (s.refused && Object.hasOwn(s.refused, v as string)) throw new Invalid(key, `${quote(v as string)}: ${s.refused[v as string]}`);
      if (!s.values.includes(v as string)) {
        const near = closest(v as string, s.values);
        throw new Invalid(key, `expected ${describeSpec(s)}, got ${quote(v as string)}${near ? ` (did you mean ${quote(near)}?)` : ''}`);
      }
      return v;
    case 'list': return items(s, v as unknown[], key).map((x, i) => checkChild(s.of, x, `${key}[${i}]`, tally));
    case 'many':
      return Array.isArray(v) ? items(s, v, key).map((x, i) => checkChild(s.of, x, `${key}[${i}]`, tally)) : [check(s.of, v, key, tally)];
    case 'union': {
      const fits = s.of.filter((o) => kindMatches(o, v));
      if (fits.length === 1) return check(fits[0], v, key, tally);
      // Several kinds fit: the first alternative that holds without a problem wins, each tried on a scratch tally.
      for (const o of fits) {
        const scratch: Tally = { globs: tally.globs, errors: [], count: 0, layer: tally.layer };
        try {
          const out = check(o, v, key, scratch);
          if (scratch.count === 0) { tally.globs = scratch.globs; return out; }
        } catch (e) {
          if (!(e instanceof Invalid) || e instanceof Fatal) throw e;
        }
      }
      throw new Invalid(key, `expected ${describeSpec(s)}, got ${describeValue(v)}`);
    }
    case 'table': {
      const t = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(t)) {
        // Own keys only: "constructor" or "__proto__" in a plan is an unknown key, not Object.prototype's.
        const sub = Object.hasOwn(s.props, k) ? s.props[k] : undefined;
        if (!sub) {
          const near = closest(k, Object.keys(s.props));
          const hint = near ? ` (did you mean ${quote(near)}?)` : ` (expected one of: ${Object.keys(s.props).join(', ')})`;
          note(tally, new Invalid(joinKey(key, k), `unknown key${hint}`));
          continue;
        }
        out[k] = checkChild(sub, t[k], joinKey(key, k), tally);
      }
      // A layer over other plans may leave out what they supply; the merged plan is checked for it (layers.ts).
      for (const r of tally.layer ? [] : s.required ?? []) if (!(r in t)) note(tally, new Invalid(joinKey(key, r), s.missing?.[r] ?? 'missing (required)'));
      return out;
    }
    case 'map': {
      const t = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(t)) {
        if (!s.keys.includes(k)) {
          const near = closest(k, s.keys);
          note(tally, new Invalid(joinKey(key, k), `unknown key${near ? ` (did you mean ${quote(near)}?)` : ` (expected one of: ${someKeys(s.keys)})`}`));
          continue;
        }
        out[k] = checkChild(s.ofKey?.[k] ?? s.of, t[k], joinKey(key, k), tally);
      }
      return out;
    }
  }
}

export interface RawArtifact extends Expectations {
  path: string[];
  exclude?: string[];
  name?: string;
  preset?: string;
  target?: string[];
  crtStatic?: boolean;
  skip?: boolean;
  severity?: Partial<Record<RuleId, Level>>;
}
export interface RawPlan {
  $schema?: string;
  version?: 1;
  extends?: string[];
  unmatched?: UnmatchedPolicy;
  ignore?: string[];
  severity?: Partial<Record<RuleId, Level>>;
  artifact?: RawArtifact[];
  diff?: { allow?: string[] };
}

/** A plan that did not validate: every problem (at most MAX_PLAN_ERRORS, then a "… and N more errors" entry); `error` is the first. */
export interface PlanErrors { error: PlanError; errors: PlanError[] }

/**
 * Validate parsed plan data (from TOML or JSON). `prefix` is the key path of the plan inside its document
 * (`package.metadata.linkplan` in Cargo.toml), so messages name the key as the user wrote it. Every problem is
 * reported, in document order, so a plan is fixed in one round rather than one mistake per run.
 */
export function validatePlan(data: unknown, file: string, prefix = '', opts: { layer?: boolean } = {}): { plan: RawPlan } | PlanErrors {
  const tally: Tally = { globs: 0, errors: [], count: 0, layer: !!opts.layer };
  let plan: RawPlan | undefined;
  try {
    plan = check(PLAN_SPEC, data, prefix, tally) as RawPlan;
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    if (tally.errors.length < MAX_PLAN_ERRORS) tally.errors.push(e);
    tally.count++;
  }
  if (plan !== undefined && tally.count === 0) return { plan };
  const errors: PlanError[] = tally.errors.map((e) => ({ file, key: e.key || null, message: e.message }));
  const more = tally.count - tally.errors.length;
  if (more > 0) errors.push({ file, key: null, message: `… and ${more} more error${more === 1 ? '' : 's'}` });
  return { error: errors[0], errors };
}

// ------------------------------------------------------------------------------------------------ JSON Schema

type JsonSchema = Record<string, unknown>;

function toSchema(s: Spec): JsonSchema {
  const d = s.doc ? { description: s.doc } : {};
  switch (s.t) {
    case 'string':
      return {
        type: 'string',
        ...(s.format === 'version' ? { pattern: VERSION_RE.source }
          : s.format === 'lib-version' ? { pattern: LIB_VERSION_RE.source }
          : s.format === 'change' ? { pattern: `^(${CHANGE_KINDS.join('|')})(:.+)?$` }
          : s.format === 'glob' ? { minLength: 1 }
          : s.format === 'path' ? { minLength: 1, pattern: '^[^\\\\]*$' }
          : {}),
        ...d,
      };
    case 'boolean': return { type: 'boolean', ...d };
    case 'false': return { const: false, ...d };
    case 'const': return { const: s.value, ...d };
    case 'enum': return { enum: [...s.values], ...d };
    case 'list': {
      const array = { type: 'array', items: toSchema(s.of), ...(s.min ? { minItems: s.min } : {}) };
      return s.edit === false ? { ...array, ...d } : { anyOf: [array, listEditSchema(s.of)], ...d };
    }
    case 'many': {
      const array = { type: 'array', items: toSchema(s.of), ...(s.min ? { minItems: s.min } : {}) };
      return { anyOf: [toSchema(s.of), array, ...(s.edit === false ? [] : [listEditSchema(s.of)])], ...d };
    }
    case 'union': return { anyOf: s.of.map(toSchema), ...d };
    case 'table': {
      const properties: Record<string, JsonSchema> = {};
      for (const [k, v] of Object.entries(s.props)) properties[k] = toSchema(v);
      return { type: 'object', ...d, properties, ...(s.required?.length ? { required: s.required } : {}), additionalProperties: false };
    }
    case 'map': {
      const properties: Record<string, JsonSchema> = {};
      for (const k of s.keys) properties[k] = toSchema(s.ofKey?.[k] ?? s.of);
      return { type: 'object', ...d, properties, additionalProperties: false };
    }
  }
}

/** `{ add = [...] }` / `{ remove = [...] }`: a layer's edit of the list below it (docs/plan.md, "Plan layers"). */
function listEditSchema(of: Spec): JsonSchema {
  const items = { type: 'array', items: toSchema(of) };
  return { type: 'object', properties: { add: items, remove: items }, minProperties: 1, additionalProperties: false };
}

/** The JSON Schema published as schema/linkplan.schema.json (a test keeps the file equal to this). */
export function planJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'linkplan linkage plan',
    ...toSchema(PLAN_SPEC),
  };
}
