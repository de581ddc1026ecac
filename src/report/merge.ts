/**
 * `linkplan merge`: the JSON reports of matrix jobs (each over its own artifacts or paths) or of `--shard i/n` runs
 * over one tree, put back together into the report one run would have given. Plan-level verdicts a single job
 * cannot reach are computed here from the sums: an artifact is missing when no report matched it, and the run
 * checked nothing when no report checked a binary. Shards restore the walk order from each item's `seq`.
 */
import { summarize } from '../plan/evaluate.js';
import { VERIFY_SCHEMA_VERSION, type ArtifactMatch, type Check, type Finding, type VerifiedBinary, type VerifyReport } from '../plan/model.js';

/** A verify/audit JSON report read back (verify-json.ts), or why it is not one. */
export function parseVerifyJson(text: string): VerifyReport | { error: string } {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return { error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) return { error: 'not a linkplan verify report (not an object)' };
  if (j.schemaVersion !== VERIFY_SCHEMA_VERSION) return { error: `schemaVersion ${JSON.stringify(j.schemaVersion)} is not ${VERIFY_SCHEMA_VERSION}` };
  for (const k of ['binaries', 'findings', 'errors', 'checks', 'artifactMatches'] as const) {
    if (!Array.isArray(j[k])) return { error: `not a linkplan verify report of this version (no "${k}" list)` };
  }
  if (typeof j.plan !== 'string' || typeof j.checked !== 'number') return { error: 'not a linkplan verify report (no "plan" or "checked")' };
  const findings = (j.findings as (Finding & { message?: string })[]).map(({ message: _m, ...f }) => f as Finding);
  const n = findings.length;
  for (const c of j.checks as Check[]) {
    if (!Array.isArray(c.findings) || c.findings.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) return { error: 'a check points at no finding' };
  }
  const badPrimary = (p: number) => !Number.isInteger(p) || p < 0 || p >= n;
  if (findings.some((f) => f.primary !== undefined && badPrimary(f.primary))) return { error: 'a finding points at no primary' };
  return {
    plan: { file: j.plan, ...(typeof j.planDigest === 'string' ? { digest: j.planDigest } : {}) }, ...(j.audit === true ? { audit: true } : {}),
    strict: j.strict === true, binaries: j.binaries as VerifiedBinary[], findings,
    checks: j.checks as Check[], errors: j.errors as VerifyReport['errors'], artifactMatches: j.artifactMatches as ArtifactMatch[],
    checked: j.checked, summary: j.summary as VerifyReport['summary'],
    ...(j.shard ? { shard: j.shard as { index: number; count: number }, whenEmpty: (j.whenEmpty ?? null) as Finding<'nothing-checked'> | null } : {}),
  };
}

export interface MergeOptions {
  /** As verify --allow-empty: no `nothing-checked` for a merged run that checked nothing. */
  allowEmpty?: boolean;
}

const PLAN_LEVEL = (f: Finding) => f.rule === 'artifact-missing' || f.rule === 'nothing-checked';
const strip = <T extends { seq?: number }>(x: T): T => { const { seq: _s, ...rest } = x; return rest as T; };

