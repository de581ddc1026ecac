/**
 * dyld (macOS 11+), as dyld(1) and dyld's Loader::forEachPath / Loader::expandAtLoaderPath describe the search:
 *  - DYLD_LIBRARY_PATH (--env): the install name's leaf, in each directory, before anything else;
 *  - `@rpath/…`: every LC_RPATH of the image that holds the load command, then of the image that loaded it, and on
 *    up to the main executable (the "rpath stack"); an LC_RPATH may itself start with @loader_path (that image's
 *    directory) or @executable_path;
 *  - `@loader_path/…`: the directory of the image that holds the load command;
 *  - `@executable_path/…`: the directory of the main executable;
 *  - any other path as it is. Since macOS 11 the system libraries (/usr/lib/…, /System/Library/…) exist only in the
 *    dyld shared cache, not as files: present, apple-system, never missing.
 * A candidate of another architecture (no matching slice) is skipped and the search goes on ("mach-o file, but
 * is an incompatible architecture"). An image already loaded (same path, or the same install name) is reused.
 * Missing weak (LC_LOAD_WEAK_DYLIB) and lazy dylibs do not stop the program: warnings.
 */
import type { BinaryFacts, MachoFacts } from '../facts/types.js';
import type { MachoDylibKind } from '../facts/macho.js';
import { type Candidate, candidates, type Ctx, type LoaderImpl, MAX_CANDIDATES, type Obj, spend, open, provenanceOf, step } from './engine.js';
import type { DepKind, Step } from './model.js';
import { basename, join, normalize } from './paths.js';

const mach = (o: Obj) => o.facts as MachoFacts;

/** Where dyld takes it from, `..` applied: `/usr/lib/../../Users/x.dylib` is a file in /Users, not in the cache. */
export function isAppleSystem(path: string): boolean {
  const p = normalize(path);
  return p.startsWith('/usr/lib/') || p.startsWith('/System/Library/') || p.startsWith('/System/iOSSupport/');
}

const KIND: Record<MachoDylibKind, DepKind> = { load: 'load', weak: 'weak', reexport: 'reexport', lazy: 'lazy', upward: 'upward' };

/** The slice of a (possibly universal) file dyld would map for `arch`, or null. */
export function sliceFor(f: BinaryFacts, arch: string): MachoFacts | null {
  if (f.format !== 'macho') return null;
  if (f.slices) return (f.slices.find((s) => s.arch === arch) as MachoFacts | undefined) ?? null;
  return f.arch === arch ? f : null;
}

interface Cand { path: string; via: string; from?: string }

function tryMacho(ctx: Ctx, c: Cand, steps: Step[]): { facts: MachoFacts } | 'absent' | 'skip' {
  const extra: Record<string, string> = c.from ? { from: c.from } : {};
  if (!ctx.sysroot.isFile(c.path)) { steps.push(step('absent', { path: c.path, via: c.via, ...extra })); return 'absent'; }
  const o = open(ctx, c.path);
  const want = mach(ctx.main).arch;
  const s = 'facts' in o ? sliceFor(o.facts, want) : null;
  if (!s) {
    const found = 'facts' in o ? (o.facts.format === 'macho' ? (o.facts.slices?.map((x) => x.arch).join(',') ?? o.facts.arch) : o.facts.format) : o.error;
    steps.push(step('skip-wrong-class', { path: c.path, via: c.via, found, wanted: want, ...extra }));
    return 'skip';
  }
  if ('facts' in o && o.facts.format === 'macho' && o.facts.slices) steps.push(step('slice', { arch: want }));
  steps.push(step('found', { path: c.path, via: c.via, ...extra }));
  return { facts: s };
}

function expandAt(ctx: Ctx, l: Obj, p: string): string | null {
  if (p.startsWith('@loader_path')) return normalize(l.dir + p.slice('@loader_path'.length));
  if (p.startsWith('@executable_path')) return normalize(ctx.main.dir + p.slice('@executable_path'.length));
  return p.startsWith('/') ? normalize(p) : null;
}

export const dyld: LoaderImpl = {
  name: 'dyld',
  setup(ctx) {
    ctx.loaded.set(`path:${ctx.main.path}`, ctx.main.path);
  },
  deps(o) {
    const seen = new Set<string>();
    return mach(o).dylibs.filter((d) => !seen.has(d.name) && seen.add(d.name)).map((d) => ({ name: d.name, kind: KIND[d.kind] }));
  },
  register(ctx, o) {
    ctx.loaded.set(`path:${o.path}`, o.path);
    const id = mach(o).installName;
    if (id) ctx.loaded.set(`name:${id}`, o.path);
  },
  resolve(ctx, o, name): Candidate {
    const steps: Step[] = [];
    if (isAppleSystem(name)) return { status: 'present', path: name, provenance: 'apple-system', steps: [step('shared-cache', { name })] };
    const prior = ctx.loaded.get(`name:${name}`);
    if (prior !== undefined) return { status: 'reused', path: prior, provenance: null, steps: [step('reused', { path: prior, by: 'name' })] };
    const cands: Cand[] = [];
    for (const d of (ctx.env.DYLD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) cands.push({ path: join(d, basename(name)), via: 'dyld-library-path' });
    let relative = false;
    if (name.startsWith('@rpath/')) {
      relative = true;
      for (let l: Obj | null = o; l; l = l.parent) {
        for (const r of mach(l).rpath.slice(0, MAX_CANDIDATES)) {
          if (!spend(ctx, steps)) break;
          const dir = expandAt(ctx, l, r);
          if (dir === null) { steps.push(step('cwd-relative', { path: r })); continue; }
          if (dir !== r) steps.push(step('expand', { from: r, to: dir }));
          cands.push({ path: join(dir, name.slice('@rpath/'.length)), via: 'lc-rpath', ...(l !== o ? { from: l.path } : {}) });
        }
      }
    } else if (name.startsWith('@loader_path/') || name.startsWith('@executable_path/')) {
      relative = true;
      const p = expandAt(ctx, o, name)!;
      steps.push(step('expand', { from: name, to: p }));
      cands.push({ path: p, via: name.startsWith('@loader_path/') ? 'loader-path' : 'executable-path' });
    } else if (name.startsWith('/')) {
      cands.push({ path: normalize(name), via: 'direct' });
    } else {
      return { status: 'ambiguous', path: null, provenance: null, steps: [step('cwd-relative', { path: name })] };
    }
    for (const [c] of candidates(ctx, cands, (x) => x.path, steps)) {
      const r = tryMacho(ctx, c, steps);
      if (typeof r === 'string') continue;
      const again = ctx.loaded.get(`path:${c.path}`) ?? (r.facts.installName ? ctx.loaded.get(`name:${r.facts.installName}`) : undefined);
      if (again !== undefined) return { status: 'reused', path: again, provenance: null, steps: [...steps, step('reused', { path: again, by: 'file' })] };
      const provenance = provenanceOf(ctx, c.path, false, relative && c.via !== 'dyld-library-path', ctx.sysroot.realpath?.(c.path) ?? c.path);
      return { status: 'found', path: c.path, provenance, steps, facts: r.facts };
    }
    return { status: 'missing', path: null, provenance: null, steps: [...steps, step('not-found')] };
  },
};
