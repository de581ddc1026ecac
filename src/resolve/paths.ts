/** POSIX path arithmetic inside a root, lexical only (no Node built-ins in the core). */

// normalize() lives with the facts, which classify install names and search paths by it (facts do not import the resolver).
import { normalize } from '../facts/paths.js';

export { normalize };

export const join = (dir: string, name: string) => normalize(`${dir}/${name}`);

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Is `p` the directory `dir` or inside it? */
export function inside(p: string, dir: string): boolean {
  const d = normalize(dir);
  return d === '/' || p === d || p.startsWith(`${d}/`);
}

/** Symbolic links followed in one path before giving up, as Linux's MAXSYMLINKS. */
export const MAX_LINKS = 40;

/** What a sysroot knows of one path: absent, a symbolic link (with its target), or something else that exists. */
export type Lookup = { kind: 'missing' } | { kind: 'link'; target: string } | { kind: 'present' };

/** Linux's PATH_MAX (limits.h): open(2) fails with ENAMETOOLONG on a longer path, so no loader finds such a file. */
export const PATH_MAX = 4096;

/**
 * A path with every symbolic link resolved, component by component (so a link in a directory's name is followed
 * too), against any sysroot's `lookup`; null when a component is missing, there are more than MAX_LINKS links, or
 * the path grows past PATH_MAX (which also bounds the work: each step looks up a prefix of the path).
 */
export function resolveLinks(path: string, lookup: (p: string) => Lookup): string | null {
  let cur = '/';
  const start = normalize(path);
  if (start.length > PATH_MAX) return null;
  // Reversed, so that taking the next component is a pop, not a shift.
  const todo = start.split('/').filter(Boolean).reverse();
  let hops = 0;
  while (todo.length) {
    // Components come from normalize(): no '', '.' or '..' left, so joining is concatenation.
    const seg = todo.pop()!;
    const next = cur === '/' ? `/${seg}` : `${cur}/${seg}`;
    const l = lookup(next);
    if (l.kind === 'missing') return null;
    if (l.kind === 'link') {
      if (++hops > MAX_LINKS) return null;
      const rest = todo.slice().reverse().join('/');
      const target = normalize(`${l.target.startsWith('/') ? l.target : `${cur}/${l.target}`}/${rest}`);
      if (target.length > PATH_MAX) return null;
      todo.length = 0;
      todo.push(...target.split('/').filter(Boolean).reverse());
      cur = '/';
      continue;
    }
    cur = next;
  }
  return cur;
}
