/** POSIX path arithmetic inside a root, lexical only (no Node built-ins in the core). */

/** `p` made absolute and normalised: `.` and empty segments dropped, `..` applied (never above `/`). */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

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

/**
 * A path with every symbolic link resolved, component by component (so a link in a directory's name is followed
 * too), against any sysroot's `lookup`; null when a component is missing or there are more than MAX_LINKS links.
 */
export function resolveLinks(path: string, lookup: (p: string) => Lookup): string | null {
  let cur = '/';
  const todo = normalize(path).split('/').filter(Boolean);
  let hops = 0;
  while (todo.length) {
    const next = join(cur, todo.shift()!);
    const l = lookup(next);
    if (l.kind === 'missing') return null;
    if (l.kind === 'link') {
      if (++hops > MAX_LINKS) return null;
      todo.unshift(...normalize(l.target.startsWith('/') ? l.target : `${cur}/${l.target}`).split('/').filter(Boolean));
      cur = '/';
      continue;
    }
    cur = next;
  }
  return cur;
}
