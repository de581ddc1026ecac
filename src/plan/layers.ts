/**
 * Plan layers: built-in target defaults, then extended plans, the plan found or named, later `--plan`s and
 * LINKPLAN_PLAN, each over the one below. Later layers win per key; artifacts merge by name; lists replace unless a
 * layer writes `{ add = [...] }` / `{ remove = [...] }`. Core-safe: the layers come in parsed and validated
 * (load.ts reads them); this module merges them and records which layer set each key.
 */
import { compileGlob } from './glob.js';
import { targetDefault, targetExpectations, type TargetDefault } from './init.js';
import { quote } from './limits.js';
import { PRESETS, type PresetName } from './presets.js';
import { RUST_TARGETS } from './targets.js';
import { ListEdit, NO_ARTIFACT, type Artifact, type Expectations, type Plan, type PlanError, type PlanErrors, type RawPlan } from './schema.js';

/** One validated plan file in the stack. `source`: how reports name it (its path, or `path (LINKPLAN_PLAN)`). */
export interface Layer {
  source: string;
  file: string;
  /** Key path of the plan inside its document (`package.metadata.linkplan`), for messages. */
  prefix: string;
  raw: RawPlan;
}

/** The source of values a `target` supplies (the lowest layer of an artifact). */
export const TARGET_DEFAULT_SOURCE = 'target default';

/** Tables merged per sub-key; their keys are flattened to `needed.allow`, `libs.openssl`, `severity.rpath`. */
const NESTED = new Set(['needed', 'dylibs', 'deps', 'libs', 'severity', 'diff']);

type Pairs = [string, unknown][];
interface State { vals: Record<string, unknown>; src: Record<string, string> }

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ListEdit);

function flatten(o: object): Pairs {
  const out: Pairs = [];
  for (const [k, v] of Object.entries(o)) {
    if (NESTED.has(k) && isPlain(v)) for (const [s, x] of Object.entries(v)) out.push([`${k}.${s}`, x]);
    else out.push([k, v]);
  }
  return out;
}

/** The flattened keys back into tables (the first "." separates: no NESTED name has one). */
export function unflatten(vals: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vals)) {
    const i = k.indexOf('.');
    if (i < 0) { out[k] = v; continue; }
    const t = (out[k.slice(0, i)] ??= {}) as Record<string, unknown>;
    t[k.slice(i + 1)] = v;
  }
  return out;
}

function apply(st: State, source: string, pairs: Pairs): void {
  for (const [k, v] of pairs) {
    if (v instanceof ListEdit) {
      const base = Array.isArray(st.vals[k]) ? (st.vals[k] as unknown[]) : [];
      const kept = base.filter((x) => !v.remove.includes(x));
      st.vals[k] = [...kept, ...v.add.filter((x) => !kept.includes(x))];
    } else {
      st.vals[k] = v;
    }
    st.src[k] = source;
  }
}

/** A layer's entry for an artifact as pairs: its preset's expectations first, then its own keys (which win). */
function entryPairs(entry: object): Pairs {
  const preset = (entry as { preset?: unknown }).preset;
  const base = typeof preset === 'string' && Object.hasOwn(PRESETS, preset) ? flatten(PRESETS[preset as PresetName].expect) : [];
  return [...base, ...flatten(entry)];
}

interface Slot { id: string; key: string; file: string; parts: { source: string; file: string; key: string; pairs: Pairs }[] }

/** The defaults of an artifact's `target` patterns as pairs, or why they cannot be had. */
function targetPairs(patterns: string[], crtStatic: boolean | undefined): { pairs: Pairs; label: string } | { error: string } {
  const triples: string[] = [];
  for (const p of patterns) {
    let test: (s: string) => boolean;
    try { test = compileGlob(p); } catch { test = (s) => s === p; }
    const hits = RUST_TARGETS.filter((t) => t === p || test(t));
    if (!hits.length) {
      const r = targetDefault(p, crtStatic);
      return { error: 'error' in r ? r.error : `${quote(p)} matches no Rust target` };
    }
    for (const t of hits) if (!triples.includes(t)) triples.push(t);
  }
  let dflt: TargetDefault | null = null;
  const arch: string[] = [];
  const families: string[] = [];
  let firstError: string | null = null;
  for (const t of triples) {
    const r = targetDefault(t, crtStatic);
    // A glob may take in targets without a plan family (`*-linux-*` takes android's): those are passed over.
    if ('error' in r) { firstError ??= r.error; continue; }
    if (!families.includes(r.target.family)) families.push(r.target.family);
    if (dflt && dflt !== r.dflt) {
      const which = patterns.map(quote).join(', ');
      return { error: `target ${which} takes in targets with different defaults (${families.join(', ')}): give each its own artifact` };
    }
    dflt = r.dflt;
    if (!arch.includes(r.target.arch)) arch.push(r.target.arch);
  }
  if (!dflt) return { error: firstError ?? `${patterns.map(quote).join(', ')} matches no Rust target` };
  return { pairs: flatten(targetExpectations(dflt, arch)), label: `${TARGET_DEFAULT_SOURCE} (${patterns.join(', ')})` };
}

