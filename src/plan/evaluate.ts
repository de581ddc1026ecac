/**
 * Plan × facts → findings. Severities come from the plan (artifact `[severity]`, then the plan's, then the rule's
 * default); `strict` promotes warnings to errors here and nowhere else.
 */
import { isFailed, type ArchiveNote, type BinaryFacts, type BinaryResult } from '../facts/types.js';
import { matchesPath } from './glob.js';
import type { ArtifactMatch, Check, FactRuleId, FactsSummary, Finding, Level, RuleId, Severity, VerifiedBinary, VerifyReport } from './model.js';
import { RULE_LIST } from './rules/index.js';
import type { Rule } from './rules/define.js';
import { mergedOverUnits, units } from './rules/fields.js';
import type { Artifact, Plan } from './schema.js';
import type { ResolveResult } from '../resolve/model.js';

export interface EvaluateOptions {
  strict?: boolean;
  /**
   * The path(s) globs are matched against, for a binary's path: relative to the plan file's directory (and, for a
   * file outside it, its absolute path too). The CLI supplies it; by default the binary's own path.
   */
  matchPath?: (file: string) => string | string[];
  /**
   * The artifacts this run checks (--artifact, --target): binaries only other artifacts cover are passed over, not
   * reported unmatched, and only selected artifacts can be missing. Default: all.
   */
  selectArtifact?: (a: Artifact) => boolean;
  /** `--shard i/n` (1-based): evaluate only the binaries shardOf() puts in shard `index` of `count`. */
  shard?: { index: number; count: number };
  /** Do not raise `nothing-checked` for a run that checked no binary. */
  allowEmpty?: boolean;
  /** `audit`: the hygiene rules check every binary, so one no artifact covers still counts as checked. */
  checksEvery?: boolean;
  /** The resolver of a binary added without one (evaluate() over results whose files a caller can resolve). */
  resolve?: (f: BinaryFacts) => ResolveResult[];
}

/**
 * The shard (1-based) of `count` a path belongs to: FNV-1a over the path as named, so every run over the same tree,
 * on any machine, puts each binary in exactly one shard, whatever the walk order.
 */
export function shardOf(path: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return (h % count) + 1;
}

/** The few facts reports show of a binary (its full facts are not kept). */
export function factsSummary(f: BinaryFacts): FactsSummary {
  return { arch: f.arch, type: f.type, linkage: f.linkage, libc: f.libc, ...(f.format === 'pe' ? { crt: f.crt } : {}), pie: f.pie };
}

/**
 * One cause, one finding: marks each finding that follows from another one of the same binary with `primary`, the
 * index of that one. Two causes are recognised, both from the findings' own data:
 * - a `crt` finding is primary for the `needed-forbid` findings of the same artifact whose DLL is among the imports
 *   its evidence names (the CRT DLLs of that binary), and for the binary's `crt-debug` finding;
 * - a `linkage` finding under a static expectation (`dynamic` not expected) is primary for the same artifact's
 *   `interpreter` finding under `interpreter = false` and its `needed-allow` finding under `needed.allow = []`.
 * `fs` are the findings of one binary, starting at index `base` of the report's list.
 */
export function groupFindings(fs: Finding[], base: number): void {
  fs.forEach((p, i) => {
    if (p.rule === 'crt') {
      const dlls = new Set(p.evidence.filter((e) => e.field === 'import').map((e) => String(e.value).toLowerCase()));
      for (const f of fs) {
        if (f.primary !== undefined || f === p) continue;
        const forbidden = f.rule === 'needed-forbid' && f.artifact === p.artifact && dlls.has((f.args as { name: string }).name.toLowerCase());
        if (forbidden || f.rule === 'crt-debug') f.primary = base + i;
      }
    } else if (p.rule === 'linkage' && !(p.args as { expected: string[] }).expected.includes('dynamic')) {
      for (const f of fs) {
        if (f.primary !== undefined || f === p || f.artifact !== p.artifact) continue;
        const noInterp = f.rule === 'interpreter' && (f.args as { expected: unknown }).expected === false;
        const nothingNeeded = f.rule === 'needed-allow' && (f.args as { allow: string[] }).allow.length === 0;
        if (noInterp || nothingNeeded) f.primary = base + i;
      }
    }
  });
}

