/**
 * Findings and the verify report: plain data, no prose. Every sentence a person reads comes from messages.ts,
 * keyed by the rule id; renderers turn a finding's args into text.
 */
import type { ArchiveNoteCode, BinaryType, Evidence, Libc, Linkage } from '../facts/types.js';

/** Severity of a finding, as reports show it. */
export type Severity = 'error' | 'warning';
/** What a plan may set a rule to (`[severity]` tables): `off` silences it. */
export type Level = 'error' | 'warn' | 'off';

/** A value a finding records as expected or actual: JSON-safe. */
export type Json = string | number | boolean | null | Json[];

/** Args of each rule's finding, keyed by rule id. messages.ts must have an entry for every key (the compiler asks). */
export interface RuleArgs {
  'binary-type': { expected: BinaryType[]; actual: BinaryType };
  linkage: { expected: string[]; actual: Linkage | null; type: BinaryType };
  libc: { expected: Libc[]; actual: Libc };
  pie: { expected: boolean; actual: boolean | null };
  interpreter: { expected: string[] | false; actual: string | null };
  'needed-allow': { names: string[]; allow: string[] };
  'needed-forbid': { name: string; pattern: string };
  rpath: RpathArgs;
  runpath: RpathArgs;
  'search-paths': RpathArgs;
  soname: { expected: string | false; actual: string | null };
  'install-name': { expected: string | false; actual: string | null };
  crt: { expected: string[]; actual: string };
  'crt-debug': { actual: string; dlls: string[] };
  'delay-imports': { name: string; allow: string[] | false };
  'glibc-max': { max: string; actual: string };
  'macos-min': { min: string; actual: string; arch: string | null };
  arch: { expected: string[]; actual: string };
  relro: { expected: 'full' | 'partial'; actual: string };
  'bind-now': { expected: boolean; actual: boolean };
  'nx-stack': { expected: boolean; actual: boolean | null };
  textrel: { expected: boolean; actual: boolean };
  'dylibs-allow': { name: string; class: string; allow: string[] };
  /**
   * deps.resolve: a dependency (named by `from`, at `depth` levels below the binary; 0: its own) that the loader
   * does not find (`status` missing, wrong-arch, unloadable, ambiguous) or finds outside the shipped tree and the system.
   */
  'deps-resolve': { name: string; from: string; depth: number; status: string; path: string | null; provenance: string | null; kind: string };
  /** deps.allow-provenance: a dependency found with a provenance the plan does not allow. */
  'deps-provenance': { name: string; from: string; depth: number; path: string | null; provenance: string; allow: string[] };
  /**
   * expected: what failed (`not-static`: `static = false`; `min`: the version floor). actual: the verdict when
   * libraries were looked for (null when only needed names were).
   */
  libs: {
    lib: string; expected: 'dynamic' | 'absent' | 'static' | 'not-static' | 'min'; patterns: string[]; matched: string[];
    actual: 'dynamic' | 'static' | 'absent' | 'unknown' | null; version: string | null; min: string | null;
  };
  'artifact-missing': { pattern: string[]; artifact: string };
  'unmatched-binary': { policy: 'error' | 'warn' };
  'archive-member': { code: ArchiveNoteCode; target: string | null };
  /** `found`: binaries found that no artifact covers (a run over the wrong directory finds some, or none). */
  'nothing-checked': { found: number };
  // Audit rules (src/audit/): release hygiene that needs no plan.
  'build-path': { field: string; path: string; prefix: string; source: BuildPathSource };
  'unanchored-search-path': { field: string; entry: string };
  /** shippedAt: the library is shipped there, in a directory the loader does not search for it. */
  'unshipped-dependency': { field: string; name: string; loaded: 'start' | 'delayed' | 'weak'; lookedIn: LookedIn[]; shippedAt?: string[] };
  'debug-crt': { crt: string; dlls: string[] };
  'homebrew-path': { field: string; path: string; prefix: string };
  'pdb-path': { path: string; absolute: boolean; prefix: string | null; source: BuildPathSource | null };
  'text-relocations': { tags: string[] };
  'exec-stack': { field: string; value: string | null };
  'slices-disagree': { what: string; detail: string };
  'glibc-floor': { max: string; actual: string };
  'unprefixed-allocator': { defines: string[]; libc: string; allocator: string | null };
}

/** Which kind of build machine a leaked path comes from (src/audit/build-paths.ts). */
export type BuildPathSource = 'home' | 'macos-home' | 'windows-home' | 'temp' | 'macos-temp' | 'build' | 'github-actions' | 'gitlab';

/**
 * Where unshipped-dependency looked for a library: the files shipped with the binary, or a system's own set of
 * libraries (ELF by C library; `elf` is the union, for a binary whose C library is not known).
 */
export type LookedIn = 'shipped' | 'glibc' | 'musl' | 'bionic' | 'elf' | 'windows' | 'macos';

