import { outcome } from '../plan/evaluate.js';
import { describeFinding } from '../plan/messages.js';
import { VERIFY_SCHEMA_VERSION, type VerifyReport } from '../plan/model.js';

/**
 * `verify --format json`: the report as data, each finding with its rendered message. Shape versioned by
 * schemaVersion (docs/plan.md "JSON output").
 */
export function renderVerifyJson(r: VerifyReport, version: string): string {
  return JSON.stringify({
    schemaVersion: VERIFY_SCHEMA_VERSION,
    tool: { name: 'linkplan', version },
    plan: r.plan.file,
    ...(r.plan.digest ? { planDigest: r.plan.digest } : {}),
    ...(r.audit ? { audit: true } : {}),
    strict: r.strict,
    outcome: outcome(r),
    summary: r.summary,
    binaries: r.binaries,
    findings: r.findings.map((f) => ({ ...f, message: describeFinding(f) })),
    errors: r.errors,
    // What merge needs to put shards and matrix jobs back together (JUnit testcases, artifact-missing, nothing-checked).
    checks: r.checks,
    artifactMatches: r.artifactMatches,
    checked: r.checked,
    ...(r.shard ? { shard: r.shard, whenEmpty: r.whenEmpty ?? null } : {}),
  }, null, 2) + '\n';
}
