/**
 * Files, directory trees and archives on disk as one stream of entries (archive/walk.ts Entry): a directory file, a
 * tar member and a zip member look the same to inspect, verify and audit. Archives are recognised by their bytes
 * wherever they are (named, or found in a tree) and read in one pass: zips positionally from the file, everything
 * else as a stream; nothing is extracted.
 */
import { createReadStream } from 'node:fs';
import type { Chunks } from '../archive/chunks.js';
import type { ArchiveKind } from '../archive/detect.js';
import type { Decompressors, Entry } from '../archive/walk.js';
import type { FileSource } from './file-source.js';
import { openFile, type OpenedFile, type WalkedFile } from './open-file.js';
import { errMessage, walk } from './walk.js';

export interface EntryOptions {
  /** The decoders (node:zlib and WASM, or the run's threads). A pool worker reading an archive whole uses its own. */
  decompressors?: Decompressors;
  /** Read archives (default). Off: an archive is a non-binary like any other (the /usr cross-checks). */
  archives?: boolean;
  /** Report progress (bytes of archives read so far). */
  onArchiveBytes?: (n: number) => void;
  /** Small non-binary archive members to keep the bytes of (an archive root's loader configuration). */
  keep?: (name: string) => boolean;
}

/**
 * The members of an archive file (opened by openFile), streamed. The archive readers and the decompressors (node:zlib,
 * node:stream) are loaded when the first archive is found: a run over plain files never pays for them.
 */
export async function* archiveEntries(f: WalkedFile, arc: ArchiveKind, src: FileSource, opts: EntryOptions): AsyncGenerator<Entry> {
  const { walkArchive } = await import('../archive/walk.js');
  const dec = opts.decompressors ?? (await import('./decompress.js')).nodeDecompressors;
  const report = opts.onArchiveBytes;
  const stream = (): Chunks => {
    const s = createReadStream(f.fsPath, { highWaterMark: 1 << 16 }) as unknown as Chunks;
    // Counted as the walker pulls (a 'data' listener would switch the stream to flowing and lose chunks).
    return report ? (async function* () { for await (const c of s) { report(c.length); yield c; } })() : s;
  };
  const input = arc === 'zip' ? { path: f.path, kind: arc, source: src } : { path: f.path, kind: arc, stream, size: src.size };
  yield* walkArchive(input, { decompressors: dec, keep: opts.keep });
}

/** The entries of one file from the walk: itself, or an archive's members; nothing for a skipped non-binary. */
export function fileEntries(f: WalkedFile, named: boolean, opts: EntryOptions): AsyncGenerator<Entry> {
  return openedEntries(f, openFile(f, named, opts.archives !== false), named, opts);
}

/** fileEntries() of a file already opened (a pool worker's archive: pool-archive.ts); closes its source. */
export async function* openedEntries(f: WalkedFile, o: OpenedFile, named: boolean, opts: EntryOptions): AsyncGenerator<Entry> {
  if (o.kind === 'error') { yield { kind: 'error', path: f.path, code: 'io', message: o.message }; return; }
  if (o.kind === 'skipped') { yield { kind: 'skipped', path: f.path }; return; }
  try {
    if (o.kind === 'archive') yield* archiveEntries(f, o.arc, o.src, opts);
    else yield { kind: 'binary', path: f.path, inner: null, source: o.src, named };
  } catch (err) {
    yield { kind: 'error', path: f.path, code: 'io', message: errMessage(err) };
  } finally {
    o.src.close();
  }
}

export async function* entries(paths: string[], opts: EntryOptions = {}): AsyncGenerator<Entry> {
  const named = new Set(paths);
  for (const e of walk(paths)) {
    if (e.kind === 'error') { yield { kind: 'error', path: e.path, code: 'io', message: e.message }; continue; }
    if (e.kind === 'symlink') { yield linkEntry(e); continue; }
    yield* fileEntries(e, named.has(e.path), opts);
  }
}

/** A symlink the walk reported, as an entry. */
export function linkEntry(e: { path: string; target: string; inTree: boolean; broken?: 'dangling' | 'loop' }): Entry {
  return { kind: 'link', path: e.path, target: e.target, link: 'symlink', inTree: e.inTree, ...(e.broken ? { broken: e.broken } : {}) };
}
