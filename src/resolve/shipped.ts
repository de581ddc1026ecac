/**
 * The shipped trees of a run (verify, audit, resolve over an archive): each input — a directory, a file, an archive —
 * held in memory as the facts of its binaries, its symbolic links and the names of its other files, as they stream
 * by (bytes are never kept: a member's facts are all a loader's search needs of it), and mounted over the target
 * system's root at a path of its own. Results are kept in order and handed back once every member of their input is
 * known, each with a resolver over the whole picture: an RPATH / $ORIGIN / @rpath / application-directory library
 * is found where it ships, and one shipped in the wrong directory is not.
 *
 * Member names that leave the archive (absolute, `..`) are not placed: they are not part of the tree a loader sees.
 * Links resolve inside their tree (an absolute target is the tree's own root), never on this machine.
 */
import { type BinaryResult, failed } from '../facts/types.js';
import { resolveBinary } from './index.js';
import { MemorySysroot } from './memory.js';
import type { FactsRead, ResolveOptions, ResolveResult, Sysroot } from './model.js';
import { type Mount, MountedSysroot, OverlaySysroot } from './mounted.js';
import { basename, normalize } from './paths.js';

export interface ShippedInput {
  /** The input as the entries name it (`dist`, `app.tgz`, `bin/tool`). */
  label: string;
  /** Where the input is seen in the root: its path inside --root, or its own absolute path. */
  at: string;
  /**
   * A single file input, at `at`/<its name>: `at` is its directory. Its neighbours are on disk, not in the stream:
   * inside a directory root the root shows them (and follows their links as the target's loader would); otherwise
   * (an archive root, a file outside --root) `disk`, its directory as a sysroot, is mounted at `at` instead.
   */
  file?: true;
  disk?: Sysroot;
  /**
   * A single file named through a symbolic link: the file the link leads to in the root, in its own directory (`at`,
   * as a sysroot, and its name there), mounted beside the link's. A main program is resolved there (the loader runs
   * that file, and takes $ORIGIN from its real path: glibc reads /proc/self/exe, dyld the executable's real path); a
   * library where it is named (its $ORIGIN and @loader_path are the path it was opened by), with the facts read.
   */
  target?: { at: string; disk?: Sysroot; name: string };
  /**
   * Named through a link that this machine follows to another file than the root does, or to none (an absolute link
   * under --root): this machine's path of the root's file. What was read is not the root's file: not analysed.
   */
  foreign?: string;
  /**
   * A package (.deb, Alpine .apk): its members' names are install paths. Its tree holds the data archive's files at
   * their installed paths (a .deb's `data.tar.*!` dropped), and the root sees them at `/` too, over the target system
   * (an absolute RUNPATH into the package, /usr/libexec/sudo, finds the library it ships there).
   */
  package?: true;
}

/** A member's name inside its input, as a path of the tree; null when the name leaves it (absolute, `..`). */
export function placeOf(label: string, path: string): string | null {
  let rest: string;
  if (path === label) rest = basename(label.replace(/\/+$/, ''));
  else if (path.startsWith(`${label}!`)) rest = path.slice(label.length + 1);
  else if (path.startsWith(label.endsWith('/') ? label : `${label}/`)) rest = path.slice(label.length + (label.endsWith('/') ? 0 : 1));
  else rest = path;
  // An archive found inside the input is a directory of its own in the tree (`app.tgz!/lib/x.so`).
  const segs = rest.replace(/!/g, '!/').split('/');
  if (rest.startsWith('/') || rest.startsWith('\\') || /^[A-Za-z]:/.test(rest) || segs.some((s) => s === '..' || s.includes('\\'))) return null;
  return normalize(rest.replace(/!/g, '!/'));
}

/** placeOf for an input: a package's data archive (a .deb's `data.tar.*!`) is its tree's own root. */
function placeIn(inp: ShippedInput, path: string): string | null {
  const p = placeOf(inp.label, path);
  if (p === null || !inp.package) return p;
  const m = /^\/data\.tar(?:\.[A-Za-z0-9]+)?!(?=\/|$)/.exec(p);
  return m ? normalize(p.slice(m[0].length) || '/') : p;
}

export interface ShippedResolveOptions extends Omit<ResolveOptions, 'sysroot' | 'tree' | 'factsRead' | 'facts'> {
  /** The target system's root (DirSysroot over --root, an archive root in memory, or an empty one). */
  base: Sysroot;
}

interface Held { r: BinaryResult; inner: string | null; input: number }

/** Names not placed that are kept (and said on stderr one per line); the rest are counted. */
export const UNPLACED_NAMED = 20;

/** A file whose bytes are not kept (a tree may name a million of them): one empty array for all. */
const NO_BYTES = new Uint8Array(0);

export class ShippedTrees {
  private readonly trees: MemorySysroot[];
  private readonly pending: Held[] = [];
  /** Member names not placed (outside their archive), the first UNPLACED_NAMED of them, for the caller to say so. */
  readonly unplaced: string[] = [];
  /** How many were not placed in all (a hostile archive may hold a million such names). */
  unplacedCount = 0;

  private view: { base: Sysroot; sysroot: Sysroot } | null = null;
  /**
   * Files read by the resolutions of every replay (ResolveOptions.factsRead): a library is read once for all the
   * binaries that need it. Only files found are kept (inspectIn), so a tree read later is still seen by later replays.
   */
  private readonly factsRead: FactsRead = new Map();

  constructor(private readonly inputs: ShippedInput[]) {
    this.trees = inputs.map(() => new MemorySysroot());
  }