/** `exact`: the list must equal `expected`; the policies check each entry. */
export interface RpathArgs {
  /** What the format calls the list (DT_RPATH, DT_RUNPATH, LC_RPATH…). */
  field: string;
  policy: 'exact' | 'no-absolute' | 'anchored-to-origin';
  expected: string[] | null;
  actual: string[];
  /** The entries that break a policy (empty for `exact`). */
  offending: string[];
}

export type RuleId = keyof RuleArgs;

/** Rules evaluate.ts raises about the plan as a whole rather than about one binary's facts. */
export const PLAN_RULES = ['artifact-missing', 'unmatched-binary', 'archive-member', 'nothing-checked'] as const satisfies readonly RuleId[];
export type PlanRuleId = (typeof PLAN_RULES)[number];
/** Rules of `linkplan audit` (src/audit/): they need no plan, but a plan's `[severity]` table can retune them. */
export const AUDIT_RULES = [
  'build-path', 'unanchored-search-path', 'unshipped-dependency', 'debug-crt', 'homebrew-path', 'pdb-path',
  'text-relocations', 'exec-stack', 'slices-disagree', 'glibc-floor', 'unprefixed-allocator',
] as const satisfies readonly RuleId[];
export type AuditRuleId = (typeof AUDIT_RULES)[number];
export const isAuditRuleId = (id: RuleId): id is AuditRuleId => (AUDIT_RULES as readonly string[]).includes(id);
/** The rules a plan's artifacts check (src/plan/rules/). */
export type FactRuleId = Exclude<RuleId, PlanRuleId | AuditRuleId>;

export interface Finding<Id extends RuleId = RuleId> {
  rule: Id;
  severity: Severity;
  /** The binary (as the user named it), or the plan file for plan-level findings. */
  file: string;
  /** The plan artifact the expectation came from (its name), or null for unmatched binaries. */
  artifact: string | null;
  /** The fact the rule looked at, named as in the format's spec where it has one (DT_NEEDED, PT_INTERP…). */
  field: string;
  /**
   * The plan layer that set the rule this finding failed: a plan file, `<file> (LINKPLAN_PLAN)`, `target default (…)`,
   * or `built-in` for what no plan set (the audit's hygiene rules, the default unmatched policy).
   */
  layer: string;
  expected: Json;
  actual: Json;
  evidence: Evidence[];
  args: RuleArgs[Id];
  /** Universal Mach-O: the slices (Apple arch names) the finding holds for. Absent for single-arch files. */
  slices?: string[];
  /**
   * Index (in VerifyReport.findings) of the finding this one shares its cause with: one cause, one line in tables.
   * Absent on primary and lone findings. See groupFindings() in evaluate.ts for what shares a cause.
   */
  primary?: number;
  /** Sharded runs only: the position of the event (binary or archive note) in the walk, so merge restores order. */
  seq?: number;
}

/** One applied check: a binary × an artifact × a rule, and whether it held. JUnit has one testcase per check. */
export interface Check {
  file: string;
  /** The plan artifact, or "audit" for the hygiene rules of `linkplan audit`. */
  artifact: string;
  rule: FactRuleId | AuditRuleId;
  /** Indexes into VerifyReport.findings for the findings this check produced (empty: it held). */
  findings: number[];
  /** Sharded runs only: see Finding.seq. */
  seq?: number;
}

export interface VerifiedBinary {
  file: string;
  format: string | null;
  /** Names of the plan artifacts whose patterns matched it. */
  artifacts: string[];
  /** unmatched: no artifact covers it (its finding, if the policy asks for one, is in findings). */
  status: 'pass' | 'fail' | 'warn' | 'unmatched' | 'error';
  /** What the binary is, in a few facts (SARIF properties, Markdown): absent for files that could not be read. */
  facts?: FactsSummary;
  /** Sharded runs only: see Finding.seq. */
  seq?: number;
}

/** The facts a report shows of a binary without keeping them all (verify keeps verdicts, never facts). */
export interface FactsSummary {
  arch: string;
  type: BinaryType;
  linkage: Linkage | null;
  libc: Libc;
  /** PE only: the C runtime model. */
  crt?: string;
  pie: boolean | null;
}

/** How many binaries each plan artifact matched, in plan order (merge computes artifact-missing from the sums). */
export interface ArtifactMatch {
  artifact: string;
  matched: number;
  /**
   * Sharded runs: the artifact-missing finding to raise should no shard match the artifact (a shard alone cannot
   * know), or null when the rule is off for it. Unsharded runs raise it themselves and leave this null.
   */
  missing: Finding<'artifact-missing'> | null;
}

/** Version of the `verify --format json` shape (docs/plan.md); bumped on any incompatible change. */
export const VERIFY_SCHEMA_VERSION = 1;

