import { type Dirent, type Stats, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { utf8Escaped } from '../bytes/utf8.js';

/**
 * `path` is for people and plans: the name as text, bytes that are not UTF-8 written `\xNN`. `fsPath` opens the
 * file: the exact bytes of every name on the way (a Buffer) once one of them is not UTF-8, else the same string.
 */
export type WalkEntry =
  | { kind: 'file'; path: string; fsPath: string | Buffer }
  | { kind: 'symlink'; path: string; target: string; inTree: boolean; broken?: 'dangling' | 'loop' }
  | { kind: 'error'; path: string; message: string };

const SLASH = Buffer.from('/');

/** Is `p` (a real path, bytes) `root` or inside it? */
const inside = (root: Buffer, p: Buffer) =>
  p.equals(root) || (p.length > root.length && p.subarray(0, root.length).equals(root) && (root.at(-1) === 0x2f || p[root.length] === 0x2f));

/** A child of `dir`: a string path while every name is UTF-8, the bytes once one is not. */
function child(dir: string | Buffer, name: Buffer): string | Buffer {
  const text = utf8Escaped(name);
  if (typeof dir === 'string' && Buffer.from(text).equals(name)) return join(dir, text);
  const d = typeof dir === 'string' ? Buffer.from(dir) : dir;
  return Buffer.concat(d.at(-1) === 0x2f ? [d, name] : [d, SLASH, name]);
}

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
export function notRegular(st: Stats): string {
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
    if (st.isFile()) yield { kind: 'file', path: p, fsPath: p };
    else if (st.isDirectory()) {
      let root: Buffer;
      try { root = realpathSync(p, { encoding: 'buffer' }); } catch (e) { yield { kind: 'error', path: p, message: errMessage(e) }; continue; }
      yield* walkDir(p, p, root);
    } else yield { kind: 'error', path: p, message: notRegular(st) };
  }
}

/**
 * One directory, by the bytes of its names (readdir as Buffers): a name that is not UTF-8 is still opened, and a
 * directory so named is still entered. Sorted by the shown name, so the order does not depend on the file system.
 */
function* walkDir(dir: string | Buffer, shown: string, root: Buffer): Generator<WalkEntry> {
  // With their types (d_type): a regular file or a directory needs no lstat of its own, only links and the rest do.
  let names: { raw: Buffer; text: string; d: Dirent<Buffer> }[];
  try {
    names = readdirSync(dir, { encoding: 'buffer', withFileTypes: true }).map((d) => ({ raw: d.name, text: utf8Escaped(d.name), d }));
  } catch (e) {
    yield { kind: 'error', path: shown, message: errMessage(e) };
    return;
  }
  names.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : Buffer.compare(a.raw, b.raw)));
  for (const { raw, text, d } of names) {
    const p = child(dir, raw);
    const path = join(shown, text);
    let st: Stats | Dirent<Buffer> = d;
    if (!d.isFile() && !d.isDirectory()) {
      try { st = lstatSync(p); } catch (e) { yield { kind: 'error', path, message: errMessage(e) }; continue; }
    }
    if (st.isSymbolicLink()) {
      let target = Buffer.alloc(0);
      try { target = readlinkSync(p, { encoding: 'buffer' }); } catch { /* unreadable link: still reported */ }
      let real: Buffer | null = null;
      let broken: 'dangling' | 'loop' | undefined;
      try { real = realpathSync(p, { encoding: 'buffer' }); } catch (e) { broken = (e as NodeJS.ErrnoException)?.code === 'ELOOP' ? 'loop' : 'dangling'; }
      // A broken link has no real path: where it points, resolved as text, says whether that is inside the tree.
      const inTree = real !== null ? inside(root, real) : inside(root, Buffer.from(resolve(shownDir(dir), utf8Escaped(target))));
      const shownTarget = utf8Escaped(target);
      yield broken ? { kind: 'symlink', path, target: shownTarget, inTree, broken } : { kind: 'symlink', path, target: shownTarget, inTree };
    } else if (st.isDirectory()) yield* walkDir(p, path, root);
    else if (st.isFile()) yield { kind: 'file', path, fsPath: p };
  }
}

const shownDir = (dir: string | Buffer) => resolve(typeof dir === 'string' ? dir : utf8Escaped(dir));
