/**
 * glibc's ld.so, as elf/dl-load.c _dl_map_object searches (ld.so(8), "Finding shared libraries"):
 *  1. a name with a slash is opened as it is;
 *  2. an object already loaded under that name or SONAME is reused (_dl_name_match_p), also when the file found is
 *     one already loaded (same file);
 *  3. unless the requesting object has DT_RUNPATH: the DT_RPATH of the requesting object, then of the object that
 *     loaded it, and on up to the executable (l_loader chain); an object with DT_RUNPATH contributes no DT_RPATH
 *     (elf/get-dynamic-info.h: "If both RUNPATH and RPATH are given, the latter is ignored");
 *  4. LD_LIBRARY_PATH (--env), tokens expanded against the executable;
 *  5. the requesting object's own DT_RUNPATH (never its loaders': DT_RUNPATH applies to its own NEEDED only);
 *  6. ld.so.cache — here the directories of /etc/ld.so.conf and its includes, under the root, which is what
 *     ldconfig builds the cache from (the cache itself is a build product we do not read);
 *  7. the default directories, unless the requesting object has DF_1_NODEFLIB.
 * A candidate of another ELF class, byte order or machine is skipped and the search goes on (open_verify); a file
 * that is not ELF at all stops the load. $ORIGIN / $LIB / $PLATFORM are expanded (_dl_dst_substitute); an unknown
 * $NAME is kept literally, as glibc does. Not modelled: glibc-hwcaps and legacy hwcap subdirectories, secure-mode
 * (setuid) restrictions.
 */
import type { ElfFacts } from '../facts/types.js';
import { type Candidate, candidates, type Ctx, type LoaderImpl, MAX_CANDIDATES, type Obj, spend, provenanceOf, step } from './engine.js';
import { elfOf, interpreterIn, missing, multiarch, platform, splitPath, tryElf } from './elf-common.js';
import { glob } from './glob.js';
import type { Step, Sysroot } from './model.js';
import { basename, dirname, join, normalize } from './paths.js';
import { readText } from './text.js';

interface Dir { dir: string; via: string; from?: string; relative: boolean }

interface GlibcState { conf: string[] }
const state = new WeakMap<Ctx, GlibcState>();

/**
 * glibc's default directories for the executable's class and machine. On a Debian-style multiarch root (the tuple's
 * directory exists) what Debian's ld.so is built with: /lib/<tuple>:/usr/lib/<tuple>:/lib:/usr/lib (its SYSTEM_DIRS;
 * LD_DEBUG=libs shows that system search path, without /lib64 or /usr/lib64). Otherwise (Fedora-style) the upstream
 * slibdir/libdir for the class (/lib64:/usr/lib64 on 64-bit targets, elf/dl-load.c system_dirs), then /lib:/usr/lib.
 */
export function defaultDirs(f: ElfFacts, root: Pick<Sysroot, 'exists'>): string[] {
  const t = multiarch(f);
  if (t && (root.exists(`/lib/${t}`) || root.exists(`/usr/lib/${t}`))) return [`/lib/${t}`, `/usr/lib/${t}`, '/lib', '/usr/lib'];
  return [...(f.bits === 64 ? ['/lib64', '/usr/lib64'] : ['/lib32', '/usr/lib32']), '/lib', '/usr/lib'];
}

/** $LIB: Debian's ld.so substitutes lib/<tuple> (its multiarch slibdir); upstream glibc lib64 on 64-bit targets. */
function libToken(ctx: Ctx): string {
  const f = elfOf(ctx.main), t = multiarch(f);
  if (t && ctx.sysroot.exists(`/lib/${t}`)) return `lib/${t}`;
  return f.bits === 64 ? 'lib64' : 'lib';
}

/** Expand the dynamic string tokens of one search entry for object `o`; null when a token has no value. */
function expand(ctx: Ctx, o: Obj, entry: string, steps: Step[]): { path: string; relative: boolean } | null {
  let relative = false, unknown = false;
  const out = entry.replace(/\$(\{(ORIGIN|LIB|PLATFORM)\}|ORIGIN|LIB|PLATFORM)/g, (_m, _a, braced: string | undefined) => {
    const name = braced ?? _m.slice(1);
    if (name === 'ORIGIN') { relative = true; return o.dir; }
    if (name === 'LIB') return libToken(ctx);
    const p = platform(elfOf(ctx.main));
    if (p === null) unknown = true;
    return p ?? '';
  });
  if (unknown) { steps.push(step('bad-token', { entry, token: '$PLATFORM' })); return null; }
  if (out !== entry) steps.push(step('expand', { from: entry, to: out }));
  // A relative entry is relative to the working directory, which the bytes do not say.
  if (!out.startsWith('/')) { steps.push(step('cwd-relative', { path: out })); return null; }
  return { path: normalize(out), relative };
}

function readConf(ctx: Ctx, file: string, out: string[], seen: Set<string>, depth: number): void {
  if (seen.has(file) || depth > 16) return;
  seen.add(file);
  const text = readText(ctx.sysroot, file);
  if (text === null) { ctx.setup.push(step('ld-so-conf-missing', { file })); return; }
  ctx.setup.push(step('ld-so-conf', { file }));
  // ldconfig.c parse_conf: '#' starts a comment; "include PATTERN" (relative to the file's directory); "hwcap" lines
  // are obsolete; otherwise one directory per line (an old "dir=type" suffix is dropped).
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const inc = /^include\s+(.+)$/i.exec(line);
    if (inc) {
      for (const pat of inc[1].trim().split(/\s+/)) {
        for (const f of glob(ctx.sysroot, pat.startsWith('/') ? pat : join(dirname(file), pat))) readConf(ctx, f, out, seen, depth + 1);
      }
      continue;
    }
    if (/^hwcap\s/i.test(line)) continue;
    const dir = line.replace(/=.*$/, '').trim();
    if (dir.startsWith('/')) out.push(normalize(dir));
  }
}

