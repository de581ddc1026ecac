/**
 * One audit over a stream of results: the plan's rules as they come (when there is a plan), the hygiene rules at
 * the end, when every input's shipped file names are known (a NEEDED entry is "shipped" when a file of that name is
 * anywhere in the same input: archive or tree). Facts are kept until then, member bytes never.
 */
import { isFailed, type ArchiveNote, type BinaryFacts, type BinaryResult } from '../facts/types.js';
import { startEvaluation, summarize, type EvaluateOptions } from '../plan/evaluate.js';
import type { AuditRuleId, Level, VerifiedBinary, VerifyReport } from '../plan/model.js';
import type { Plan } from '../plan/schema.js';
import { auditBinary } from './index.js';
import type { ResolveResult } from '../resolve/model.js';
import { type ShippedInput, type ShippedResolveOptions, ShippedTrees } from '../resolve/shipped.js';

/** The plan an audit without one evaluates: no artifacts, nothing unmatched reported, nothing ignored. */
const NO_PLAN = (file: string): Plan => ({ file, unmatched: 'ignore', ignore: [], severity: {}, artifacts: [], diff: { allow: [] } });

export interface AuditRun {
  /** A result from input number `input` (each path given to audit is one input). */
  add(r: BinaryResult, inner: string | null, input: number): void;
  /** A file (binary or not) or link name present in input `input`, for "shipped alongside". */
  shipped(path: string, input: number): void;
  /** A symbolic or hard link in input `input` (with resolution, the loader follows it). */
  link(path: string, target: string, hard: boolean, input: number): void;
  note(n: ArchiveNote): void;
  finish(): VerifyReport;
}

const base = (p: string) => {
  const inner = p.slice(p.lastIndexOf('!') + 1);
  return inner.slice(Math.max(inner.lastIndexOf('/'), inner.lastIndexOf('\\')) + 1);
};

/**
 * Resolution over what ships (src/resolve/shipped.ts): each input's tree mounted at `inputs[i].at` over `base`, the
 * target root (--root; an empty one without). unshipped-dependency and the plan's deps.* rules judge its results.
 */
export interface AuditResolution extends ShippedResolveOptions {
  inputs: ShippedInput[];
  /** A target root was given: no table of system libraries stands in for it. */
  root: boolean;
}

/** Paths kept per shipped base name for the messages. */
const SHIPPED_AT_MAX = 3;

export function startAudit(plan: Plan | null, opts: EvaluateOptions & { glibcMax?: string; label?: string; resolution?: AuditResolution }): AuditRun {
  const ev = startEvaluation(plan ?? NO_PLAN(opts.label ?? '(no plan: hygiene rules only)'), opts);
  const names: Set<string>[] = [];
  // Each with its own entry in the report: a path given twice, a file and its folder, or an archive's duplicate
  // members are binaries of one name, each judged on its own facts.
  const kept: { facts: BinaryFacts; input: number; entry: VerifiedBinary | null; resolve?: () => ResolveResult[] }[] = [];
  const set = (i: number) => (names[i] ??= new Set());
  // The first few paths of each base name (lower-cased: PE compares names so), for "shipped at … but not where the
  // loader looks" (unshipped-dependency).
  const where: Map<string, string[]>[] = [];
  const at = (path: string, i: number) => {
    const m = (where[i] ??= new Map()), k = base(path).toLowerCase(), l = m.get(k);
    if (!l) m.set(k, [path]);
    else if (l.length < SHIPPED_AT_MAX && !l.includes(path)) l.push(path);
  };
  const shippedAt = (i: number) => (name: string) => where[i]?.get(name.toLowerCase()) ?? [];
  const res = opts.resolution;
  const trees = res ? new ShippedTrees(res.inputs) : null;
  const take = (r: BinaryResult, inner: string | null, input: number, resolve?: () => ResolveResult[]) => {
    const entry = ev.add(r, inner, resolve);
    if (!isFailed(r)) kept.push({ facts: r, input, entry, resolve });
  };
  return {
    add(r, inner, input) {
      set(input).add(base(r.path));
      at(r.path, input);
      // With resolution, results wait until every member of their input is known (their libraries may come later).
      if (trees) trees.add(r, inner, input);
      else take(r, inner, input);
    },
    shipped(path, input) { set(input).add(base(path)); at(path, input); trees?.shipped(path, input); },
    link(path, target, hard, input) { set(input).add(base(path)); at(path, input); trees?.link(path, target, hard, input); },
    note: (n) => ev.note(n),
    finish() {
      if (trees && res) {
        trees.replay(res, (r, inner, input, resolve) => {
          let memo: ResolveResult[] | undefined;
          take(r, inner, input, () => (memo ??= resolve()));
        });
      }
      const report = ev.finish();
      for (const { facts, input, entry, resolve } of kept) {
        if (!entry || entry.status === 'error') continue; // ignored by the plan, or not analysable
        // An artifact's [severity] retunes an audit rule for its binaries, as it does a plan rule; then the plan's.
        const arts = plan ? plan.artifacts.filter((a) => entry.artifacts.includes(a.name)) : [];
        const setBy = (id: AuditRuleId) => arts.find((a) => a.severity[id] !== undefined);
        const level = (id: AuditRuleId, dflt: Level): Level => setBy(id)?.severity[id] ?? plan?.severity[id] ?? dflt;
        const layer = (id: AuditRuleId) => {
          const a = setBy(id);
          return (a ? a.sources?.[`severity.${id}`] ?? plan?.file : plan?.sources?.[`severity.${id}`]) ?? 'built-in';
        };
        const resolved = resolve?.();
        const ctx = { shipped: set(input), shippedAt: shippedAt(input), glibcMax: opts.glibcMax, ...(resolved ? { resolved, root: !!res?.root } : {}) };
        const found = auditBinary(facts, ctx, {
          level, strict: opts.strict, layer,
        });
        const checks = new Map<AuditRuleId, number[]>();
        for (const f of found) {
          const id = f.rule as AuditRuleId;
          checks.set(id, [...(checks.get(id) ?? []), report.findings.length]);
          report.findings.push(f);
        }
        for (const [rule, idx] of checks) report.checks.push({ file: facts.path, artifact: 'audit', rule, findings: idx });
        if (found.some((f) => f.severity === 'error')) entry.status = 'fail';
        else if (entry.status === 'unmatched' && !plan) entry.status = found.length ? 'warn' : 'pass';
        else if (found.length && entry.status === 'pass') entry.status = 'warn';
      }
      if (!plan) for (const b of report.binaries) if (b.status === 'unmatched') b.status = 'pass';
      report.summary = summarize(report.binaries, report.findings, report.errors);
      report.audit = true;
      return report;
    },
  };
}