/** The effective plan of a stack of layers, lowest first. `file`: the plan found or named (reports name it). */
export function buildPlan(layers: Layer[], file: string): { plan: Plan } | PlanErrors {
  const errors: PlanError[] = [];
  const top: State = { vals: {}, src: {} };
  const slots = new Map<string, Slot>();
  for (const l of layers) {
    const { $schema: _s, version: _v, extends: _e, artifact, ...rest } = l.raw;
    apply(top, l.source, flatten(rest));
    const seen = new Map<string, number>();
    const explicit = new Map<string, string>();
    (artifact ?? []).forEach((a, i) => {
      const key = `${l.prefix ? `${l.prefix}.` : ''}artifact[${i}]`;
      const path = Array.isArray(a.path) ? a.path : null;
      const named = a.name ?? (path ? path.join(', ') : null);
      if (named === null) {
        errors.push({ file: l.file, key, message: 'an artifact in a layer needs a name (to change that artifact of the layers below) or a path' });
        return;
      }
      // A name is how reports, --artifact and the layers above tell an artifact apart: two artifacts of one file may
      // not share one (a layer's `name = "A"` would change the first only, and the second would go on checking).
      if (a.name !== undefined) {
        const first = explicit.get(a.name);
        if (first !== undefined) {
          errors.push({ file: l.file, key: `${key}.name`, message: `"${a.name}" is the name of ${first} too: give each artifact its own name` });
          return;
        }
        explicit.set(a.name, key);
      }
      // Two artifacts of one path list in one file stay two (as in a plan of one file); a layer above changes the first.
      const n = (seen.get(named) ?? 0) + 1;
      seen.set(named, n);
      const id = n === 1 ? named : `${named}\u0000${n}`;
      let slot = slots.get(id);
      if (!slot) { slot = { id, key, file: l.file, parts: [] }; slots.set(id, slot); }
      slot.parts.push({ source: l.source, file: l.file, key, pairs: entryPairs(a) });
    });
  }
  const artifacts: Artifact[] = [];
  for (const slot of slots.values()) {
    const scratch: State = { vals: {}, src: {} };
    for (const p of slot.parts) apply(scratch, p.source, p.pairs);
    if (scratch.vals.skip === true) continue;
    const st: State = { vals: {}, src: {} };
    const target = scratch.vals.target as string[] | undefined;
    if (target?.length) {
      const r = targetPairs(target, scratch.vals.crtStatic as boolean | undefined);
      const at = [...slot.parts].reverse().find((p) => p.pairs.some(([k]) => k === 'target'))!;
      if ('error' in r) { errors.push({ file: at.file, key: `${at.key}.target`, message: r.error }); continue; }
      apply(st, r.label, r.pairs);
    }
    for (const p of slot.parts) apply(st, p.source, p.pairs);
    const { path, exclude, name, preset, severity, target: _t, crtStatic: _c, skip: _k, ...expect } = unflatten(st.vals) as Record<string, any>;
    if (!path) { errors.push({ file: slot.file, key: `${slot.key}.path`, message: 'missing (required)' }); continue; }
    artifacts.push({
      name: (name as string | undefined) ?? (path as string[]).join(', '), key: slot.key, paths: path, exclude: exclude ?? [],
      preset: preset ?? null, expect: expect as Expectations, severity: severity ?? {}, ...(target?.length ? { targets: target } : {}), sources: st.src,
    });
  }
  if (!errors.length && !artifacts.length) {
    const base = layers.find((l) => l.file === file) ?? layers[layers.length - 1];
    errors.push({ file, key: `${base?.prefix ? `${base.prefix}.` : ''}artifact`, message: NO_ARTIFACT });
  }
  if (errors.length) return { error: errors[0], errors };
  const t = unflatten(top.vals) as { unmatched?: Plan['unmatched']; ignore?: string[]; severity?: Plan['severity']; diff?: { allow?: string[] } };
  return {
    plan: {
      file, unmatched: t.unmatched ?? 'warn', ignore: t.ignore ?? [], severity: t.severity ?? {}, artifacts,
      diff: { allow: t.diff?.allow ?? [] }, layers: layers.map((l) => l.source), sources: top.src,
    },
  };
}
