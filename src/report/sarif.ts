import { outcome } from '../plan/evaluate.js';
import { describeFinding, MESSAGES } from '../plan/messages.js';
import { RULE_IDS } from '../plan/enums.js';
import { RULES } from '../plan/rules/index.js';
import { AUDIT_RULES_BY_ID } from '../audit/rules/index.js';
import { isAuditRuleId, type Finding, type RuleId, type VerifyReport } from '../plan/model.js';
import { groupBy } from './group.js';

const SRCROOT = '%SRCROOT%';
const enc = (s: string) => s.split('/').map((seg) => encodeURIComponent(seg).replace(/%24/g, '$').replace(/%40/g, '@')).join('/');

/** An absolute directory as a file: URI ending in "/" (SARIF §3.14.14: a base URI must end with a slash). */
function dirUri(dir: string): string {
  const p = dir.replace(/\\/g, '/').replace(/\/*$/, '/');
  return /^[A-Za-z]:\//.test(p) ? `file:///${p.slice(0, 2)}${enc(p.slice(2))}` : `file://${enc(p)}`;
}

/**
 * A file path as a SARIF artifactLocation: absolute paths as file: URIs; relative ones stay relative, against
 * %SRCROOT% (the directory verify ran in: the repository root in CI), which is how GitHub code scanning maps a
 * result to a file in the repository.
 */
function location(path: string): { uri: string; uriBaseId?: string } {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return { uri: dirUri(p).replace(/\/$/, '') };
  return { uri: enc(p.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

/** Rules about exploit mitigations: tagged "security" for code scanning's filters. */
const SECURITY_RULES: readonly RuleId[] = [
  'pie', 'relro', 'bind-now', 'nx-stack', 'textrel', 'rpath', 'runpath', 'search-paths', 'crt-debug',
  'build-path', 'unanchored-search-path', 'text-relocations', 'exec-stack',
];

export interface SarifOptions {
  /** The absolute directory relative paths are relative to (the CLI's working directory): run.originalUriBaseIds. */
  srcRoot?: string;
  /** merge: the automationDetails ids of the shards merged into this one run. */
  shards?: string[];
}

/** FNV-1a, 32-bit: a stable fingerprint without node:crypto (the core runs in browsers too). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const defaultLevel = (id: RuleId): 'error' | 'warning' =>
  id === 'unmatched-binary' ? 'warning'
    : id === 'artifact-missing' || id === 'archive-member' || id === 'nothing-checked' ? 'error'
      : isAuditRuleId(id) ? AUDIT_RULES_BY_ID[id].severity : RULES[id].severity;

/**
 * `verify --format sarif`: SARIF 2.1.0 for code-scanning upload. One run; every rule described in the driver; one
 * result per finding, located at the binary (or the plan file, for plan-level findings); files that could not be
 * analysed are toolExecutionNotifications and make executionSuccessful false.
 */
export function renderVerifySarif(r: VerifyReport, version: string, opts: SarifOptions = {}): string {
  const ruleIndex = new Map(RULE_IDS.map((id, i) => [id, i] as const));
  // A binary is not source: code scanning still wants a file, so the location is the binary (or the plan) and what
  // the binary is goes in properties. Results are in findings order, so a finding's index is its result's index.
  const binOf = new Map(r.binaries.map((b) => [b.file, b] as const));
  const related = groupBy(r.findings.keys(), (i) => r.findings[i].primary);
  const result = (f: Finding, i: number) => ({
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule)!,
    level: f.severity,
    message: { text: `${f.slices ? `[${f.slices.join(', ')}] ` : ''}${describeFinding(f)}` },
    locations: [{ physicalLocation: { artifactLocation: location(f.file) } }],
    partialFingerprints: { 'linkplanFinding/v1': fnv(JSON.stringify([f.rule, f.file, f.artifact, f.field, f.actual])) },
    properties: {
      artifact: f.artifact, field: f.field, layer: f.layer, expected: f.expected, actual: f.actual, evidence: f.evidence,
      ...(f.slices ? { slices: f.slices } : {}),
      ...(binOf.get(f.file)?.facts ? { binary: { format: binOf.get(f.file)!.format, ...binOf.get(f.file)!.facts } } : {}),
      ...(f.primary !== undefined ? { primary: f.primary } : {}),
      ...(related.has(i) ? { related: related.get(i) } : {}),
    },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'linkplan',
          version,
          informationUri: 'https://www.npmjs.com/package/linkplan',
          rules: RULE_IDS.map((id) => ({
            id,
            name: MESSAGES[id].title.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, ''),
            shortDescription: { text: MESSAGES[id].title },
            fullDescription: { text: MESSAGES[id].docs },
            help: { text: MESSAGES[id].docs, markdown: `**${MESSAGES[id].title}** (\`${id}\`)\n\n${MESSAGES[id].docs}` },
            defaultConfiguration: { level: defaultLevel(id) },
            properties: { tags: ['linkage', ...(SECURITY_RULES.includes(id) ? ['security'] : [])] },
          })),
        },
      },
      // Code scanning keeps one analysis per category: each shard of a matrix is its own (merge writes one run).
      ...(r.shard ? { automationDetails: { id: `linkplan/shard-${r.shard.index}-of-${r.shard.count}/` } } : {}),
      ...(opts.srcRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: dirUri(opts.srcRoot) } } } : {}),
      invocations: [{
        executionSuccessful: r.errors.length === 0,
        toolExecutionNotifications: r.errors.map((e) => ({
          level: 'error',
          message: { text: `${e.file}: ${e.message}` },
          locations: [{ physicalLocation: { artifactLocation: location(e.file) } }],
          properties: { code: e.code },
        })),
      }],
      results: r.findings.map(result),
      properties: { plan: r.plan.file, strict: r.strict, outcome: outcome(r), summary: r.summary, ...(opts.shards ? { shards: opts.shards } : {}) },
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