/** Reports merged into one, or why they cannot be (different plans, an incomplete or repeated set of shards). */
export function mergeReports(rs: VerifyReport[], opts: MergeOptions = {}): VerifyReport | { error: string } {
  if (!rs.length) return { error: 'no reports to merge' };
  const first = rs[0];
  if (rs.some((r) => !!r.audit !== !!first.audit)) return { error: 'some reports are of linkplan audit and some of verify' };
  if (rs.some((r) => r.plan.file !== first.plan.file)) {
    return { error: `the reports are of different plans (${[...new Set(rs.map((r) => r.plan.file))].join(', ')})` };
  }
  // One name, different contents: a layer or LINKPLAN_PLAN that differed between jobs. Older reports have no digest.
  const digests = new Set(rs.map((r) => r.plan.digest).filter((d) => d !== undefined));
  if (digests.size > 1) return { error: `the reports are of different plans: ${first.plan.file} did not say the same in every job (planDigest differs)` };
  if (rs.some((r) => r.strict !== first.strict)) return { error: 'some reports are --strict and some are not' };
  const sharded = rs.filter((r) => r.shard);
  if (sharded.length && sharded.length !== rs.length) return { error: 'shards and unsharded reports cannot be merged together' };
  if (sharded.length) {
    const count = first.shard!.count;
    if (rs.some((r) => r.shard!.count !== count)) return { error: 'the shards are of different --shard counts' };
    const seen = new Set(rs.map((r) => r.shard!.index));
    if (seen.size !== rs.length) return { error: 'a shard is given twice' };
    const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    // A merged report that lacks a shard would vouch for binaries nobody checked.
    if (absent.length) return { error: `shard${absent.length === 1 ? '' : 's'} ${absent.join(', ')} of ${count} missing` };
  }

  // Every item with its report and index; shards sort by the walk position, matrix jobs keep their order.
  type Item<T> = { x: T; k: number; i: number; key: number };
  const seqOf = rs.map((r) => new Map(r.binaries.map((b) => [b.file, b.seq ?? 0] as const)));
  const order = <T>(items: Item<T>[]) => (sharded.length ? items.sort((a, b) => a.key - b.key || a.k - b.k || a.i - b.i) : items);
  const collect = <T extends { seq?: number; file: string }>(pick: (r: VerifyReport) => T[], keep: (x: T) => boolean = () => true) => {
    const withSeq: Item<T>[] = [], after: Item<T>[] = [];
    rs.forEach((r, k) => pick(r).forEach((x, i) => {
      if (!keep(x)) return;
      // No seq: added after the walk (audit's hygiene rules), in the order of their binaries.
      if (x.seq !== undefined || !sharded.length) withSeq.push({ x, k, i, key: x.seq ?? 0 });
      else after.push({ x, k, i, key: seqOf[k].get(x.file) ?? 0 });
    }));
    return [order(withSeq), order(after)] as const;
  };

  const [fs, auditFs] = collect((r) => r.findings, (f) => !PLAN_LEVEL(f));
  const newIndex = rs.map(() => new Map<number, number>());
  const findings: Finding[] = [];
  const place = (items: readonly Item<Finding>[]) => {
    for (const it of items) { newIndex[it.k].set(it.i, findings.length); findings.push(strip({ ...it.x })); }
  };
  place(fs);

  // Artifacts: matches summed by name, in the order first seen; missing only when no report matched one.
  const matches = new Map<string, ArtifactMatch>();
  for (const r of rs) {
    const missingOf = new Map<string, Finding<'artifact-missing'>>();
    for (const f of r.findings) {
      if (f.rule === 'artifact-missing' && f.artifact && !missingOf.has(f.artifact)) missingOf.set(f.artifact, f as Finding<'artifact-missing'>);
    }
    for (const m of r.artifactMatches) {
      const prev = matches.get(m.artifact);
      const missing = m.missing ?? missingOf.get(m.artifact) ?? null;
      if (prev) {
        prev.matched += m.matched;
        prev.missing ??= missing;
      } else matches.set(m.artifact, { artifact: m.artifact, matched: m.matched, missing });
    }
  }
  for (const m of matches.values()) if (m.matched === 0 && m.missing) findings.push(strip({ ...m.missing }));

  const binaries = order(rs.flatMap((r, k) => r.binaries.map((x, i) => ({ x, k, i, key: x.seq ?? 0 })))).map((it) => strip({ ...it.x }));
  const errors = order(rs.flatMap((r, k) => r.errors.map((x, i) => ({ x, k, i, key: x.seq ?? 0 })))).map((it) => strip({ ...it.x }));
  const checked = rs.reduce((n, r) => n + r.checked, 0);
  const empty = sharded.length ? rs.find((r) => r.whenEmpty)?.whenEmpty ?? null
    : (rs.flatMap((r) => r.findings).find((f) => f.rule === 'nothing-checked') as Finding<'nothing-checked'> | undefined) ?? null;
  if (empty && checked === 0 && errors.length === 0 && !opts.allowEmpty) {
    findings.push({ ...strip(empty), actual: binaries.length, args: { found: binaries.length } });
  }
  place(auditFs);

  for (const f of findings) if (f.primary !== undefined) f.primary = undefined;
  // Primaries and checks point into their own report's list: renumber them into the merged one.
  for (const it of [...fs, ...auditFs]) {
    if (it.x.primary === undefined) continue;
    const p = newIndex[it.k].get(it.x.primary);
    if (p !== undefined) findings[newIndex[it.k].get(it.i)!].primary = p;
  }
  for (const f of findings) if (f.primary === undefined) delete f.primary;
  const [cs, auditCs] = collect((r) => r.checks);
  const checks = [...cs, ...auditCs].map((it) => strip({ ...it.x, findings: it.x.findings.map((i) => newIndex[it.k].get(i)!).filter((i) => i !== undefined) }));

  return {
    plan: first.plan, ...(first.audit ? { audit: true } : {}), strict: first.strict, binaries, findings, checks, errors,
    artifactMatches: [...matches.values()].map((m) => ({ ...m, missing: null })),
    checked, summary: summarize(binaries, findings, errors),
  };
}
