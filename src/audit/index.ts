/**
 * `linkplan audit`: release-hygiene rules that need no plan (build-machine paths, unshipped dependencies, debug
 * CRTs…). The runner (archive and tree reading, the CLI) supplies the context; this module turns one binary's facts
 * into findings. A plan's `[severity]` table may retune or silence each rule through `level`.
 */
import type { BinaryFacts } from '../facts/types.js';
import type { AuditRuleId, Finding, Level, Severity } from '../plan/model.js';
import { mergedOverUnits, units } from '../plan/rules/fields.js';
import type { AuditContext, AuditRule } from './define.js';
import { AUDIT_RULES_BY_ID } from './rules/index.js';

export type { AuditContext, AuditRule } from './define.js';
export type { AuditRuleId } from '../plan/model.js';
export { AUDIT_RULES } from '../plan/model.js';
export { BUILD_PREFIXES, HOMEBREW_PREFIXES } from './build-paths.js';

/** In report order. */
export const AUDIT_RULE_LIST: AuditRule[] = Object.values(AUDIT_RULES_BY_ID) as AuditRule[];

const toLevel = (s: Severity): Level => (s === 'warning' ? 'warn' : 'error');

/** Findings of every audit rule for one binary; `level(id, dflt)` gives the plan's level ('off' skips the rule); strict promotes warnings. */
export function auditBinary(
  f: BinaryFacts, ctx: AuditContext,
  opts: { level?: (id: AuditRuleId, dflt: Level) => Level; strict?: boolean; layer?: (id: AuditRuleId) => string } = {},
): Finding[] {
  const level = opts.level ?? ((_id: AuditRuleId, dflt: Level) => dflt);
  const findings: Finding[] = [];
  for (const rule of AUDIT_RULE_LIST) {
    if ((rule.formats && !rule.formats.includes(f.format)) || level(rule.id, toLevel(rule.severity)) === 'off') continue;
    // Each slice of a universal binary is loaded on its own, so each is checked; identical findings merge.
    const us = rule.wholeFile ? [{ facts: f, label: null }] : units(f);
    findings.push(...mergedOverUnits(us, (facts) => rule.check(facts, ctx), (v, label) => {
      // The finding's own default (a delay-loaded DLL: warning) unless the plan sets the rule's level.
      const l = level(rule.id, toLevel(rule.severityOf?.(v) ?? rule.severity));
      if (l === 'off') return null;
      return {
        rule: rule.id, severity: opts.strict || l === 'error' ? 'error' : 'warning', file: f.path, artifact: null, field: v.field,
        layer: opts.layer?.(rule.id) ?? 'built-in',
        expected: v.expected, actual: v.actual, evidence: v.evidence ?? [], args: v.args, ...(label ? { slices: [label] } : {}),
      };
    }));
  }
  return findings;
}
