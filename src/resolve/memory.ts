/** A Sysroot held in memory: tests, the browser, and archive members read into memory. */
import { type ByteSource, MemorySource } from '../bytes/source.js';
import type { Sysroot } from './model.js';
import { dirname, join, normalize } from './paths.js';

/** A file's bytes, or a symbolic link's target (absolute, or relative to the link's directory). */
export type MemoryNode = Uint8Array | { link: string };

const MAX_LINKS = 40; // as Linux's MAXSYMLINKS

export class MemorySysroot implements Sysroot {
  private readonly nodes = new Map<string, MemoryNode>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(files: Record<string, MemoryNode> = {}) {
    for (const [p, n] of Object.entries(files)) this.add(p, n);
  }

  add(path: string, node: MemoryNode): this {
    const p = normalize(path);
    this.nodes.set(p, node);
    for (let c = p; c !== '/'; c = dirname(c)) {
      const d = dirname(c);
      let s = this.dirs.get(d);
      if (!s) this.dirs.set(d, (s = new Set()));
      s.add(c.slice(d === '/' ? 1 : d.length + 1));
    }
    return this;
  }

  realpath(path: string): string | null {
    // Resolve component by component, so a link in a directory's name is followed too.
    let cur = '/';
    const todo = normalize(path).split('/').filter(Boolean);
    let hops = 0;
    while (todo.length) {
      const next = join(cur, todo.shift()!);
      const n = this.nodes.get(next);
      if (n && !(n instanceof Uint8Array)) {
        if (++hops > MAX_LINKS) return null;
        todo.unshift(...normalize(n.link.startsWith('/') ? n.link : `${cur}/${n.link}`).split('/').filter(Boolean));
        cur = '/';
        continue;
      }
      if (!n && !this.dirs.has(next)) return null;
      cur = next;
    }
    return cur;
  }

  exists(path: string): boolean {
    return this.realpath(path) !== null;
  }

  isFile(path: string): boolean {
    const r = this.realpath(path);
    return r !== null && this.nodes.get(r) instanceof Uint8Array;
  }

  read(path: string): ByteSource | null {
    const r = this.realpath(path);
    const n = r === null ? undefined : this.nodes.get(r);
    return n instanceof Uint8Array ? new MemorySource(n, normalize(path)) : null;
  }

  list(dir: string): string[] | null {
    const r = this.realpath(dir);
    const s = r === null ? undefined : this.dirs.get(r);
    return s ? [...s].sort() : null;
  }
}
