/** A Sysroot held in memory: tests, the browser, and archive members read into memory. */
import { type ByteSource, MemorySource } from '../bytes/source.js';
import type { BinaryResult } from '../facts/types.js';
import type { Sysroot } from './model.js';
import { normalize, resolveLinks, type Lookup } from './paths.js';

/**
 * A file's bytes, a symbolic link's target (absolute, or relative to the link's directory), or the facts of a binary
 * read earlier (an archive member: its facts are a few hundred bytes, its bytes may be megabytes).
 */
export type MemoryNode = Uint8Array | { link: string } | { facts: BinaryResult };

const isLink = (n: MemoryNode | undefined): n is { link: string } => n !== undefined && 'link' in n;

export class MemorySysroot implements Sysroot {
  private readonly nodes = new Map<string, MemoryNode>();
  private readonly dirs = new Map<string, Set<string>>();
  private readonly sorted = new Map<string, string[]>();

  constructor(files: Record<string, MemoryNode> = {}) {
    for (const [p, n] of Object.entries(files)) this.add(p, n);
  }

  add(path: string, node: MemoryNode): this {
    const p = normalize(path);
    this.nodes.set(p, node);
    // Parents lexically on the normalised path, stopping at the first one that already lists its child: linear in the
    // name (a member named a/a/…/a of 32,000 levels re-normalised per level was quadratic), and once per directory.
    for (let c = p; c !== '/';) {
      const i = c.lastIndexOf('/');
      const d = i <= 0 ? '/' : c.slice(0, i);
      let s = this.dirs.get(d);
      if (!s) this.dirs.set(d, (s = new Set()));
      const name = c.slice(i + 1);
      if (s.has(name)) break;
      s.add(name);
      this.sorted.delete(d);
      c = d;
    }
    return this;
  }

  realpath(path: string): string | null {
    return resolveLinks(path, (p) => this.lookup(p));
  }

  /** What is at `p` itself, a link not followed (OverlaySysroot walks a package over the system with it). */
  lookup(p: string): Lookup {
    const n = this.nodes.get(p);
    if (isLink(n)) return { kind: 'link', target: n.link };
    return n || this.dirs.has(p) ? { kind: 'present' } : { kind: 'missing' };
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

  /** The names in `dir`, sorted; the same array until the directory changes (a loader lists it once per DLL). */
  list(dir: string): readonly string[] | null {
    const r = this.realpath(dir);
    const s = r === null ? undefined : this.dirs.get(r);
    if (!s) return null;
    let l = this.sorted.get(r!);
    if (!l) this.sorted.set(r!, (l = [...s].sort()));
    return l;
  }
}
