import { collectReport } from '../inspect.js';
import type { InspectReport } from '../report/model.js';
import { entries, type EntryOptions } from './entries.js';

/**
 * Inspect files, directory trees and archives into one report. A file named on the command line is always reported
 * (a non-binary there is an error: the user asked about it); inside directories and archives, non-binaries are
 * skipped by their first bytes.
 */
export function inspectPaths(paths: string[], opts: EntryOptions = {}): Promise<InspectReport> {
  return collectReport(entries(paths, opts));
}
