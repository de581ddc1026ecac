/** The plan API: parse a plan from text, check binaries' facts against it. Browser-safe (no file access). */
import type { BinaryResult } from '../facts/types.js';
import { evaluate, type EvaluateOptions } from './evaluate.js';
import { parsePlan, type PlanResult, type PlanSyntax } from './load.js';
import type { VerifyReport } from './model.js';
import type { Plan } from './schema.js';

/**
 * Parse and validate a plan (linkplan.toml, a Cargo.toml with [package.metadata.linkplan], or JSON). On failure,
 * `errors` holds every problem found (`error` is the first).
 */
export function loadPlan(text: string, file: string, syntax?: PlanSyntax): PlanResult {
  return parsePlan(text, file, syntax);
}

/** Check analysed binaries against a plan: findings as data, nothing printed. */
export function verify(plan: Plan, binaries: BinaryResult[], opts: EvaluateOptions = {}): VerifyReport {
  return evaluate(plan, binaries, opts);
}

export { outcome, type Outcome, type EvaluateOptions } from './evaluate.js';
export { initPlan } from './init.js';
export { describeFinding, MESSAGES } from './messages.js';
export { formatPlanError, planJsonSchema, type Plan, type PlanError, type Artifact, type Expectations } from './schema.js';
export { PRESETS, PRESET_NAMES } from './presets.js';
export { KNOWN_LIBS } from './known-libs.js';
export { VERIFY_SCHEMA_VERSION, type Finding, type VerifyReport, type RuleId, type Severity, type Level } from './model.js';