export interface VerifyReport {
  /** `digest`: planDigest() of the effective plan; absent in a report read back from an older linkplan. */
  plan: { file: string; digest?: string };
  /** Made by `linkplan audit` (its JSON says `"audit": true`), so merge renders it as one, --audit or not. */
  audit?: boolean;
  strict: boolean;
  binaries: VerifiedBinary[];
  findings: Finding[];
  checks: Check[];
  /** Files that could not be analysed: the run cannot vouch for them (exit 2). */
  errors: { file: string; code: string; message: string; seq?: number }[];
  /** Artifacts this run checked (all of the plan's, or those --artifact / --target selected), in plan order. */
  artifactMatches: ArtifactMatch[];
  /** Binaries some rule checked (covered by an artifact; in an audit, every binary read). 0: `nothing-checked`. */
  checked: number;
  /**
   * Sharded runs: the nothing-checked finding to raise should no shard check a binary (null: allowed, or off).
   * Unsharded runs raise it themselves.
   */
  whenEmpty?: Finding<'nothing-checked'> | null;
  /** `--shard i/n`: which part of the binaries this report covers (1-based index). */
  shard?: { index: number; count: number };
  /** binaries = passed + failed + unmatched + unanalysable; errors and warnings count findings. */
  summary: { binaries: number; passed: number; failed: number; unmatched: number; unanalysable: number; errors: number; warnings: number };
}

// ------------------------------------------------------------------------------------------------ diff changes

/**
 * The hardening features `linkplan diff` follows. ELF: RELRO (none < partial < full), BIND_NOW, NX (PT_GNU_STACK
 * without PF_X), TEXTREL (having it is the weakness). PE: NX (NX_COMPAT), DYNAMIC_BASE, HIGH_ENTROPY_VA, GUARD_CF.
 */
export type HardeningFeature = 'RELRO' | 'BIND_NOW' | 'NX' | 'TEXTREL' | 'DYNAMIC_BASE' | 'HIGH_ENTROPY_VA' | 'GUARD_CF';
/** The version floors of ELF symbol versioning (ElfFloors). */
export type FloorName = 'glibc' | 'glibcxx' | 'cxxabi' | 'gcc';

export interface FloorArgs {
  floor: FloorName;
  old: string | null;
  new: string | null;
  /** The symbol version (vna_name) that sets the newer floor, and the library (vn_file) it is needed from. */
  version: string | null;
  library: string | null;
}

/**
 * Args of each change `linkplan diff` reports, keyed by change kind: plain data, no prose. messages.ts must have
 * an entry for every key (CHANGE_MESSAGES, compiler-checked), and src/diff/changes.ts gives each its severity.
 */
export interface ChangeArgs {
  'binary-added': { format: string | null };
  'binary-removed': { format: string | null };
  'binary-moved': { from: string; to: string };
  'format-changed': { old: string; new: string };
  'arch-changed': { old: string; new: string };
  'type-changed': { old: BinaryType; new: BinaryType };
  'linkage-changed': { old: Linkage | null; new: Linkage | null };
  'pie-lost': { type: BinaryType };
  'pie-gained': { type: BinaryType };
  'interpreter-changed': { old: string | null; new: string | null };
  'libc-changed': { old: Libc; new: Libc };
  /** field: DT_NEEDED, the PE import table, or LC_*_DYLIB. position: 0-based index in the new list. */
  'needed-added': { field: string; name: string; position: number };
  'needed-removed': { field: string; name: string };
  /** The same names in another order (the libraries common to both lists, in each list's order). */
  'needed-reordered': { field: string; old: string[]; new: string[] };
  'delay-import-added': { name: string };
  'delay-import-removed': { name: string };
  'dylib-kind-changed': { name: string; old: string; new: string };
  'rpath-added': { field: string; entry: string };
  'rpath-removed': { field: string; entry: string };
  /** DT_RPATH ↔ DT_RUNPATH: the entries moved from one tag to the other. */
  'rpath-switched': { old: string; new: string; entries: string[] };
  'rpath-reordered': { field: string; old: string[]; new: string[] };
  /** field: DT_SONAME, LC_ID_DYLIB or the PE export directory Name. */
  'soname-changed': { field: string; old: string | null; new: string | null };
  'floor-raised': FloorArgs;
  'floor-lowered': FloorArgs;
  /** Mach-O LC_BUILD_VERSION / LC_VERSION_MIN_* platform, with the minimum OS each side names for its own platform. */
  'platform-changed': { old: string; new: string; oldMinOS: string | null; newMinOS: string | null };
  'min-os-raised': { platform: string | null; old: string | null; new: string | null };
  'min-os-lowered': { platform: string | null; old: string | null; new: string | null };
  'sdk-changed': { old: string | null; new: string | null };
  'crt-changed': { old: string; new: string };
  'hardening-lost': { feature: HardeningFeature; old: string | boolean; new: string | boolean };
  'hardening-gained': { feature: HardeningFeature; old: string | boolean; new: string | boolean };
  'slice-added': { arch: string };
  'slice-removed': { arch: string };
  /** A file read before that cannot be read now (or a binary that became something else). */
  unreadable: { code: string; message: string };
}

export type ChangeKind = keyof ChangeArgs;

/**
 * What a change means for whoever ships the new build. regression: it may stop loading or running somewhere it
 * did, or lost protection; improvement: the reverse; neutral: different, neither better nor worse on its own.
 */
export type ChangeSeverity = 'regression' | 'improvement' | 'neutral';
