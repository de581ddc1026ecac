/** A Sysroot held in memory: tests, the browser, and archive members read into memory. */
import { type ByteSource, MemorySource } from '../bytes/source.js';
import type { BinaryResult } from '../facts/types.js';
import type { Sysroot } from './model.js';
import { dirname, normalize, resolveLinks, type Lookup } from './paths.js';

/**
 * A file's bytes, a symbolic link's target (absolute, or relative to the link's directory), or the facts of a binary
 * read earlier (an archive member: its facts are a few hundred bytes, its bytes may be megabytes).
 */
export type MemoryNode = Uint8Array | { link: string } | { facts: BinaryResult };

const isLink = (n: MemoryNode | undefined): n is { link: string } => n !== undefined && 'link' in n;

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
    return resolveLinks(path, (p): Lookup => {
      const n = this.nodes.get(p);
      if (isLink(n)) return { kind: 'link', target: n.link };
      return n || this.dirs.has(p) ? { kind: 'present' } : { kind: 'missing' };
    });
  }

  exists(path: string): boolean {
    return this.realpath(path) !== null;
  }

  isFile(path: string): boolean {
    const r = this.realpath(path);
    const n = r === null ? undefined : this.nodes.get(r);
    return n !== undefined && !isLink(n);
  }

  facts(path: string): BinaryResult | undefined {
    const r = this.realpath(path);
    const n = r === null ? undefined : this.nodes.get(r);
    return n !== undefined && 'facts' in n ? n.facts : undefined;
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
