import { type Stats, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';

export type WalkEntry =
  | { kind: 'file'; path: string }
  | { kind: 'symlink'; path: string; target: string; inTree: boolean; broken?: 'dangling' | 'loop' }
  | { kind: 'error'; path: string; message: string };

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'not a directory (a path component, or a trailing slash, names a file)',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
};

/** An errno as one short phrase (no "ENOTDIR: …, stat 'x'" prefix: the caller names the path). */
export function errMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ERRNO[code]) return ERRNO[code];
  return e instanceof Error ? e.message : String(e);
}

/** What a path that is neither a regular file nor a directory is, for the one-line refusal. */
function notRegular(st: Stats): string {
  const kind = st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device'
    : st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : 'not a regular file';
  return `${kind}, not a regular file or directory: not read`;
}

/**
 * Regular files under each path, in a stable (sorted) order. Paths named on the command line are followed even
 * when they are symlinks; inside a directory, symlinks are reported, never followed (a link into the tree names a
 * file inspected at its own path; a link out of the tree is not ours to read), and FIFOs, sockets and devices
 * are passed over so nothing ever blocks. Named on the command line, a FIFO or device is refused, never opened:
 * opening a FIFO blocks until a writer comes, and /dev/zero never ends.
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
    } else yield { kind: 'error', path: p, message: notRegular(st) };
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
      let broken: 'dangling' | 'loop' | undefined;
      try { real = realpathSync(p); } catch (e) { broken = (e as NodeJS.ErrnoException)?.code === 'ELOOP' ? 'loop' : 'dangling'; }
      const abs = resolve(dir, target);
      const inTree = real !== null ? inside(root, real) : inside(resolve(root), abs);
      yield broken ? { kind: 'symlink', path: p, target, inTree, broken } : { kind: 'symlink', path: p, target, inTree };
    } else if (st.isDirectory()) yield* walkDir(p, root);
    else if (st.isFile()) yield { kind: 'file', path: p };
  }
}
