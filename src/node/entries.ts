/**
 * Files, directory trees and archives on disk as one stream of entries (archive/walk.ts Entry): a directory file, a
 * tar member and a zip member look the same to inspect, verify and audit. Archives are recognised by their bytes
 * wherever they are (named, or found in a tree) and read in one pass: zips positionally from the file, everything
 * else as a stream; nothing is extracted.
 */
import { createReadStream } from 'node:fs';
import type { Chunks } from '../archive/chunks.js';
import { ARCHIVE_SNIFF_BYTES, sniffArchive } from '../archive/detect.js';
import { type Decompressors, type Entry, walkArchive } from '../archive/walk.js';
import { plausible, sniff } from '../formats/detect.js';
import { nodeDecompressors } from './decompress.js';
import { FileSource } from './file-source.js';
import { errMessage, walk } from './walk.js';

export interface EntryOptions {
  decompressors?: Decompressors;
  /** Read archives (default). Off: an archive is a non-binary like any other (the /usr cross-checks). */
  archives?: boolean;
  /** Report progress (bytes of archives read so far). */
  onArchiveBytes?: (n: number) => void;
  /** Non-binary archive members whose bytes to keep (WalkOptions.keep). */
  keep?: (name: string) => boolean;
}

export async function* entries(paths: string[], opts: EntryOptions = {}): AsyncGenerator<Entry> {
  const named = new Set(paths);
  const dec = opts.decompressors ?? nodeDecompressors;
  for (const e of walk(paths)) {
    if (e.kind === 'error') { yield { kind: 'error', path: e.path, code: 'io', message: e.message }; continue; }
    if (e.kind === 'symlink') {
      yield { kind: 'link', path: e.path, target: e.target, link: 'symlink', inTree: e.inTree, ...(e.broken ? { broken: e.broken } : {}) };
      continue;
    }
    let src: FileSource;
    try {
      src = FileSource.open(e.fsPath, e.path);
    } catch (err) {
      yield { kind: 'error', path: e.path, code: 'io', message: errMessage(err) };
      continue;
    }
    try {
      const head = src.read(0, Math.min(src.size, ARCHIVE_SNIFF_BYTES));
      const fmt = sniff(head);
      const arc = fmt === null && opts.archives !== false ? sniffArchive(head) : null;
      if (arc !== null) {
        const fsPath = e.fsPath;
        const report = opts.onArchiveBytes;
        const stream = (): Chunks => {
          const s = createReadStream(fsPath, { highWaterMark: 1 << 16 }) as unknown as Chunks;
          // Counted as the walker pulls (a 'data' listener would switch the stream to flowing and lose chunks).
          return report ? (async function* () { for await (const c of s) { report(c.length); yield c; } })() : s;
        };
        const input = arc === 'zip' ? { path: e.path, kind: arc, source: src } : { path: e.path, kind: arc, stream };
        yield* walkArchive(input, { decompressors: dec, keep: opts.keep });
        continue;
      }
      // Inside a directory, only what looks like a binary beyond its magic is read: a text file that happens to
      // begin with "MZ" is passed over like any other non-binary (named on the command line, it is an error).
      if (named.has(e.path) || plausible(src, fmt)) yield { kind: 'binary', path: e.path, inner: null, source: src, named: named.has(e.path) };
      else yield { kind: 'skipped', path: e.path };
    } catch (err) {
      yield { kind: 'error', path: e.path, code: 'io', message: errMessage(err) };
    } finally {
      src.close();
    }
  }
}
