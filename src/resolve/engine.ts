/**
 * The part every loader shares: objects loaded breadth-first (as ld.so, musl and dyld load them: all of the
 * executable's dependencies, then theirs), each dependency resolved by the loader's own rules, and the findings.
 */
import type { BinaryFacts, BinaryResult } from '../facts/types.js';
import {
  type DepKind, type DepStatus, FACTS_READ_MAX, type FactsRead, type LoaderName, type Provenance, type ResolveFinding, type ResolveOptions,
  type ResolveResult, type ResolvedDep, type Step, type Sysroot,
} from './model.js';
import { dirname, inside } from './paths.js';

/** One loaded object: where it is in the root, its facts, and the object that caused it to be loaded. */
export interface Obj {
  path: string;
  dir: string;
  facts: BinaryFacts;
  parent: Obj | null;
  depth: number;
  deps: ResolvedDep[];
}

export interface Candidate {
  status: DepStatus;
  path: string | null;
  provenance: Provenance | null;
  steps: Step[];
  /** A new object to load (found files only). */
  facts?: BinaryFacts;
}

export interface Ctx {
  opts: ResolveOptions;
  sysroot: Sysroot;
  env: Record<string, string>;
  setup: Step[];
  main: Obj;
  /** Paths of loaded objects by the keys the loader matches names with (name:…, soname, path:…). */
  loaded: Map<string, string>;
  tree: string | null;
  /** The tree's real path, once asked (treeReal). */
  treeReal?: string;
  /** What is left of MAX_RUN_CANDIDATES. */
  budget: number;
  /** The run's findings; setup() adds those about the whole run (the program interpreter missing). */
  findings: ResolveFinding[];
}

export interface LoaderImpl {
  name: LoaderName;
  /** Read the configuration the loader reads once (ld.so.conf, musl's path file). */
  setup(ctx: Ctx): void;
  deps(o: Obj): { name: string; kind: DepKind }[];
  resolve(ctx: Ctx, o: Obj, name: string, kind: DepKind): Candidate;
  /** Register a newly loaded object under the names later lookups match. */
  register(ctx: Ctx, o: Obj, name: string): void;
}

export const step = (code: Step['code'], args: Record<string, string> = {}): Step => ({ code, args });

export type Opened = { facts: BinaryFacts } | { error: string };

/** Facts of a file in the root, through the injected reader. */
export function open(ctx: Ctx, path: string): Opened {
  const r = inspectIn(ctx.sysroot, ctx.opts.inspect, path, ctx.opts.factsRead);
  if (r === null) return { error: 'not a readable file' };
  return r.error === null ? { facts: r } : { error: r.error.message };
}

/**
 * A file's facts: those the sysroot kept, or its bytes through the injected reader; null when it cannot be read.
 * With `read` (ResolveOptions.factsRead), a file read before in the run is not read again. A file not found is not
 * kept: an archive's tree is filled as it streams, and what a later replay finds there must not be hidden.
 */
export function inspectIn(sysroot: Sysroot, inspect: ResolveOptions['inspect'], path: string, read?: FactsRead): BinaryResult | null {
  const known = read?.get(path);
  if (known) return known;
  const r = readFacts(sysroot, inspect, path);
  if (read && r) {
    if (read.size >= FACTS_READ_MAX) read.clear();
    read.set(path, r);
  }
  return r;
}

function readFacts(sysroot: Sysroot, inspect: ResolveOptions['inspect'], path: string): BinaryResult | null {
  const kept = sysroot.facts?.(path);
  if (kept) return kept;
  const src = sysroot.read(path);
  if (!src) return null;
  try {
    return inspect(src, path);
  } finally {
    sysroot.release?.(src);
  }
}

const HOMEBREW = ['/opt/homebrew', '/usr/local/Cellar', '/usr/local/opt', '/home/linuxbrew'];

/**
 * Provenance of a file found at `path`: through a relative search path ($ORIGIN, @loader_path, the application
 * directory), except to a file outside an archive's tree, or inside the shipped tree not through a system list →
 * bundled (a relative path that climbs out of an archive, $ORIGIN/../../usr/lib, reaches what the release does not
 * ship: not bundled, as audit's unshipped-dependency has it); Homebrew's prefixes; through a system
 * list (ld.so.conf, the loader's default directories) → system, even where the shipped tree is that directory (a
 * distribution's library named by itself: /usr/lib/x86_64-linux-gnu is both, and the tree, compared as spelled, made
 * /lib/x86_64-linux-gnu/libpq.so.5.15's libc "bundled" and /usr/lib's "system"); other.
 */
export function provenanceOf(ctx: Ctx, path: string, system: boolean, relative = false, real = path): Provenance {
  const inTree = ctx.tree !== null && (inside(path, ctx.tree) || inside(real, treeReal(ctx, ctx.tree)));
  // An archive's tree (mounted at `<its path>!`) is all the release ships; a directory's or a lone binary's is only
  // where the search started (what a relative path reaches beside it on disk ships with it too).
  const confined = ctx.tree !== null && ctx.tree.endsWith('!');
  if ((relative && (!confined || inTree)) || (!system && inTree)) return 'bundled';
  if (HOMEBREW.some((h) => inside(path, h))) return 'homebrew';
  return system ? 'system' : 'other';
}

