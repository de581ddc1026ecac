/**
 * A Sysroot over a directory on disk: the root's `/` is `dir` (the machine's own `/` when none is given).
 * Symbolic links are followed inside the root — an absolute target means the root's path, not this machine's — as
 * the loader on the target system would see them. `mounts` are directories of this machine seen at their own
 * absolute paths (an input outside --root).
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { ByteSource } from '../bytes/source.js';
import type { Sysroot } from '../resolve/model.js';
import { inside, normalize, resolveLinks, type Lookup } from '../resolve/paths.js';
import { FileSource } from './file-source.js';


/** Paths whose real path and kind a DirSysroot remembers; past this it starts afresh (memory stays bounded). */
const REMEMBERED = 65_536;

export class DirSysroot implements Sysroot {
  readonly dir: string;
  private readonly open = new Set<FileSource>();
  /**
   * What realpath() and isFile() found, by path: a run sees the root as it first found it. A verify or audit of
   * thousands of binaries looks up the same library directories for each (an lstat per path component each time:
   * 0.8 s of an audit of /usr's 2,320 ELF files).
   */
  private readonly reals = new Map<string, string | null>();
  private readonly files = new Map<string, boolean>();
  /**
   * Directory listings, by real path: a Windows DLL is looked for case-insensitively in the application's directory
   * by its listing, for each DLL of each binary. The same array each time, so resolve/windows.ts's map by lower-cased
   * name is built once a directory. Bounded by the names held.
   */
  private readonly listings = new Map<string, string[] | null>();
  private listed = 0;
  constructor(dir = '/', private readonly mounts: string[] = []) {
    this.dir = resolvePath(dir);
  }

  /**
   * This machine's path for a path in the root (no link followed). A mount's own parents are this machine's too: the
   * links in a path are followed one component at a time from `/`, and the parents of a binary outside --root
   * (`/tmp`, `/tmp/build` for /tmp/build/app) need not exist in the root.
   */
  host(p: string): string {
    const n = normalize(p);
    if (this.dir === '/' || this.mounts.some((m) => inside(n, m) || inside(m, n))) return n;
    return n === '/' ? this.dir : `${this.dir}${n}`;
  }

  /** The root's path of a host path inside the root (or a mount), else null. */
  inRoot(hostPath: string): string | null {
    const h = resolvePath(hostPath);
    if (this.mounts.some((m) => inside(h, m))) return h;
    if (this.dir === '/') return h;
    if (h === this.dir) return '/';
    return h.startsWith(`${this.dir}/`) ? h.slice(this.dir.length) : null;
  }

  realpath(path: string): string | null {
    const known = this.reals.get(path);
    if (known !== undefined) return known;
    if (this.reals.size >= REMEMBERED) this.reals.clear();
    const real = this.findReal(path);
    this.reals.set(path, real);
    return real;
  }

  private findReal(path: string): string | null {
    return resolveLinks(path, (p): Lookup => {
      try {
        const st = lstatSync(this.host(p));
        return st.isSymbolicLink() ? { kind: 'link', target: readlinkSync(this.host(p), 'utf8') } : { kind: 'present' };
      } catch {
        return { kind: 'missing' };
      }
    });
  }

  exists(path: string): boolean {
    return this.realpath(path) !== null;
  }

  isFile(path: string): boolean {
    const known = this.files.get(path);
    if (known !== undefined) return known;
    if (this.files.size >= REMEMBERED) this.files.clear();
    const r = this.realpath(path);
    let file = false;
    try { file = r !== null && statSync(this.host(r)).isFile(); } catch { /* not a file */ }
    this.files.set(path, file);
    return file;
  }

  read(path: string): ByteSource | null {
    const r = this.realpath(path);
    if (r === null) return null;
    try {
      const s = FileSource.open(this.host(r), normalize(path));
      this.open.add(s);
      return s;
    } catch {
      return null;
    }
  }

  release(src: ByteSource): void {
    if (src instanceof FileSource && this.open.delete(src)) src.close();
  }

  list(dir: string): readonly string[] | null {
    const r = this.realpath(dir);
    if (r === null) return null;
    const known = this.listings.get(r);
    if (known !== undefined) return known;
    let names: string[] | null = null;
    try { names = readdirSync(this.host(r)).sort(); } catch { /* not a directory we can list */ }
    if (this.listed >= REMEMBERED) {
      this.listings.clear();
      this.listed = 0;
    }
    this.listings.set(r, names);
    this.listed += 1 + (names?.length ?? 0);
    return names;
  }
}