/** The expectation key (flattened, as in Artifact.sources) each fact rule reads, to name the layer that set it. */
const RULE_KEYS: Record<FactRuleId, string> = {
  'binary-type': 'type', linkage: 'linkage', libc: 'libc', pie: 'pie', interpreter: 'interpreter', 'needed-allow': 'needed.allow',
  'needed-forbid': 'needed.forbid', rpath: 'rpath', runpath: 'runpath', 'search-paths': 'searchPaths', soname: 'soname',
  'install-name': 'installName', crt: 'crt', 'crt-debug': 'crt', 'delay-imports': 'delayImports', 'glibc-max': 'glibcMax',
  'macos-min': 'macosMin', arch: 'arch', relro: 'relro', 'bind-now': 'bindNow', 'nx-stack': 'nxStack', textrel: 'textrel',
  'dylibs-allow': 'dylibs.allow', 'deps-resolve': 'deps.resolve', 'deps-provenance': 'deps.allow-provenance', libs: 'libs',
};

/** Does any artifact of the plan ask for a deps.* rule (so its binaries must be resolved)? */
export function planResolves(plan: Pick<Plan, 'artifacts'>): boolean {
  return plan.artifacts.some((a) => RULE_LIST.some((r) => r.resolves && r.param(a.expect) !== undefined && a.severity[r.id] !== 'off'));
}

/** Why a deps.* rule could not run: the caller gave no way to resolve (verify and audit always do). */
const NO_RESOLUTION = 'the plan asks for deps.* rules, which need the binary resolved against its tree and a root, and none was given';

/** What reports name as the layer of what no plan layer set. */
export const BUILT_IN_LAYER = 'built-in';

/** The layer that set `key` of an artifact (or of the plan, for a null artifact); the plan file when not recorded. */
export function layerOf(plan: Pick<Plan, 'file' | 'sources'>, a: Artifact | null, key: string, dflt = plan.file): string {
  return (a ? a.sources?.[key] : plan.sources?.[key]) ?? dflt;
}

/** The layer of a fact rule's finding: `libs.<lib>` for libs, the rule's key otherwise. */
function ruleLayer(plan: Plan, a: Artifact, id: FactRuleId, args: unknown): string {
  const key = id === 'libs' ? `libs.${(args as { lib: string }).lib}` : RULE_KEYS[id];
  return layerOf(plan, a, key, plan.file);
}

const toSeverity = (l: Exclude<Level, 'off'>): Severity => (l === 'warn' ? 'warning' : 'error');

/**
 * Does an artifact cover a path? `path`: the spellings of one file (plan-relative, absolute); see matchesPath.
 * `nocase` for PE files, whose names Windows compares case-insensitively.
 */
export function artifactMatches(a: Artifact, path: string | string[], nocase = false): boolean {
  return matchesPath(a.paths, path, nocase) && !matchesPath(a.exclude, path, nocase);
}

export function evaluate(plan: Plan, results: BinaryResult[], opts: EvaluateOptions = {}): VerifyReport {
  const ev = startEvaluation(plan, opts);
  for (const r of results) ev.add(r);
  return ev.finish();
}

/** An evaluation fed one result at a time (a streamed archive): it keeps findings and verdicts, never facts. */
export interface Evaluation {
  /**
   * `inner`: for an archive member, its path inside the archive, which is what the plan's globs see. `resolve`:
   * the binary's dependencies as its loader resolves them (one result per slice), called only when a deps.* rule
   * runs for it; without one such a rule makes the binary unanalysable (`no-resolution`). Returns the binary's entry
   * in the report (null: another shard's, or ignored by the plan): two binaries of one path are two entries.
   */
  add(r: BinaryResult, inner?: string | null, resolve?: () => ResolveResult[]): VerifiedBinary | null;
  /** What an archive said about a member (archive-member, an error unless the plan's `[severity]` says otherwise). */
  note(n: ArchiveNote): void;
  finish(): VerifyReport;
}

