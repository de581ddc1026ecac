/**
 * Plans from text: linkplan.toml, `[package.metadata.linkplan]` / `[workspace.metadata.linkplan]` in Cargo.toml,
 * or JSON. Core-safe: parsing only; reading files and discovering them is the CLI's job (cli/verify-command.ts).
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { buildPlan, type Layer } from './layers.js';
import { NO_ARTIFACT, validatePlan, type Plan, type PlanError, type PlanErrors } from './schema.js';

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
      const data: unknown = JSON.parse(text);
      // JSON.parse keeps the last of two equal keys, silently; TOML refuses them, and a plan ignores nothing.
      const dup = duplicateKey(text);
      const message = dup && `JSON: duplicate key ${JSON.stringify(dup.key)} (only one may be given)`;
      if (dup) return { error: { file, key: null, message: message!, ...lineCol(text, dup.at) } };
      return { data, prefix: '' };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? lineCol(text, Number(pos[1])) : {};
      const detail = msg.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+$/, '');
      return { error: { file, key: null, message: `JSON syntax error: ${detail}`, ...at } };
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
    return {
      error: {
        file, key: null,
        message: 'has both [package.metadata.linkplan] and [workspace.metadata.linkplan]: keep one (a plan applies to every binary given to verify)',
      },
    };
  }
  if (pkg !== undefined) return { data: pkg, prefix: 'package.metadata.linkplan' };
  if (ws !== undefined) return { data: ws, prefix: 'workspace.metadata.linkplan' };
  return { error: { file, key: null, message: 'no [package.metadata.linkplan] or [workspace.metadata.linkplan] table' } };
}

/**
 * The first key an object of valid JSON text repeats, and where: one pass, a set of keys per open object. Only run
 * on text JSON.parse accepted, so strings are well formed and brackets balance.
 */
function duplicateKey(text: string): { key: string; at: number } | null {
  const open: (Set<string> | null)[] = [];
  const str = /"(?:[^"\\]|\\.)*"/y;
  let wantKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      str.lastIndex = i;
      const s = str.exec(text)![0];
      const keys = open[open.length - 1];
      if (keys && wantKey) {
        const k = JSON.parse(s) as string;
        if (keys.has(k)) return { key: k, at: i };
        keys.add(k);
        wantKey = false;
      }
      i += s.length - 1;
    } else if (c === 0x7b) { open.push(new Set()); wantKey = true; }
    else if (c === 0x5b) open.push(null);
    else if (c === 0x7d || c === 0x5d) open.pop();
    else if (c === 0x2c) wantKey = open[open.length - 1] instanceof Set;
  }
  return null;
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

/** Parse and validate a plan of one file. Never throws on bad input: the problems come back as PlanErrors. */
export function parsePlan(text: string, file: string, syntax: PlanSyntax = planSyntaxOf(file)): PlanResult {
  const parsed = parseText(text, file, syntax);
  if ('error' in parsed) return one(parsed.error);
  const v = validatePlan(parsed.data, file, parsed.prefix);
  if ('error' in v) return v;
  const raw = v.plan;
  const key = (k: string) => (parsed.prefix ? `${parsed.prefix}.${k}` : k);
  // The files a plan extends are read by loadPlanLayers, which the CLI uses; text alone cannot name them.
  if (raw.extends?.length) {
    return one({ file, key: key('extends'), message: 'a plan that extends others is loaded with loadPlanLayers (it reads their files)' });
  }
  if (!raw.artifact?.length) return one({ file, key: key('artifact'), message: NO_ARTIFACT });
  return buildPlan([{ source: file, file, prefix: parsed.prefix, raw }], file);
}

/** What loadPlanLayers needs of the file system (the CLI's: readPlanText, node:path). */
export interface PlanIO {
  read(file: string): { text: string } | { error: string };
  /** A path written in `from` (an `extends` entry), as the user should see it. */
  resolve(from: string, rel: string): string;
  /** What makes two names the same file (an absolute path), to find cycles. */
  id(file: string): string;
}

/** How deep `extends` may nest: a chain deeper than this is a mistake, not a design. */
export const MAX_EXTENDS_DEPTH = 8;

/**
 * The effective plan of plan files layered in this order (the first is the plan found or named; `source`: how
 * reports name a layer, default its path), each after the plans it extends. A plan of one file that extends none is
 * validated as a whole plan; layers may leave out what the layers below supply, and the merged plan is checked.
 */
export function loadPlanLayers(inputs: { file: string; source?: string }[], io: PlanIO): PlanResult {
  const layers: Layer[] = [];
  const errors: PlanError[] = [];
  const loaded = new Set<string>();
  const visit = (file: string, source: string, chain: string[], ids: string[]): void => {
    const id = io.id(file);
    const by = chain.length ? ` (extended by ${chain.join(' → ')})` : '';
    if (ids.includes(id)) { errors.push({ file: chain[chain.length - 1], key: 'extends', message: `a cycle: ${[...chain, file].join(' → ')}` }); return; }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      errors.push({ file: chain[chain.length - 1], key: 'extends', message: `more than ${MAX_EXTENDS_DEPTH} plans deep: ${[...chain, file].join(' → ')}` });
      return;
    }
    // A plan two layers extend (a diamond) is one layer, at its first place.
    if (loaded.has(id)) return;
    loaded.add(id);
    const r = io.read(file);
    if ('error' in r) { errors.push({ file, key: null, message: `${r.error}${by}` }); return; }
    const parsed = parseText(r.text, file, planSyntaxOf(file));
    if ('error' in parsed) { errors.push(parsed.error); return; }
    const d = parsed.data;
    const extending = typeof d === 'object' && d !== null && Object.hasOwn(d, 'extends');
    const whole = inputs.length === 1 && !chain.length && !extending;
    const v = validatePlan(d, file, parsed.prefix, { layer: !whole });
    if ('error' in v) { errors.push(...v.errors); return; }
    if (whole && !v.plan.artifact?.length) {
      errors.push({ file, key: parsed.prefix ? `${parsed.prefix}.artifact` : 'artifact', message: NO_ARTIFACT });
      return;
    }
    for (const e of v.plan.extends ?? []) visit(io.resolve(file, e), io.resolve(file, e), [...chain, file], [...ids, id]);
    layers.push({ source, file, prefix: parsed.prefix, raw: v.plan });
  };
  for (const i of inputs) visit(i.file, i.source ?? i.file, [], []);
  if (errors.length) return { error: errors[0], errors };
  return buildPlan(layers, inputs[0].file);
}
