import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';

export type WalkEntry =
  | { kind: 'file'; path: string }
  | { kind: 'symlink'; path: string; target: string; inTree: boolean }
  | { kind: 'error'; path: string; message: string };

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

function errMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return e instanceof Error ? e.message : String(e);
}

/**
 * Regular files under each path, in a stable (sorted) order. Paths named on the command line are followed even
 * when they are symlinks; inside a directory, symlinks are reported, never followed (a link into the tree names a
 * file inspected at its own path; a link out of the tree is not ours to read), and FIFOs, sockets and devices
 * are passed over so nothing ever blocks.
 */
export function* walk(paths: string[]): Generator<WalkEntry> {
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      yield { kind: 'error', path: p, message: errMessage(e) };
      continue;
    }
    if (st.isFile()) yield { kind: 'file', path: p };
    else if (st.isDirectory()) {
      let root: string;
      try { root = realpathSync(p); } catch (e) { yield { kind: 'error', path: p, message: errMessage(e) }; continue; }
      yield* walkDir(p, root);
    } else yield { kind: 'error', path: p, message: 'not a regular file or directory' };
  }
}

function* walkDir(dir: string, root: string): Generator<WalkEntry> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    yield { kind: 'error', path: dir, message: errMessage(e) };
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try { st = lstatSync(p); } catch (e) { yield { kind: 'error', path: p, message: errMessage(e) }; continue; }
    if (st.isSymbolicLink()) {
      let target = '';
      try { target = readlinkSync(p); } catch { /* unreadable link: still reported */ }
      let real: string | null = null;
      try { real = realpathSync(p); } catch { real = null; }
      const abs = resolve(dir, target);
      yield { kind: 'symlink', path: p, target, inTree: real !== null ? inside(root, real) : inside(resolve(root), abs) };
    } else if (st.isDirectory()) yield* walkDir(p, root);
    else if (st.isFile()) yield { kind: 'file', path: p };
  }
}
