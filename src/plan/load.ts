/**
 * Plans from text: linkplan.toml, `[package.metadata.linkplan]` / `[workspace.metadata.linkplan]` in Cargo.toml,
 * or JSON. Core-safe: parsing only; reading files and discovering them is the CLI's job (cli/verify-command.ts).
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { applyPreset, PRESETS, type PresetName } from './presets.js';
import { NO_ARTIFACT, validatePlan, type Artifact, type Expectations, type Plan, type PlanError, type PlanErrors, type RawArtifact } from './schema.js';

export type PlanSyntax = 'toml' | 'cargo' | 'json';

/** Names looked for, in this order, in the current directory and then each parent. */
export const PLAN_FILE_NAMES = ['linkplan.toml', 'linkplan.json', 'Cargo.toml'] as const;

export function planSyntaxOf(file: string): PlanSyntax {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (base === 'Cargo.toml') return 'cargo';
  return /\.json$/i.test(base) ? 'json' : 'toml';
}

/**
 * A plan, or every problem with it: `errors` lists them all (validation goes on past a bad value; a syntax error is
 * one error, as nothing after it can be read), `error` is the first (for callers written before `errors`).
 */
export type PlanResult = { plan: Plan } | PlanErrors;

const one = (error: PlanError): PlanErrors => ({ error, errors: [error] });

function parseText(text: string, file: string, syntax: PlanSyntax): { data: unknown; prefix: string } | { error: PlanError } {
  if (syntax === 'json') {
    try {
      return { data: JSON.parse(text), prefix: '' };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? lineCol(text, Number(pos[1])) : {};
      return { error: { file, key: null, message: `JSON syntax error: ${msg.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '')}`, ...at } };
    }
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
      return { error: { file, key: null, message: `TOML syntax error: ${first}`, line: e.line, column: e.column } };
    }
    throw e;
  }
  if (syntax === 'toml') return { data: doc, prefix: '' };
  const meta = (k: 'package' | 'workspace') => {
    const t = doc[k] as Record<string, unknown> | undefined;
    const m = t && typeof t === 'object' ? (t.metadata as Record<string, unknown> | undefined) : undefined;
    return m && typeof m === 'object' && 'linkplan' in m ? m.linkplan : undefined;
  };
  // A root manifest may hold both a [package] and a [workspace]. Two plans in one file would leave one of them
  // silently unchecked (discovery stops at the first manifest with a plan), so that is an error.
  const pkg = meta('package'), ws = meta('workspace');
  if (pkg !== undefined && ws !== undefined) {
    return { error: { file, key: null, message: 'has both [package.metadata.linkplan] and [workspace.metadata.linkplan]: keep one (a plan applies to every binary given to verify)' } };
  }
  if (pkg !== undefined) return { data: pkg, prefix: 'package.metadata.linkplan' };
  if (ws !== undefined) return { data: ws, prefix: 'workspace.metadata.linkplan' };
  return { error: { file, key: null, message: 'no [package.metadata.linkplan] or [workspace.metadata.linkplan] table' } };
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Does this Cargo.toml carry a plan? (Discovery passes over manifests that do not.) */
export function cargoHasPlan(text: string): boolean {
  try {
    const doc = parseToml(text) as Record<string, any>;
    return doc.package?.metadata?.linkplan !== undefined || doc.workspace?.metadata?.linkplan !== undefined;
  } catch {
    return false;
  }
}

/** Parse and validate a plan. Never throws on bad input: the problems come back as PlanErrors. */
export function parsePlan(text: string, file: string, syntax: PlanSyntax = planSyntaxOf(file)): PlanResult {
  const parsed = parseText(text, file, syntax);
  if ('error' in parsed) return one(parsed.error);
  const v = validatePlan(parsed.data, file, parsed.prefix);
  if ('error' in v) return v;
  const raw = v.plan;
  const key = (k: string) => (parsed.prefix ? `${parsed.prefix}.${k}` : k);
  if (!raw.artifact?.length) return one({ file, key: key('artifact'), message: NO_ARTIFACT });
  const artifacts = (raw.artifact ?? []).map((a, i) => toArtifact(a, key(`artifact[${i}]`)));
  return {
    plan: {
      file,
      unmatched: raw.unmatched ?? 'warn',
      ignore: raw.ignore ?? [],
      severity: raw.severity ?? {},
      artifacts,
      diff: { allow: raw.diff?.allow ?? [] },
    },
  };
}

function toArtifact(a: RawArtifact, key: string): Artifact {
  const { path, exclude, name, preset, severity, ...own } = a;
  const base = preset ? PRESETS[preset as PresetName].expect : undefined;
  return {
    name: name ?? path.join(', '),
    key,
    paths: path,
    exclude: exclude ?? [],
    preset: preset ?? null,
    expect: applyPreset(base as Expectations | undefined, own),
    severity: severity ?? {},
  };
}
