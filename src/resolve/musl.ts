/**
 * musl's dynamic linker, as ldso/dynlink.c load_library() searches (musl 1.2.x):
 *  1. a name with a slash is opened as it is;
 *  2. the reserved names libc, libpthread, librt, libm, libdl, libutil, libxnet (followed by "." or the end) are
 *     musl itself: never searched;
 *  3. an object already loaded under that name (shortname) or whose file is the same is reused;
 *  4. LD_LIBRARY_PATH (--env) first — before any rpath, unlike glibc;
 *  5. the rpath of the requesting object, then of the object that loaded it, up to the executable
 *     (`for (p=needed_by; fd == -1 && p; p=p->needed_by)`). musl does not tell DT_RPATH from DT_RUNPATH
 *     (decode_dyn: p->rpath_orig is DT_RPATH, overwritten by DT_RUNPATH when both exist), so RUNPATH too applies to
 *     every dependency down the chain. fixup_rpath() expands only $ORIGIN / ${ORIGIN}; an rpath holding any other
 *     `$` token is dropped whole;
 *  6. the path file <dirname(PT_INTERP)>/../etc/ld-musl-<arch>.path (entries separated by ':' or newlines), or,
 *     when there is none, /lib:/usr/local/lib:/usr/lib.
 * musl maps the first file it finds without checking its class or machine (map_library reads only e_type), so a
 * wrong-architecture candidate is not skipped: the load fails, and that is reported.
 */
import { type Candidate, candidates, type Ctx, type LoaderImpl, MAX_CANDIDATES, type Obj, spend, provenanceOf, step } from './engine.js';
import { elfOf, interpreterIn, missing, splitPath, tryElf } from './elf-common.js';
import type { Step } from './model.js';
import { basename, dirname, join, normalize } from './paths.js';
import { readText } from './text.js';

const RESERVED = ['c', 'pthread', 'rt', 'm', 'dl', 'util', 'xnet'];

/** LDSO_ARCH of musl's arch/<arch>/reloc.h, by e_machine (the name in ld-musl-<arch>.so.1 and the path file). */
function lds(eMachine: number, bits: number, le: boolean): string | null {
  switch (eMachine) {
    case 62: return 'x86_64';
    case 3: return 'i386';
    case 183: return le ? 'aarch64' : 'aarch64_be';
    case 40: return le ? 'armhf' : 'armebhf';
    case 21: return le ? 'powerpc64le' : 'powerpc64';
    case 20: return 'powerpc';
    case 8: return bits === 64 ? (le ? 'mips64el' : 'mips64') : (le ? 'mipsel' : 'mips');
    case 243: return 'riscv64';
    case 22: return 's390x';
    case 258: return 'loongarch64';
    default: return null;
  }
}

/**
 * The path list, and the loader that provides the reserved names: the executable's PT_INTERP (whether the root has
 * it is a finding of its own, made once in setup()), or for a library (no PT_INTERP) /lib/ld-musl-<arch>.so.1,
 * musl's own name for itself.
 */
interface MuslState { dirs: string[]; loader: string }
const state = new WeakMap<Ctx, MuslState>();

/** musl fixup_rpath(): $ORIGIN / ${ORIGIN} only; any other `$` drops the whole rpath. */
function rpathOf(o: Obj, steps: Step[]): { dirs: string[]; relative: boolean } {
  const f = elfOf(o);
  const list = f.runpath.length ? f.runpath : f.rpath;
  if (!list.length) return { dirs: [], relative: false };
  const joined = list.slice(0, MAX_CANDIDATES).join(':');
  const bad = /\$(?!ORIGIN|\{ORIGIN\})\{?\w*\}?/.exec(joined);
  if (bad) { steps.push(step('bad-token', { entry: joined, token: bad[0] })); return { dirs: [], relative: false }; }
  const out = joined.replace(/\$\{ORIGIN\}|\$ORIGIN/g, o.dir);
  if (out !== joined) steps.push(step('expand', { from: joined, to: out }));
  return { dirs: splitPath(out, /:/), relative: out !== joined };
}