export function startEvaluation(plan: Plan, opts: EvaluateOptions = {}): Evaluation {
  const rel = (p: string): string[] => { const m = opts.matchPath?.(p) ?? p; return typeof m === 'string' ? [m] : m; };
  const findings: Finding[] = [];
  const checks: Check[] = [];
  const binaries: VerifiedBinary[] = [];
  const errors: VerifyReport['errors'] = [];
  const matchedCount = new Map<Artifact, number>();
  const selected = opts.selectArtifact ? plan.artifacts.filter(opts.selectArtifact) : plan.artifacts;
  const shard = opts.shard;
  // Every event (binary or archive note) of the walk is counted, in every shard alike, so seq orders them globally.
  let seq = -1;
  // Archive notes an audit checked: its archive-member rule looked at the archive, so the audit checked something.
  let notes = 0;
  /** Binaries this run found, those another matrix job's artifacts cover included (nothing-checked says how many). */
  let found = 0;
  const mark = <T extends object>(x: T): T => (shard ? Object.assign(x, { seq }) : x);
  const promote = (s: Severity): Severity => (opts.strict ? 'error' : s);
  const level = (a: Artifact | null, id: RuleId, dflt: Level): Level => (a?.severity[id] ?? plan.severity[id] ?? dflt);

  // The resolution of the binary being checked: asked for at most once, by the first deps.* rule that runs.
  let resolver: (() => ResolveResult[]) | undefined;
  let resolution: ResolveResult[] | { error: string } | undefined;
  function resolved(): ResolveResult[] | { error: string } {
    if (resolution === undefined) {
      const rs = resolver ? resolver() : null;
      const failed = rs?.find((x) => x.error !== null);
      resolution = !rs ? { error: NO_RESOLUTION } : failed ? { error: `cannot resolve its dependencies: ${failed.error!.message}` } : rs;
    }
    return resolution;
  }

  function add(r: BinaryResult, inner?: string | null, resolve?: () => ResolveResult[]): VerifiedBinary | null {
    seq++;
    if (shard && shardOf(r.path, shard.count) !== shard.index) return null;
    found++;
    const path = inner ? memberGlobPaths(inner) : rel(r.path);
    const nocase = r.format === 'pe';
    if (matchesPath(plan.ignore, path, nocase)) return null;
    // A member of an archive on disk under an ignored path is ignored with it (`ignore = ["dist/old/**"]`).
    const outer = inner && r.path.endsWith(`!${inner}`) ? r.path.slice(0, -inner.length - 1) : null;
    if (outer && matchesPath(plan.ignore, rel(outer), false)) return null;
    const all = plan.artifacts.filter((a) => artifactMatches(a, path, nocase));
    const artifacts = selected === plan.artifacts ? all : all.filter((a) => selected.includes(a));
    // Another matrix job's binary: neither checked nor unmatched here.
    if (all.length && !artifacts.length) return null;
    for (const a of artifacts) matchedCount.set(a, (matchedCount.get(a) ?? 0) + 1);
    const entry: VerifiedBinary = mark({
      file: r.path, format: r.format, artifacts: artifacts.map((a) => a.name), status: 'pass' as VerifiedBinary['status'],
      ...(isFailed(r) ? {} : { facts: factsSummary(r) }),
    });
    binaries.push(entry);
    if (isFailed(r)) {
      errors.push(mark({ file: r.path, code: r.error.code, message: r.error.message }));
      entry.status = 'error';
      return entry;
    }
    if (artifacts.length === 0) {
      entry.status = 'unmatched';
      const l = level(null, 'unmatched-binary', plan.unmatched === 'ignore' ? 'off' : plan.unmatched);
      if (l !== 'off') {
        findings.push(mark<Finding>({
          rule: 'unmatched-binary', severity: promote(toSeverity(l)), file: r.path, artifact: null, field: 'path',
          layer: layerOf(plan, null, plan.severity['unmatched-binary'] ? 'severity.unmatched-binary' : 'unmatched', plan.file),
          expected: 'a matching artifact', actual: path[0], evidence: [], args: { policy: l },
        }));
      }
      return entry;
    }
    const start = findings.length;
    const dflt = opts.resolve;
    resolver = resolve ?? (dflt ? () => dflt(r) : undefined);
    resolution = undefined;
    for (const a of artifacts) checkArtifact(r, a);
    checkPerBinary(r, artifacts);
    const got = resolution as ResolveResult[] | { error: string } | undefined;
    resolver = resolution = undefined;
    if (got && 'error' in got) {
      errors.push(mark({ file: r.path, code: 'no-resolution', message: got.error }));
      entry.status = 'error';
      return entry;
    }
    const mine = findings.slice(start);
    groupFindings(mine, start);
    entry.status = mine.some((f) => f.severity === 'error') ? 'fail' : mine.length ? 'warn' : 'pass';
    return entry;
  }

  function checkArtifact(f: BinaryFacts, a: Artifact): void {
    for (const rule of RULE_LIST) {
      if (rule.perBinary || (rule.formats && !rule.formats.includes(f.format))) continue;
      const param = rule.param(a.expect);
      if (param === undefined) continue;
      const l = level(a, rule.id, rule.severity === 'warning' ? 'warn' : 'error');
      if (l !== 'off') run(f, rule, param, a.name, l, a);
    }
  }

  function checkPerBinary(f: BinaryFacts, as: Artifact[]): void {
    for (const rule of RULE_LIST) {
      if (!rule.perBinary || (rule.formats && !rule.formats.includes(f.format))) continue;
      const ps = as.map((a) => rule.param(a.expect)).filter((p) => p !== undefined);
      const dflt: Level = rule.severity === 'warning' ? 'warn' : 'error';
      const on = as.filter((a) => level(a, rule.id, dflt) !== 'off');
      if (!ps.length || !on.length) continue;
      const l = on.some((a) => level(a, rule.id, dflt) === 'error') ? 'error' : 'warn';
      run(f, rule, rule.perBinary.merge(ps), on.map((a) => a.name).join(', '), l, on[0]);
    }
  }

  function run(f: BinaryFacts, rule: Rule, param: unknown, artifact: string, l: Exclude<Level, 'off'>, a: Artifact): void {
    let res: ResolveResult[] | undefined;
    if (rule.resolves) {
      const got = resolved();
      if ('error' in got) return;
      res = got;
    }
    const check: Check = mark<Check>({ file: f.path, artifact, rule: rule.id, findings: [] });
    // Each slice of a universal binary is checked on its own (its own resolution); identical findings from several slices merge.
    const of = (facts: BinaryFacts) => res?.find((x) => x.arch === facts.arch) ?? res?.[0];
    const found = mergedOverUnits(units(f), (facts) => rule.check(facts, param, of(facts)), (v, label) => mark<Finding>({
      rule: rule.id, severity: promote(toSeverity(l)), file: f.path, artifact, field: v.field, layer: ruleLayer(plan, a, rule.id as FactRuleId, v.args),
      expected: v.expected, actual: v.actual, evidence: v.evidence ?? [], args: v.args,
      ...(label ? { slices: [label] } : {}),
    }));
    for (const finding of found) {
      check.findings.push(findings.length);
      findings.push(finding);
    }
    checks.push(check);
  }

  function finish(): VerifyReport {
    const artifactMatches: ArtifactMatch[] = [];
    for (const a of selected) {
      const matched = matchedCount.get(a) ?? 0;
      const l = level(a, 'artifact-missing', 'error');
      const missing: Finding<'artifact-missing'> | null = matched || l === 'off' ? null : {
        rule: 'artifact-missing', severity: promote(toSeverity(l)), file: plan.file, artifact: a.name, field: a.key, layer: layerOf(plan, a, 'path'),
        expected: a.paths, actual: null, evidence: [], args: { pattern: a.paths, artifact: a.name },
      };
      // A shard cannot know whether another shard matched the artifact: merge decides from the sums.
      if (missing && !shard) findings.push(missing);
      artifactMatches.push({ artifact: a.name, matched, missing: shard ? missing : null });
    }
    const checked = opts.checksEvery ? binaries.length + notes : binaries.filter((b) => b.status !== 'unmatched').length;
    if (!shard) findings.push(...nothingChecked(plan, found, checked, errors.length, opts));

    return {
      plan: { file: plan.file, digest: planDigest(plan) }, strict: !!opts.strict, binaries, findings, checks, errors, artifactMatches, checked,
      ...(shard ? { shard, whenEmpty: (nothingChecked(plan, 0, 0, 0, opts)[0] as Finding<'nothing-checked'> | undefined) ?? null } : {}),
      summary: summarize(binaries, findings, errors),
    };
  }

  function note(n: ArchiveNote): void {
    seq++;
    if (shard && shardOf(n.path, shard.count) !== shard.index) return;
    notes++;
    const l = level(null, 'archive-member', 'error');
    if (l === 'off') return;
    findings.push(mark<Finding>({
      rule: 'archive-member', severity: promote(toSeverity(l)), file: n.path, artifact: null, field: 'member',
      layer: layerOf(plan, null, 'severity.archive-member', BUILT_IN_LAYER),
      expected: 'plain-member', actual: n.code, evidence: [], args: { code: n.code, target: n.target ?? null },
    }));
  }

  return { add, note, finish };
}

