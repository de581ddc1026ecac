/**
 * Plan × facts → findings. Severities come from the plan (artifact `[severity]`, then the plan's, then the rule's
 * default); `strict` promotes warnings to errors here and nowhere else.
 */
import { isFailed, type ArchiveNote, type BinaryFacts, type BinaryResult } from '../facts/types.js';
import { matchesPath } from './glob.js';
import type { Check, Finding, Level, RuleId, Severity, VerifiedBinary, VerifyReport } from './model.js';
import { RULE_LIST } from './rules/index.js';
import type { Rule } from './rules/define.js';
import { units } from './rules/fields.js';
import type { Artifact, Plan } from './schema.js';

export interface EvaluateOptions {
  strict?: boolean;
  /**
   * The path(s) globs are matched against, for a binary's path: relative to the plan file's directory (and, for a
   * file outside it, its absolute path too). The CLI supplies it; by default the binary's own path.
   */
  matchPath?: (file: string) => string | string[];
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
  /** `inner`: for an archive member, its path inside the archive, which is what the plan's globs see. */
  add(r: BinaryResult, inner?: string | null): void;
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
  const promote = (s: Severity): Severity => (opts.strict ? 'error' : s);
  const level = (a: Artifact | null, id: RuleId, dflt: Level): Level => (a?.severity[id] ?? plan.severity[id] ?? dflt);

  function add(r: BinaryResult, inner?: string | null): void {
    const path = inner ? [inner] : rel(r.path);
    const nocase = r.format === 'pe';
    if (matchesPath(plan.ignore, path, nocase)) return;
    const artifacts = plan.artifacts.filter((a) => artifactMatches(a, path, nocase));
    for (const a of artifacts) matchedCount.set(a, (matchedCount.get(a) ?? 0) + 1);
    const entry: VerifiedBinary = { file: r.path, format: r.format, artifacts: artifacts.map((a) => a.name), status: 'pass' };
    binaries.push(entry);
    if (isFailed(r)) {
      errors.push({ file: r.path, code: r.error.code, message: r.error.message });
      entry.status = 'error';
      return;
    }
    if (artifacts.length === 0) {
      entry.status = 'unmatched';
      const l = level(null, 'unmatched-binary', plan.unmatched === 'ignore' ? 'off' : plan.unmatched);
      if (l !== 'off') {
        findings.push({
          rule: 'unmatched-binary', severity: promote(toSeverity(l)), file: r.path, artifact: null, field: 'path',
          expected: 'a matching artifact', actual: path[0], evidence: [], args: { policy: l },
        });
      }
      return;
    }
    const start = findings.length;
    for (const a of artifacts) checkArtifact(r, a);
    checkPerBinary(r, artifacts);
    const mine = findings.slice(start);
    entry.status = mine.some((f) => f.severity === 'error') ? 'fail' : mine.length ? 'warn' : 'pass';
  }

  function checkArtifact(f: BinaryFacts, a: Artifact): void {
    for (const rule of RULE_LIST) {
      if (rule.perBinary || (rule.formats && !rule.formats.includes(f.format))) continue;
      const param = rule.param(a.expect);
      if (param === undefined) continue;
      const l = level(a, rule.id, rule.severity === 'warning' ? 'warn' : 'error');
      if (l !== 'off') run(f, rule, param, a.name, l);
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
      run(f, rule, rule.perBinary.merge(ps), on.map((a) => a.name).join(', '), l);
    }
  }

  function run(f: BinaryFacts, rule: Rule, param: unknown, artifact: string, l: Exclude<Level, 'off'>): void {
    const check: Check = { file: f.path, artifact, rule: rule.id, findings: [] };
    // Each slice of a universal binary is checked on its own; identical findings from several slices merge.
    const seen = new Map<string, Finding>();
    for (const u of units(f)) {
      for (const v of rule.check(u.facts, param)) {
        const key = JSON.stringify([v.field, v.expected, v.actual, v.args]);
        const prev = seen.get(key);
        if (prev) {
          if (u.label) prev.slices = [...(prev.slices ?? []), u.label];
          continue;
        }
        const finding: Finding = {
          rule: rule.id, severity: promote(toSeverity(l)), file: f.path, artifact, field: v.field,
          expected: v.expected, actual: v.actual, evidence: v.evidence ?? [], args: v.args,
          ...(u.label ? { slices: [u.label] } : {}),
        };
        seen.set(key, finding);
        check.findings.push(findings.length);
        findings.push(finding);
      }
    }
    checks.push(check);
  }

  function finish(): VerifyReport {
    for (const a of plan.artifacts) {
      if (matchedCount.has(a)) continue;
      const l = level(a, 'artifact-missing', 'error');
      if (l === 'off') continue;
      findings.push({
        rule: 'artifact-missing', severity: promote(toSeverity(l)), file: plan.file, artifact: a.name, field: a.key,
        expected: a.paths, actual: null, evidence: [], args: { pattern: a.paths, artifact: a.name },
      });
    }

    return { plan: { file: plan.file }, strict: !!opts.strict, binaries, findings, checks, errors, summary: summarize(binaries, findings, errors) };
  }

  function note(n: ArchiveNote): void {
    const l = level(null, 'archive-member', 'error');
    if (l === 'off') return;
    findings.push({
      rule: 'archive-member', severity: promote(toSeverity(l)), file: n.path, artifact: null, field: 'member',
      expected: 'plain-member', actual: n.code, evidence: [], args: { code: n.code, target: n.target ?? null },
    });
  }

  return { add, note, finish };
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

/** holds (exit 0), violated (1: an error-severity finding), unanalysable (2: a file could not be read; wins). */
export type Outcome = 'holds' | 'violated' | 'unanalysable';

export function outcome(r: VerifyReport): Outcome {
  if (r.errors.length) return 'unanalysable';
  return r.findings.some((f) => f.severity === 'error') ? 'violated' : 'holds';
}
