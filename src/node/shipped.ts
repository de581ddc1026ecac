/**
 * Inputs on disk (files, trees, archives) fed into the core's ShippedTrees, for resolution over what ships: every
 * binary inspected as it streams by (its facts kept, its bytes not), links and other files by name, and — for an
 * archive given as --root — the few configuration files the loaders read (ld.so.conf and its includes, musl's path file).
 */
import { closeSync, constants, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath, sep } from 'node:path';
import { ARCHIVE_SNIFF_BYTES, isPackage, sniffArchive } from '../archive/detect.js';
import type { Decompressors } from '../archive/walk.js';
import { type ArchiveNote, failed } from '../facts/types.js';
import { inspectSource } from '../inspect.js';
import type { Sysroot } from '../resolve/model.js';
import { type ShippedInput, ShippedTrees, UNPLACED_NAMED } from '../resolve/shipped.js';
import { entries } from './entries.js';
import { DirSysroot } from './sysroot.js';
import { errMessage } from './walk.js';

/** The members of a root archive the loaders read as text: /etc/ld.so.conf, /etc/ld.so.conf.d/*, /etc/ld-musl-*.path. */
export const LOADER_CONFIG = (name: string): boolean =>
  /^(\.\/)?etc\/(ld\.so\.conf|ld\.so\.conf\.d\/[^/]+|ld-musl-[^/]+\.path)$/.test(name);

export interface Fed {
  notes: ArchiveNote[];
}