function searchList(ctx: Ctx, o: Obj, steps: Step[]): Dir[] {
  const f = elfOf(o);
  const dirs: Dir[] = [];
  const add = (l: Obj, entries: string[], via: string) => {
    for (const e of entries.slice(0, MAX_CANDIDATES)) {
      if (!spend(ctx, steps)) return;
      const x = expand(ctx, l, e, steps);
      if (x) dirs.push({ dir: x.path, via, from: l.path, relative: x.relative });
    }
  };
  if (f.runpath.length === 0) {
    for (let l: Obj | null = o; l; l = l.parent) {
      const lf = elfOf(l);
      if (lf.runpath.length) { if (lf.rpath.length) steps.push(step('rpath-ignored', { from: l.path })); continue; }
      add(l, lf.rpath, 'rpath');
    }
  } else {
    // Said only when some DT_RPATH in the chain would otherwise have applied.
    let any = false;
    for (let l: Obj | null = o; l && !any; l = l.parent) any = elfOf(l).rpath.length > 0 && (l === o || elfOf(l).runpath.length === 0);
    if (any) steps.push(step('rpath-ignored', { from: o.path }));
  }
  const llp = ctx.env.LD_LIBRARY_PATH;
  if (llp) add(ctx.main, splitPath(llp), 'ld-library-path');
  add(o, f.runpath, 'runpath');
  if (!f.elf.flags1.includes('NODEFLIB')) {
    for (const d of state.get(ctx)!.conf) dirs.push({ dir: d, via: 'ld-so-conf', relative: false });
    for (const d of defaultDirs(elfOf(ctx.main), ctx.sysroot)) dirs.push({ dir: d, via: 'default', relative: false });
  }
  return dirs;
}

function found(ctx: Ctx, path: string, facts: Candidate['facts'], steps: Step[], system: boolean, relative: boolean): Candidate {
  const real = ctx.sysroot.realpath?.(path) ?? path;
  const again = ctx.loaded.get(`path:${real}`);
  if (again !== undefined) return { status: 'reused', path: again, provenance: null, steps: [...steps, step('reused', { path: again, by: 'file' })] };
  return { status: 'found', path, provenance: provenanceOf(ctx, path, system, relative, real), steps, facts };
}

export const glibc: LoaderImpl = {
  name: 'glibc',
  setup(ctx) {
    const conf: string[] = [];
    readConf(ctx, '/etc/ld.so.conf', conf, new Set(), 0);
    state.set(ctx, { conf });
    const f = elfOf(ctx.main);
    // The loader itself is loaded first: a NEEDED of its SONAME (Rust's ld-linux-x86-64.so.2) is reused, once it is
    // there (a root without it is a finding, and a NEEDED of it is then searched like any other).
    if (f.interpreter && interpreterIn(ctx) !== null) {
      ctx.loaded.set(`name:${f.interpreter}`, f.interpreter);
      ctx.loaded.set(`name:${basename(f.interpreter)}`, f.interpreter);
    }
    ctx.loaded.set(`path:${ctx.sysroot.realpath?.(ctx.main.path) ?? ctx.main.path}`, ctx.main.path);
  },
  deps: (o) => [...new Set(elfOf(o).needed)].map((name) => ({ name, kind: 'needed' as const })),
  register(ctx, o, name) {
    ctx.loaded.set(`name:${name}`, o.path);
    const so = elfOf(o).soname;
    if (so) ctx.loaded.set(`name:${so}`, o.path);
    ctx.loaded.set(`path:${ctx.sysroot.realpath?.(o.path) ?? o.path}`, o.path);
  },
  resolve(ctx, o, name) {
    const steps: Step[] = [];
    const prior = ctx.loaded.get(`name:${name}`);
    if (prior !== undefined) return { status: 'reused', path: prior, provenance: null, steps: [step('reused', { path: prior, by: 'name' })] };
    if (name.includes('/')) {
      if (!name.startsWith('/')) return { status: 'ambiguous', path: null, provenance: null, steps: [step('cwd-relative', { path: name })] };
      steps.push(step('direct', { path: name }));
      const t = tryElf(ctx, normalize(name), 'direct');
      steps.push(t.step);
      if (t.kind === 'found') return found(ctx, normalize(name), t.facts, steps, false, false);
      if (t.kind === 'skip') return { status: 'wrong-arch', path: normalize(name), provenance: null, steps };
      if (t.kind === 'bad') return { status: 'unloadable', path: normalize(name), provenance: null, steps };
      return missing(steps);
    }
    for (const [d, path] of candidates(ctx, searchList(ctx, o, steps), (x) => join(x.dir, name), steps)) {
      const t = tryElf(ctx, path, d.via);
      steps.push(d.from && d.from !== o.path ? { ...t.step, args: { ...t.step.args, from: d.from } } : t.step);
      if (t.kind === 'found') return found(ctx, path, t.facts, steps, d.via === 'ld-so-conf' || d.via === 'default', d.relative);
      if (t.kind === 'bad') return { status: 'unloadable', path, provenance: null, steps };
    }
    return missing(steps);
  },
};
