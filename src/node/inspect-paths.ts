import { FileSource } from './file-source.js';
import { errMessage, walk } from './walk.js';
import { inspectSource } from '../inspect.js';
import { plausible, sniff, SNIFF_BYTES } from '../formats/detect.js';
import { failed, type BinaryResult } from '../facts/types.js';
import type { InspectReport } from '../report/model.js';

/**
 * Inspect files and directory trees. A file named on the command line is always reported (a non-binary there is
 * an error: the user asked about it); inside directories, non-binaries are skipped by their first bytes.
 */
export function inspectPaths(paths: string[], onResult?: (r: BinaryResult) => void): InspectReport {
  const report: InspectReport = { binaries: [], symlinks: [], skipped: 0 };
  const named = new Set(paths);
  const push = (r: BinaryResult) => { report.binaries.push(r); onResult?.(r); };
  for (const e of walk(paths)) {
    if (e.kind === 'error') { push(failed(e.path, null, 'io', e.message)); continue; }
    if (e.kind === 'symlink') { report.symlinks.push(e.broken ? { path: e.path, target: e.target, inTree: e.inTree, broken: e.broken } : { path: e.path, target: e.target, inTree: e.inTree }); continue; }
    let src: FileSource;
    try {
      src = FileSource.open(e.fsPath, e.path);
    } catch (err) {
      push(failed(e.path, null, 'io', errMessage(err)));
      continue;
    }
    try {
      // Inside a directory, only what looks like a binary beyond its magic is read: a text file that happens to
      // begin with "MZ" is passed over like any other non-binary (named on the command line, it is an error).
      if (!named.has(e.path) && !plausible(src, sniff(src.read(0, Math.min(src.size, SNIFF_BYTES))))) {
        report.skipped++;
        continue;
      }
      push(inspectSource(src, e.path));
    } catch (err) {
      push(failed(e.path, null, 'io', errMessage(err)));
    } finally {
      src.close();
    }
  }
  return report;
}