  private place(input: number, path: string): string | null {
    const p = placeIn(this.inputs[input], path);
    if (p === null && this.unplacedCount++ < UNPLACED_NAMED) this.unplaced.push(path);
    return p;
  }

  /** A result of input `input`: its facts placed in the tree, the result held until replay(). */
  add(r: BinaryResult, inner: string | null, input: number): void {
    const foreign = this.inputs[input].foreign;
    if (foreign !== undefined && r.path === this.inputs[input].label) {
      r = failed(r.path, r.format, 'io', `a link that the root follows to ${foreign}, and this machine to another file or none: name that file`);
    }
    this.pending.push({ r, inner, input });
    const p = this.place(input, r.path);
    // A file that failed to parse is still a file there: the loader takes it, and cannot load it.
    if (p !== null) this.trees[input].add(p, { facts: r });
  }

  /** A file that is not a binary (a linker script, a config file): present, no facts. */
  shipped(path: string, input: number, bytes?: Uint8Array): void {
    const p = this.place(input, path);
    if (p !== null) this.trees[input].add(p, bytes ?? NO_BYTES);
  }

  /** A symbolic link (target as stored) or a hard link (target: a member name of the same archive). */
  link(path: string, target: string, hard: boolean, input: number): void {
    const p = this.place(input, path);
    if (p === null) return;
    this.trees[input].add(p, { link: hard ? `/${target}` : target });
  }

  /** The results held so far (replay() hands them back with their resolvers). */
  held(): BinaryResult[] {
    return this.pending.map((h) => h.r);
  }

  /** Input `input`'s tree alone, at its own `/` (an archive given as --root). */
  tree(input: number): MemorySysroot {
    return this.trees[input];
  }

  /**
   * The root's view: `base`, with every input mounted at its `at`. Made once for a base and kept: the mounts are the
   * inputs, fixed from the start (a tree filled later is seen through its mount then), and verify replays after each
   * input: remade each time, the view cost a run of 2,320 files 3.3 s (quadratic).
   */
  sysroot(base: Sysroot): Sysroot {
    if (this.view?.base === base) return this.view.sysroot;
    // Another base is another root: what was read through the last one is not what this one holds.
    this.factsRead.clear();
    const mounts: Mount[] = this.inputs.flatMap((inp, i): Mount[] => {
      if (!inp.file) return [{ at: inp.at, sysroot: this.trees[i] }];
      const t = inp.target;
      return [...(inp.disk ? [{ at: inp.at, sysroot: inp.disk }] : []), ...(t?.disk ? [{ at: t.at, sysroot: t.disk }] : [])];
    });
    // Packages' files are at the root's `/` too, over the target system (a package's own file first).
    const pkgs = this.inputs.flatMap((inp, i) => (inp.package ? [{ at: inp.at, sysroot: this.trees[i] }] : []));
    const under = pkgs.length ? new OverlaySysroot(base, pkgs) : base;
    this.view = { base, sysroot: new MountedSysroot(under, mounts) };
    return this.view.sysroot;
  }

  /** Where a member of input `input` is in the root; null when it was not placed. */
  rootPath(input: number, path: string): string | null {
    const inp = this.inputs[input];
    const p = inp.file ? `/${basename(path)}` : placeIn(inp, path);
    return p === null ? null : normalize(`${inp.at}/${p}`);
  }

  /**
   * The held results in order, each with its resolver (called only when a rule needs it), and let go of. Call it
   * once an input has been read (all its members are known); trees read later are seen by later replays only.
   */
  replay(opts: ShippedResolveOptions, each: (r: BinaryResult, inner: string | null, input: number, resolve: () => ResolveResult[]) => void): void {
    const sysroot = this.sysroot(opts.base);
    for (const h of this.pending.splice(0)) {
      each(h.r, h.inner, h.input, () => this.resolve(sysroot, h, opts, this.factsRead));
    }
  }

  private resolve(sysroot: Sysroot, h: Held, opts: ShippedResolveOptions, factsRead: FactsRead): ResolveResult[] {
    const inp = this.inputs[h.input];
    const main = inp.target && h.r.type === 'executable' ? inp.target : null;
    const at = main ? normalize(`${main.at}/${main.name}`) : this.rootPath(h.input, h.r.path);
    if (at === null) {
      return [{
        path: h.r.path, rootPath: h.r.path, arch: h.r.arch ?? '', loader: opts.loader ?? 'glibc', root: opts.rootLabel ?? '/', setup: [], deps: [],
        findings: [], error: { code: 'outside', message: 'its name leaves the archive, so no loader would see it there' },
      }];
    }
    // A file named by itself is read through the root or its directory's mount, which keep no facts: the held result
    // serves, but only where the root shows that very file at `at`: a file there, or a link the root follows to the
    // file the pool read (`target`; one it follows elsewhere is `foreign`, not analysed). A link the root cannot
    // follow leaves `at` a link to nothing. A tree's member is its own held result too: the tree keeps the facts of the
    // last member of a name, and an archive may hold two (each is resolved as itself; a library lookup finds the last,
    // as tar x would leave it).
    const own = inp.file === true ? inp.target !== undefined || sysroot.realpath?.(at) === at : true;
    const rs = resolveBinary(at, { ...opts, sysroot, tree: normalize((main ?? inp).at), factsRead, ...(own ? { facts: h.r } : {}) });
    for (const x of rs) x.path = h.r.path;
    return rs;
  }
}
