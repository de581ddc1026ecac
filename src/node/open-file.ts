import { ARCHIVE_SNIFF_BYTES, type ArchiveKind, sniffArchive } from '../archive/detect.js';
import { plausible, sniff } from '../formats/detect.js';
import { FileSource } from './file-source.js';
import { errMessage } from './walk.js';

/** A regular file from the walk, as the walk names it. */
export interface WalkedFile { path: string; fsPath: string | Buffer }

/** What one file on disk is, found by opening it and reading its first bytes. The caller closes `src`. */
export type OpenedFile =
  | { kind: 'binary'; src: FileSource }
  | { kind: 'archive'; arc: ArchiveKind; src: FileSource }
  | { kind: 'skipped' }
  | { kind: 'error'; message: string };

/**
 * Open a file and say what it is. Inside a directory, only what looks like a binary beyond its magic is read: a text
 * file that happens to begin with "MZ" is passed over like any other non-binary (named on the command line, it is
 * an error, which inspecting it reports). The worker threads (pool-job.ts) run the same function.
 */
export function openFile(f: WalkedFile, named: boolean, archives: boolean): OpenedFile {
  let src: FileSource;
  try {
    src = FileSource.open(f.fsPath, f.path);
  } catch (err) {
    return { kind: 'error', message: errMessage(err) };
  }
  try {
    const head = src.read(0, Math.min(src.size, ARCHIVE_SNIFF_BYTES));
    const fmt = sniff(head);
    const arc = fmt === null && archives ? sniffArchive(head) : null;
    if (arc !== null) return { kind: 'archive', arc, src };
    if (named || plausible(src, fmt)) return { kind: 'binary', src };
    src.close();
    return { kind: 'skipped' };
  } catch (err) {
    src.close();
    return { kind: 'error', message: errMessage(err) };
  }
}