/**
 * `nothing-checked` when no binary was checked (none found, or none an artifact covers) and none failed to be read:
 * such a run proves nothing and must not pass. An error unless the plan's `[severity]` says otherwise or
 * `allowEmpty`. Merge calls it again over the shards' sums.
 */
export function nothingChecked(plan: Pick<Plan, 'file' | 'severity' | 'sources'>, found: number, checked: number, unreadable: number,
  opts: Pick<EvaluateOptions, 'allowEmpty' | 'strict'>): Finding[] {
  const l = plan.severity['nothing-checked'] ?? 'error';
  if (checked > 0 || unreadable > 0 || opts.allowEmpty || l === 'off') return [];
  return [{
    rule: 'nothing-checked', severity: opts.strict ? 'error' : toSeverity(l), file: plan.file, artifact: null, field: 'paths',
    layer: layerOf(plan, null, 'severity.nothing-checked', BUILT_IN_LAYER),
    expected: 'at least one binary checked', actual: found, evidence: [], args: { found },
  }];
}

/** The counts of a report, from its binaries, findings and errors. */
export function summarize(binaries: VerifiedBinary[], findings: Finding[], errors: VerifyReport['errors']): VerifyReport['summary'] {
  const analysed = binaries.filter((b) => b.status !== 'error');
  return {
    binaries: binaries.length,
    passed: analysed.filter((b) => b.status === 'pass' || b.status === 'warn').length,
    failed: analysed.filter((b) => b.status === 'fail').length,
    unmatched: analysed.filter((b) => b.status === 'unmatched').length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    unanalysable: errors.length,
  };
}

