import type { BinaryFacts, Evidence, Format } from '../../facts/types.js';
import type { FactRuleId, Json, RuleArgs, Severity } from '../model.js';
import type { Expectations } from '../schema.js';
import type { ResolveResult } from '../../resolve/model.js';

/** What a rule reports about one binary; evaluate.ts adds the file, artifact and severity. */
export interface Violation<A> {
  field: string;
  expected: Json;
  actual: Json;
  evidence?: Evidence[];
  args: A;
}

export interface Rule<Id extends FactRuleId = FactRuleId, P = any> {
  id: Id;
  /** Default severity; a plan's `[severity]` tables override it. */
  severity: Severity;
  /**
   * The formats the rule has something to say about (default: all). For others it is not run and records no
   * check, so a PE file has no "relro" testcase in JUnit.
   */
  formats?: readonly Format[];
  /** The expectation this rule checks; undefined when the artifact does not ask for it (the rule does not run). */
  param(e: Expectations): P | undefined;
  /**
   * Rules that guard something for every binary (crt-debug) run once per binary rather than once per matching
   * artifact, with the params of all its artifacts merged: any artifact may allow what the rule forbids.
   */
  perBinary?: { merge(params: P[]): P };
  /**
   * The rule judges the binary's dependencies as its loader resolves them (deps.*): evaluate.ts has the binary
   * resolved, once, only when such a rule runs, and passes the resolution of the unit (slice) checked.
   */
  resolves?: boolean;
  /** Facts only, never a format reader's structures. No prose: messages.ts words the args. */
  check(facts: BinaryFacts, param: P, resolved?: ResolveResult): Violation<RuleArgs[Id]>[];
}

export function defineRule<Id extends FactRuleId, P>(rule: Rule<Id, P>): Rule<Id, P> {
  return rule;
}