/** Read input `input` (a path on disk) into `trees`; `keepConfig` for a root archive; `decompressors` (the run's threads). */
export async function feedShipped(trees: ShippedTrees, input: number, path: string, keepConfig = false, decompressors?: Decompressors): Promise<Fed> {
  const notes: ArchiveNote[] = [];
  for await (const e of entries([path], keepConfig ? { keep: LOADER_CONFIG, decompressors } : { decompressors })) {
    switch (e.kind) {
      case 'binary': trees.add(inspectSource(e.source, e.path), e.inner, input); break;
      case 'skipped': trees.shipped(e.path, input, e.bytes); break;
      case 'link': trees.link(e.path, e.target, e.link === 'hardlink', input); break;
      case 'note': notes.push(e.target === undefined ? { path: e.path, code: e.code } : { path: e.path, code: e.code, target: e.target }); break;
      case 'error': trees.add(failed(e.path, null, e.code === 'io' ? 'io' : 'malformed', e.message), null, input); break;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  return { notes };
}

/** The target system's root for a run: a directory, an archive read into memory, or the default. */
export interface Root {
  base: Sysroot;
  /** A directory root's path on this machine (inputs inside it are seen at their path in it); null for an archive. */
  dir: string | null;
  /** How reports name it. */
  label: string;
  /** --root was given. */
  given: boolean;
}

/**
 * What to say on stderr of an archive's members that were not placed (names leaving it) and of its links out of it:
 * one line each for the first UNPLACED_NAMED, then one line counting the rest (a hostile archive may hold millions).
 */
export function placementLines(trees: ShippedTrees, fed: Fed, archive: string,
  say: { unplaced: (path: string) => string; escape: (path: string) => string }): string[] {
  const escapes = fed.notes.filter((n) => n.code === 'link-escapes');
  const lines = trees.unplaced.map(say.unplaced);
  const unsaid = trees.unplacedCount - trees.unplaced.length;
  if (unsaid > 0) lines.push(`${archive}: ${unsaid} more members whose names leave the archive`);
  lines.push(...escapes.slice(0, UNPLACED_NAMED).map((n) => say.escape(n.path)));
  if (escapes.length > UNPLACED_NAMED) lines.push(`${archive}: ${escapes.length - UNPLACED_NAMED} more links out of the archive`);
  return lines;
}

/**
 * `--root DIR|ARCHIVE`, or `dflt` without one. An archive root is read once: the facts of its binaries, its links, the
 * loaders' configuration files; a member whose name leaves the archive is not placed (one line in `lines` each).
 */
export async function openRoot(root: string | undefined, dflt: { base: Sysroot; dir: string | null; label: string }, decompressors?: Decompressors):
  Promise<(Root & { lines: string[] }) | { error: string }> {
  if (root === undefined) return { ...dflt, given: false, lines: [] };
  let st;
  try { st = statSync(root); } catch (e) { return { error: `--root ${root}: ${errMessage(e)}` }; }
  if (st.isDirectory()) return { base: new DirSysroot(root), dir: resolvePath(root), label: root, given: true, lines: [] };
  if (!isArchiveFile(root, st)) return { error: `--root ${root}: neither a directory nor an archive` };
  const trees = new ShippedTrees([{ label: root, at: '/' }]);
  const fed = await feedShipped(trees, 0, root, true, decompressors);
  const broken = trees.held().find((r) => r.error !== null && r.path === root);
  if (broken) return { error: `--root ${broken.path}: ${broken.error!.message}` };
  const lines = placementLines(trees, fed, `--root ${root}`, {
    unplaced: (p) => `--root ${p}: not part of the root (its name leaves the archive)`,
    escape: (p) => `--root ${p}: a link out of the archive, resolved inside it`,
  });
  return { base: trees.tree(0), dir: null, label: root, given: true, lines };
}

/** The first bytes of a file, for sniffArchive: one buffer for every input (shippedInputs asks it of each). */
const head = new Uint8Array(ARCHIVE_SNIFF_BYTES);

/**
 * Is `file` an archive linkplan reads, by its first bytes? An open, a read, a close (thousands of inputs ask), and
 * only of a regular file (a FIFO would block, and a device is never opened), non-blocking should it change since.
 */
function isArchiveFile(file: string, st = statSync(file, { throwIfNoEntry: false })): boolean {
  return archiveKindOf(file, st) !== null;
}

/** The archive kind of a regular file by its first bytes (null: not an archive, or not a readable regular file). */
function archiveKindOf(file: string, st = statSync(file, { throwIfNoEntry: false })): ReturnType<typeof sniffArchive> {
  if (!st?.isFile()) return null;
  let fd: number;
  try { fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK); } catch { return null; }
  try {
    return sniffArchive(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Is this archive a package whose member names are install paths: a .deb (by its bytes), or an Alpine .apk (gzip'd
 * tars named .apk; an Android .apk is a zip)? Its files are then seen at the root's `/` too (ShippedInput.package).
 */
export function isPackageFile(file: string, st = statSync(file, { throwIfNoEntry: false })): boolean {
  const kind = archiveKindOf(file, st);
  return isPackage(kind, file);
}

/**
 * shippedInput() of each input: binaries named one by one from the same directory share that directory's DirSysroot,
 * and with it what it has listed and looked up (an audit of wine's 696 DLLs named one by one listed their directory
 * again for every DLL each imports: 2.4 s of its 5.3).
 */
export function shippedInputs(inputs: readonly string[], root: Pick<Root, 'dir'>): ShippedInput[] {
  const shared: Shared = { disks: new Map() };
  return inputs.map((p) => shippedInput(p, root, shared));
}

/**
 * What shippedInputs' inputs share: each directory's DirSysroot, and the root's own, made once (the links and
 * directories on the way that it has followed are remembered for the next input).
 */
interface Shared { disks: Map<string, DirSysroot>; root?: DirSysroot }

/**
 * Where an input is seen in the root: inside a directory root, at its path there; otherwise at its own absolute path
 * (an archive at `<path>!`). A single binary outside a directory root brings its directory from disk (its neighbours
 * are not in the stream): the one `shared` holds for that directory, when given.
 */
export function shippedInput(input: string, root: Pick<Root, 'dir'>, shared: Shared = { disks: new Map() }): ShippedInput {
  const abs = resolvePath(input);
  const inRoot = (h: string) => {
    if (root.dir === null || root.dir === '/') return h;
    if (h === root.dir) return '/';
    return h.startsWith(root.dir + sep) ? h.slice(root.dir.length) : h;
  };
  // Inside a directory root, the root shows the file's directory, and follows its links as the target's loader would
  // (a library beside the binary that is a link out of the directory: bin/libfoo.so.1 -> ../lib/libfoo.so.1). Else
  // the directory is mounted from disk, confined to it.
  const inside = (h: string) => root.dir !== null && (root.dir === '/' || h === root.dir || h.startsWith(root.dir + sep));
  const diskOf = (dir: string) => {
    if (inside(dir)) return {};
    let disk = shared.disks.get(dir);
    if (!disk) {
      disk = new DirSysroot(dir);
      shared.disks.set(dir, disk);
    }
    return { disk };
  };
  const dir = dirname(abs);
  const file = { label: input, at: inRoot(dir), file: true as const, ...diskOf(dir) };
  // One lstat: a link is then stat'ed for what it leads to (linkLeadsTo follows it as the root does).
  let lst, st;
  try {
    lst = lstatSync(abs);
    st = lst.isSymbolicLink() ? statSync(abs) : lst;
  } catch {
    // Nothing here (a link, or a directory on the way, leading nowhere on this machine), but something in the root (an
    // absolute link under --root): that is the file.
    const link = linkLeadsTo(abs, root, shared);
    return link ? { ...file, foreign: link.real } : { label: input, at: inRoot(abs) };
  }
  if (st.isDirectory()) return { label: input, at: inRoot(abs) };
  const kind = archiveKindOf(abs, st);
  if (kind !== null) {
    const pkg = isPackage(kind, abs);
    return { label: input, at: `${inRoot(abs)}!`, ...(pkg ? { package: true as const } : {}) };
  }
  // Under --root DIR a directory on the way may be a link too (root/lib -> /usr/lib: this machine's /usr/lib), so every
  // input there is followed as the root follows it; under /, only a link (the two views are one).
  const underRoot = root.dir !== null && root.dir !== '/' && inside(abs);
  const link = lst.isSymbolicLink() || underRoot ? linkLeadsTo(abs, root, shared) : null;
  if (link?.foreign) return { ...file, foreign: link.real };
  if (!link || link.real === abs) return file;
  return { ...file, target: { at: inRoot(dirname(link.real)), name: basename(link.real), ...diskOf(dirname(link.real)) } };
}

/**
 * A file input named through a symbolic link (`/usr/bin/awk -> /etc/alternatives/awk`, `libclang-cpp.so.14 ->
 * ../llvm-14/lib/…`), or any under --root DIR: the file it leads to, as the root follows it (an absolute target is
 * the root's path), on this machine's disk, and whether that is another file than the one the pool reads, following
 * it here (`foreign`: or none). Null when it leads nowhere in the root.
 */
function linkLeadsTo(abs: string, root: Pick<Root, 'dir'>, shared: Shared): { real: string; foreign: boolean } | null {
  const here = realOf(abs);
  const rootDir = root.dir;
  if (rootDir === null || !(rootDir === '/' || abs.startsWith(rootDir + sep))) return here === null ? null : { real: here, foreign: false };
  const sys = (shared.root ??= new DirSysroot(rootDir));
  const inRoot = sys.inRoot(abs);
  const real = inRoot === null ? null : sys.realpath(inRoot);
  // Nowhere in the root: left at the link's place, where resolution finds nothing (could not be analysed).
  if (real === null) return null;
  const host = sys.host(real);
  // Compared as real paths: a root named through a link of its own spells the same file another way.
  return { real: host, foreign: realOf(host) !== here };
}

function realOf(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}