/**
 * The tree's real path, asked once a run: a file found by another spelling of it (an absolute RUNPATH into
 * /usr/lib for a binary named under /lib, /lib being a link) is inside it all the same.
 */
function treeReal(ctx: Ctx, tree: string): string {
  return (ctx.treeReal ??= ctx.sysroot.realpath?.(tree) ?? tree);
}

const DEFAULT_MAX_DEPTH = 64;

/**
 * Candidates tried for one name. Both the NEEDED list and the rpath lists are the binary's to make long; without a
 * cap, 50,000 names × 50,000 rpath entries would be 2.5 billion lookups. No real search list comes near this.
 */
export const MAX_CANDIDATES = 512;
/** Candidates and expansions for a whole run (so memory for the steps stays bounded too). */
export const MAX_RUN_CANDIDATES = 200_000;

/** Count one candidate or expansion against the run's budget; false (and a step saying so) once it is spent. */
export function spend(ctx: Ctx, steps: Step[]): boolean {
  if (ctx.budget > 0) { ctx.budget--; return true; }
  if (steps[steps.length - 1]?.code !== 'search-capped') steps.push(step('search-capped', { max: String(MAX_RUN_CANDIDATES) }));
  return false;
}
/**
 * The candidates worth trying, in order: each path once, at most MAX_CANDIDATES for one name, while the run's
 * budget lasts; when either runs out, a step says so and the search ends.
 */
export function* candidates<T>(ctx: Ctx, cands: Iterable<T>, pathOf: (c: T) => string, steps: Step[]): Generator<[T, string]> {
  const tried = new Set<string>();
  for (const c of cands) {
    const path = pathOf(c);
    if (tried.has(path)) continue;
    if (tried.size >= MAX_CANDIDATES) { steps.push(step('search-capped', { max: String(MAX_CANDIDATES) })); return; }
    if (!spend(ctx, steps)) return;
    tried.add(path);
    yield [c, path];
  }
}

const DELAYED: ReadonlySet<DepKind> = new Set(['delay-import', 'lazy', 'weak']);

/** Resolve every dependency of `main` (facts of the binary at `path` in the root) with `impl`. */
export function run(impl: LoaderImpl, opts: ResolveOptions, facts: BinaryFacts, path: string, arch: string): ResolveResult {
  // $ORIGIN of an ELF library is the directory of the path it is opened by, links and all (glibc's _dl_new_object
  // takes the name as found; musl's fixup_rpath reads /proc/self/exe for the main program only), as for every library
  // it loads. A program's is its real path's directory (/proc/self/exe); so are @executable_path and @loader_path
  // (dyld2 realpath()s every image's path for them) and a PE's application directory.
  const asNamed = facts.format === 'elf' && facts.type !== 'executable';
  const real = asNamed ? path : (opts.sysroot.realpath?.(path) ?? path);
  const main: Obj = { path, dir: dirname(real), facts, parent: null, depth: 0, deps: [] };
  const findings: ResolveFinding[] = [];
  const ctx: Ctx = {
    opts, sysroot: opts.sysroot, env: opts.env ?? {}, setup: [], main, loaded: new Map(), tree: opts.tree ?? null, budget: MAX_RUN_CANDIDATES,
    findings,
  };
  impl.setup(ctx);
  const max = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  // An executable without PT_INTERP is started by the kernel alone: what its DT_NEEDED names is never loaded.
  const unloaded = facts.format === 'elf' && facts.linkage === 'broken-static-pie';
  const queue: Obj[] = [main];
  for (let qi = 0; qi < queue.length; qi++) {
    const o = queue[qi];
    for (const { name, kind } of impl.deps(o)) {
      const c: Candidate = unloaded ? { status: 'missing', path: null, provenance: null, steps: [step('no-interpreter', { path })] }
        : impl.resolve(ctx, o, name, kind);
      const dep: ResolvedDep = { name, kind, status: c.status, path: c.path, provenance: c.provenance, steps: c.steps, deps: [] };
      o.deps.push(dep);
      const delayed = DELAYED.has(kind);
      const finding = (code: ResolveFinding['code'], severity: ResolveFinding['severity']) =>
        findings.push({ code, severity, name, from: o.path, path: c.path });
      switch (c.status) {
        case 'missing': finding(unloaded ? 'not-loaded' : delayed ? 'missing-delayed' : 'missing', delayed ? 'warning' : 'error'); break;
        case 'wrong-arch': finding('wrong-arch', delayed ? 'warning' : 'error'); break;
        case 'unloadable': finding('unreadable', delayed ? 'warning' : 'error'); break;
        case 'ambiguous': finding('ambiguous', delayed ? 'warning' : 'error'); break;
        default: if (c.steps.some((s) => s.code === 'shadowed')) finding('shadowed', 'warning');
      }
      if (c.status !== 'found' || !c.facts || !c.path) continue;
      const child: Obj = { path: c.path, dir: dirname(c.path), facts: c.facts, parent: o, depth: o.depth + 1, deps: dep.deps };
      impl.register(ctx, child, name);
      if (child.depth >= max) { dep.steps.push(step('depth-limit', { max: String(max) })); continue; }
      queue.push(child);
    }
  }
  return {
    path: facts.path, rootPath: path, arch, loader: impl.name, root: opts.rootLabel ?? '/', setup: ctx.setup, deps: main.deps, findings, error: null,
  };
}