export const musl: LoaderImpl = {
  name: 'musl',
  setup(ctx) {
    const f = elfOf(ctx.main);
    const arch = lds(f.elf.eMachine, f.bits, f.endian === 'little');
    // dynlink.c: the path file is found relative to the loader's own name (ldso.name, PT_INTERP when started by the kernel).
    const interp = f.interpreter && f.interpreter.startsWith('/') ? f.interpreter : `/lib/ld-musl-${arch}.so.1`;
    const file = normalize(`${dirname(interp)}/../etc/ld-musl-${arch}.path`);
    const text = arch ? readText(ctx.sysroot, file) : null;
    let dirs: string[];
    if (text === null) {
      ctx.setup.push(step('musl-path-missing', { file }));
      dirs = ['/lib', '/usr/local/lib', '/usr/lib'];
    } else {
      ctx.setup.push(step('musl-path', { file }));
      dirs = splitPath(text, /[:\n]/).map((s) => s.trim()).filter(Boolean);
    }
    const there = f.interpreter ? interpreterIn(ctx) : null;
    state.set(ctx, { dirs, loader: normalize(interp) });
    ctx.loaded.set(`path:${ctx.sysroot.realpath?.(ctx.main.path) ?? ctx.main.path}`, ctx.main.path);
    if (f.interpreter && there !== null) ctx.loaded.set(`name:${basename(f.interpreter)}`, f.interpreter);
  },
  deps: (o) => [...new Set(elfOf(o).needed)].map((name) => ({ name, kind: 'needed' as const })),
  register(ctx, o, name) {
    ctx.loaded.set(`name:${name}`, o.path);
    ctx.loaded.set(`path:${ctx.sysroot.realpath?.(o.path) ?? o.path}`, o.path);
  },
  resolve(ctx, o, name) {
    const steps: Step[] = [];
    const st = state.get(ctx)!;
    if (!name.includes('/') && RESERVED.some((r) => name === `lib${r}` || name.startsWith(`lib${r}.`))) {
      return { status: 'present', path: st.loader, provenance: 'system', steps: [step('reused', { path: st.loader, by: 'builtin' })] };
    }
    const prior = ctx.loaded.get(`name:${name}`);
    if (prior !== undefined) return { status: 'reused', path: prior, provenance: null, steps: [step('reused', { path: prior, by: 'name' })] };
    const dirs: { dir: string; via: string; from?: string; relative: boolean; system: boolean }[] = [];
    if (name.includes('/')) {
      if (!name.startsWith('/')) return { status: 'ambiguous', path: null, provenance: null, steps: [step('cwd-relative', { path: name })] };
      steps.push(step('direct', { path: name }));
      return pick(ctx, o, [{ path: normalize(name), via: 'direct', relative: false, system: false }], steps);
    }
    const llp = ctx.env.LD_LIBRARY_PATH;
    if (llp) for (const d of splitPath(llp, /:/)) dirs.push({ dir: d, via: 'ld-library-path', relative: false, system: false });
    for (let l: Obj | null = o; l; l = l.parent) {
      if (!spend(ctx, steps)) break;
      const r = rpathOf(l, steps);
      const via = elfOf(l).runpath.length ? 'runpath' : 'rpath';
      for (const d of r.dirs) dirs.push({ dir: d, via, from: l.path, relative: r.relative, system: false });
    }
    for (const d of st.dirs) dirs.push({ dir: d, via: 'musl-path', relative: false, system: true });
    const cands = dirs.filter((d) => d.dir.startsWith('/')).map((d) => ({ ...d, path: join(d.dir, name) }));
    return pick(ctx, o, cands, steps);
  },
};

interface Cand { path: string; via: string; from?: string; relative: boolean; system: boolean }


/** The first existing candidate is the one musl maps, whatever its architecture. */
function pick(ctx: Ctx, o: Obj, cands: Cand[], steps: Step[]): Candidate {
  for (const [c] of candidates(ctx, cands, (x) => x.path, steps)) {
    const t = tryElf(ctx, c.path, c.via);
    const s = c.from && c.from !== o.path ? { ...t.step, args: { ...t.step.args, from: c.from } } : t.step;
    if (t.kind === 'absent') { steps.push(s); continue; }
    if (t.kind === 'skip') return { status: 'wrong-arch', path: c.path, provenance: null, steps: [...steps, { ...s, code: 'wrong-arch' }] };
    steps.push(s);
    if (t.kind === 'bad') return { status: 'unloadable', path: c.path, provenance: null, steps };
    const real = ctx.sysroot.realpath?.(c.path) ?? c.path;
    const again = ctx.loaded.get(`path:${real}`);
    if (again !== undefined) return { status: 'reused', path: again, provenance: null, steps: [...steps, step('reused', { path: again, by: 'file' })] };
    return { status: 'found', path: c.path, provenance: provenanceOf(ctx, c.path, c.system, c.relative, real), steps, facts: t.facts };
  }
  return missing(steps);
}
