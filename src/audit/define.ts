import type { BinaryFacts, Format } from '../facts/types.js';
import type { AuditRuleId, RuleArgs, Severity } from '../plan/model.js';
import type { Violation } from '../plan/rules/define.js';
import type { ResolveResult } from '../resolve/model.js';

export interface AuditContext {
  /** Base names of every regular file shipped in the same archive or tree (the audit runner fills it). */
  shipped: ReadonlySet<string>;
  /** Where files of a base name ship in it (the first few paths, compared case-insensitively), for the messages. */
  shippedAt?: (name: string) => readonly string[];
  /** --glibc-max on the command line: findings for a glibc floor above it. */
  glibcMax?: string;
  /**
   * The binary resolved against its shipped tree or archive (one result per slice; src/resolve/shipped.ts), when
   * the runner knows the trees: unshipped-dependency then judges by where the loader finds each library, not by name.
   */
  resolved?: ResolveResult[];
  /** With `resolved`: whether a target root was given (--root); without one, ELF system libraries come from a table. */
  root?: boolean;
}

export interface AuditRule<Id extends AuditRuleId = AuditRuleId, A = RuleArgs[Id]> {
  id: Id;
  /** Default severity; a plan's `[severity]` table overrides it. */
  severity: Severity;
  /** The formats the rule has something to say about (default: all). */
  formats?: readonly Format[];
  /**
   * A finding's own default severity where it differs from the rule's (a delay-loaded DLL that is missing fails only
   * when called). A level the plan sets explicitly still wins.
   */
  severityOf?(v: Violation<A>): Severity;
  /**
   * The rule looks at a universal Mach-O as a whole (slices-disagree compares its slices), not slice by slice.
   */
  wholeFile?: boolean;
  /** Facts only. No prose and no English in `expected`: messages.ts words the args. */
  check(facts: BinaryFacts, ctx: AuditContext): Violation<A>[];
}

export function defineAuditRule<Id extends AuditRuleId>(rule: AuditRule<Id>): AuditRule<Id> {
  return rule;
}

/** The base name of a library reference: after the last "/", as an archive lists its files. */
export const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