/** A value as JSON with every object's keys sorted: two plans that say the same thing, in any order, read alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * What the effective plan says (every layer, every override applied), as 16 hex digits: a report carries it so that
 * merge can refuse reports of one plan file name checked against different contents (a job with LINKPLAN_PLAN set,
 * a layer edited between jobs). Not its file name, layer names or where each key was set: those are not what it
 * checks. Two 32-bit FNV-1a hashes of the canonical text, with different offsets: a check against accident, not a
 * cryptographic digest (the core has no crypto, and nothing here is an adversary's choice).
 */
export function planDigest(plan: Plan): string {
  const { file: _f, layers: _l, sources: _s, ...said } = plan;
  const text = canonical({ ...said, artifacts: said.artifacts.map(({ sources: _a, key: _k, ...a }) => a) });
  let h1 = 0x811c9dc5, h2 = 0x2b992ddf;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** The binaries a report checked: not those it could not analyse, which its summary counts among its binaries. */
export const checkedCount = (r: VerifyReport): number => r.binaries.filter((b) => b.status !== 'error').length;

/** holds (exit 0), violated (1: an error-severity finding), unanalysable (2: a file could not be read; wins). */
export type Outcome = 'holds' | 'violated' | 'unanalysable';

export function outcome(r: VerifyReport): Outcome {
  if (r.errors.length) return 'unanalysable';
  return r.findings.some((f) => f.severity === 'error') ? 'violated' : 'holds';
}

// A member's path as plan globs see it: as tar extracts it, without the leading `./` that a .deb's data.tar and any
// `tar -C dir .` give every name, and without `.` and empty segments anywhere (`usr/./bin/x`, `usr//bin/x` are
// written to usr/bin/x), so `usr/bin/*` (or a glob from `**`) matches them. Only those go: an absolute or `../` name
// is matched as given (and reported: docs/archives.md). The name as stored matches too: a plan written for it
// (`./usr/bin/*`) still holds.
export function memberGlobPaths(inner: string): string[] {
  const lead = inner.startsWith('/') ? '/' : '';
  const s = lead + inner.split('/').filter((p) => p !== '' && p !== '.').join('/');
  return s === '' || s === lead || s === inner ? [inner] : [s, inner];
}
