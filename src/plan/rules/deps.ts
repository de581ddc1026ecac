/**
 * What the deps.* rules share: every dependency of a resolution, down the whole loading chain, with the object that
 * names it and its depth, and the resolver's steps as evidence (data: the step code and its arguments).
 */
import type { Evidence } from '../../facts/types.js';
import type { ResolvedDep, ResolveResult, Step } from '../../resolve/model.js';

export interface DepAt {
  dep: ResolvedDep;
  /** The object that names it: the binary itself, or the path of the library that does. */
  from: string;
  depth: number;
}

/** Each dependency once per naming object, breadth-first as the loader loads them. */
export function allDeps(r: ResolveResult): DepAt[] {
  const out: DepAt[] = r.deps.map((dep) => ({ dep, from: r.path, depth: 0 }));
  for (let i = 0; i < out.length; i++) {
    const { dep, depth } = out[i];
    for (const d of dep.deps) out.push({ dep: d, from: dep.path ?? dep.name, depth: depth + 1 });
  }
  return out;
}

/** Steps of one search kept as evidence: a search may try hundreds of directories; the finding names the first. */
const MAX_STEPS = 24;

export function stepEvidence(steps: Step[]): Evidence[] {
  const ev: Evidence[] = steps.slice(0, MAX_STEPS).map((s) => ({ field: s.code, value: Object.entries(s.args).map(([k, v]) => `${k}=${v}`).join(' ') }));
  if (steps.length > MAX_STEPS) ev.push({ field: 'more-steps', value: String(steps.length - MAX_STEPS) });
  return ev;
}
