/**
 * A root with other sysroots mounted at directories of it: the shipped tree or archive (in memory, or a directory
 * on disk) seen at one path, the target system (`--root`, a directory or an archive) everywhere else. Each mount
 * answers for the paths under it, relative to itself, so a symbolic link inside an archive resolves inside that
 * archive (an absolute target means the archive's own root) and never reaches the root or this machine.
 */
import type { ByteSource } from '../bytes/source.js';
import type { BinaryResult } from '../facts/types.js';
import type { Sysroot } from './model.js';
import { normalize, resolveLinks, type Lookup } from './paths.js';

export interface Mount {
  /** The directory of the root the mount is seen at ("/app.tgz!", "/home/me/dist"). */
  at: string;
  sysroot: Sysroot;
}

export class MountedSysroot implements Sysroot {
  /** The mounts by directory; of two at the same directory the first given answers (as it always did). */
  private readonly byAt = new Map<string, Mount>();
  private readonly owner = new WeakMap<ByteSource, Sysroot>();

  constructor(private readonly base: Sysroot, mounts: Mount[]) {
    for (const m of mounts) {
      const at = normalize(m.at);
      if (at !== '/' && !this.byAt.has(at)) this.byAt.set(at, { at, sysroot: m.sysroot });
    }
  }

  /**
   * The sysroot that answers for `path`, the path as that sysroot sees it, and how to turn its paths back: the mount
   * at the path itself or at its deepest directory that has one (the deepest mount owns its paths even under another
   * mount). Looked up directory by directory, not mount by mount: an audit of 2,000 files in a few directories mounts
   * each file's directory, and every library lookup of every file used to walk all of them (quadratic: 91 s).
   */
  private route(path: string): { sys: Sysroot; p: string; back: (q: string) => string } {
    const n = normalize(path);
    for (let end = n.length; end > 0; end = n.lastIndexOf('/', end - 1)) {
      const m = this.byAt.get(end === n.length ? n : n.slice(0, end));
      if (m) return { sys: m.sysroot, p: normalize(n.slice(m.at.length)), back: (q) => normalize(`${m.at}/${q}`) };
    }
    return { sys: this.base, p: n, back: (q) => q };
  }

  exists(path: string): boolean {
    const r = this.route(path);
    return r.sys.exists(r.p);
  }

  isFile(path: string): boolean {
    const r = this.route(path);
    return r.sys.isFile(r.p);
  }

  read(path: string): ByteSource | null {
    const r = this.route(path);
    const src = r.sys.read(r.p);
    if (src) this.owner.set(src, r.sys);
    return src;
  }

  release(src: ByteSource): void {
    this.owner.get(src)?.release?.(src);
  }

  facts(path: string): BinaryResult | undefined {
    const r = this.route(path);
    return r.sys.facts?.(r.p);
  }

  list(dir: string): readonly string[] | null {
    const r = this.route(dir);
    return r.sys.list?.(r.p) ?? null;
  }

  realpath(path: string): string | null {
    const r = this.route(path);
    if (!r.sys.realpath) return r.sys.exists(r.p) ? normalize(path) : null;
    const real = r.sys.realpath(r.p);
    return real === null ? null : r.back(real);
  }
}

/**
 * The target system with packages' files laid over it (a .deb's or an Alpine .apk's members are install paths): a
 * path a package holds is that package's file, seen at its mount (`at`: the package's own directory in the root, so
 * a library found there is the package's, bundled, and is read there), any other the system's. A link in a package
 * resolves inside that package, as dpkg would have put it on the system with the package's own files beside it.
 */
export class OverlaySysroot implements Sysroot {
  constructor(private readonly lower: Sysroot, private readonly layers: Mount[]) {}

  /**
   * `path` with its links followed over the union, as the installed system would have them: a component a package
   * holds is the package's (its link, or its file or folder), any other the system's (a package's link into the
   * system, /usr/lib/x/pa -> /usr/lib/x86_64-linux-gnu/pulseaudio, leads there). Null: nowhere.
   */
  private union(path: string): string | null {
    return resolveLinks(path, (p): Lookup => {
      for (const l of this.layers) {
        const k = (l.sysroot as { lookup?: (p: string) => Lookup }).lookup?.(p);
        if (k && k.kind !== 'missing') return k;
      }
      const real = this.lower.realpath ? this.lower.realpath(p) : this.lower.exists(p) ? p : null;
      // The system's own links are followed by its realpath; one there ends where it leads.
      return real === null ? { kind: 'missing' } : real === p ? { kind: 'present' } : { kind: 'link', target: real };
    });
  }

  /**
   * The layer holding `path` (its links followed over the union), with the path it has there, or null (the
   * system's, at `real`). A file is the package's; a directory is the system's where the system has it too (the
   * package's /usr/lib does not hide the system's libraries: each file in it is looked up again), the package's where
   * only the package has it.
   */
  private layer(path: string): { sys: Sysroot; real: string; at: string } | null {
    const real = this.layers.some((l) => 'lookup' in l.sysroot) ? this.union(path) : normalize(path);
    if (real === null || real === '/') return null;
    let dir: { sys: Sysroot; real: string; at: string } | null = null;
    for (const l of this.layers) {
      const there = l.sysroot.realpath ? l.sysroot.realpath(real) : l.sysroot.exists(real) ? real : null;
      if (there === null || there === '/') continue;
      const hit = { sys: l.sysroot, real: there, at: normalize(l.at) };
      if (l.sysroot.isFile(there)) return hit;
      dir ??= hit;
    }
    return dir && !this.lower.exists(real) ? dir : null;
  }

  /** Where the system answers for `path`: its links followed over the union (a package's link into it). */
  private low(path: string): string {
    return this.layers.some((l) => 'lookup' in l.sysroot) ? this.union(path) ?? normalize(path) : normalize(path);
  }

  exists(path: string): boolean {
    return this.layer(path) !== null || this.lower.exists(this.low(path));
  }

  isFile(path: string): boolean {
    const l = this.layer(path);
    return l ? l.sys.isFile(l.real) : this.lower.isFile(this.low(path));
  }

  read(path: string): ByteSource | null {
    const l = this.layer(path);
    return l ? l.sys.read(l.real) : this.lower.read(this.low(path));
  }

  release(src: ByteSource): void {
    // A layer's sources are in memory (nothing to close); the system's may be files.
    this.lower.release?.(src);
  }

  facts(path: string): BinaryResult | undefined {
    const l = this.layer(path);
    return l ? l.sys.facts?.(l.real) : this.lower.facts?.(this.low(path));
  }

  list(dir: string): readonly string[] | null {
    const l = this.layer(dir);
    const low = this.lower.list?.(this.low(dir)) ?? null;
    const up = l ? l.sys.list?.(l.real) ?? null : null;
    if (!up) return low;
    if (!low) return up;
    return [...new Set([...low, ...up])].sort();
  }

  /** A package's file is seen at its mount (`<package>!/usr/lib/x`): there it is the package's, read from its tree. */
  realpath(path: string): string | null {
    const l = this.layer(path);
    if (l) return normalize(`${l.at}/${l.real}`);
    const p = this.low(path);
    return this.lower.realpath ? this.lower.realpath(p) : this.lower.exists(p) ? p : null;
  }
}
