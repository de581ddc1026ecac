/**
 * `linkplan plan show`: the effective plan after every layer, as TOML that is itself a plan (each value followed by
 * a comment naming the layer that set it), or as JSON with a `source` per value. Presets and target defaults are
 * written out key by key, so the TOML used as the only plan checks exactly what the layers did.
 */
import { BUILT_IN_LAYER } from './evaluate.js';
import type { Artifact, Plan } from './schema.js';

const tomlKey = (k: string) => k.split('.').map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p))).join('.');

/** A TOML value: strings as basic strings (JSON's escapes are TOML's; DEL is not allowed raw in TOML). */
function tomlValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v).replace(/\x7f/g, '\\u007F');
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  // A table below the flattened keys (`libs.zlib = { static = true, min = "1.2.13" }`): an inline table, as written.
  if (v && typeof v === 'object') {
    const kv = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`);
    return kv.length ? `{ ${kv.join(', ')} }` : '{}';
  }
  throw new Error(`not a plan value: ${typeof v}`);
}
/** A layer's name in a comment: one line, whatever the path holds. */
const comment = (s: string) => `# ${s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?')}`;

/** An artifact's values, flattened as Artifact.sources keys them, with their layers; what reports name it first. */
function artifactValues(a: Artifact): [string, unknown, string][] {
  const src = (k: string) => a.sources?.[k] ?? BUILT_IN_LAYER;
  const out: [string, unknown, string][] = [['name', a.name, src('name')], ['path', a.paths, src('path')]];
  if (a.exclude.length) out.push(['exclude', a.exclude, src('exclude')]);
  for (const [k, v] of Object.entries(a.expect)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [s, x] of Object.entries(v)) out.push([`${k}.${s}`, x, src(`${k}.${s}`)]);
    else out.push([k, v, src(k)]);
  }
  for (const [k, v] of Object.entries(a.severity)) out.push([`severity.${k}`, v, src(`severity.${k}`)]);
  return out;
}

function topValues(p: Plan): { scalars: [string, unknown, string][]; severity: [string, unknown, string][]; diff: [string, unknown, string][] } {
  const src = (k: string) => p.sources?.[k] ?? BUILT_IN_LAYER;
  return {
    scalars: [['unmatched', p.unmatched, src('unmatched')], ...(p.ignore.length ? [['ignore', p.ignore, src('ignore')] as [string, unknown, string]] : [])],
    severity: Object.entries(p.severity).map(([k, v]) => [k, v, src(`severity.${k}`)]),
    diff: p.diff.allow.length ? [['allow', p.diff.allow, src('diff.allow')]] : [],
  };
}

export function renderPlanToml(p: Plan, artifacts: Artifact[] = p.artifacts): string {
  const line = ([k, v, s]: [string, unknown, string]) => `${tomlKey(k)} = ${tomlValue(v)}  ${comment(s)}`;
  const t = topValues(p);
  const out = [comment(`The effective plan (linkplan plan show). Layers, lowest first: ${(p.layers ?? [p.file]).join(', ')}.`), 'version = 1'];
  out.push(...t.scalars.map(line));
  if (t.severity.length) out.push('', '[severity]', ...t.severity.map(line));
  if (t.diff.length) out.push('', '[diff]', ...t.diff.map(line));
  for (const a of artifacts) {
    out.push('', '[[artifact]]');
    if (a.preset) out.push(comment(`preset "${a.preset}" (set by ${a.sources?.preset ?? p.file}): its keys are written out below`));
    if (a.targets) out.push(comment(`target ${a.targets.join(', ')}: its defaults are written out below`));
    out.push(...artifactValues(a).map(line));
  }
  return out.join('\n') + '\n';
}

/** The same as data: every value as `{ value, source }`; artifact keys flattened (`needed.allow`, `libs.openssl`). */
export function renderPlanJson(p: Plan, artifacts: Artifact[] = p.artifacts): string {
  const obj = (xs: [string, unknown, string][]) => Object.fromEntries(xs.map(([k, v, s]) => [k, { value: v, source: s }]));
  const t = topValues(p);
  return JSON.stringify({
    plan: p.file,
    layers: p.layers ?? [p.file],
    ...obj(t.scalars),
    severity: obj(t.severity),
    diff: obj(t.diff),
    artifacts: artifacts.map((a) => ({ ...obj(artifactValues(a)), ...(a.preset ? { preset: a.preset } : {}), ...(a.targets ? { target: a.targets } : {}) })),
  }, null, 2) + '\n';
}
