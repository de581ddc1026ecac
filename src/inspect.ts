import type { ByteSource } from './bytes/source.js';
import { isMalformed } from './bytes/errors.js';
import { SNIFF_BYTES, describeNonBinary, sniff } from './formats/detect.js';
import { readers, type ReadOptions } from './registry.js';
import { type BinaryResult, type Format, failed } from './facts/types.js';
import type { Entry } from './archive/walk.js';
import type { ArchiveNote, InspectReport, SymlinkEntry } from './report/model.js';

const formatOf = (k: string): Format => (k === 'macho-fat' ? 'macho' : (k as Format));

/** Is this source a binary we read? Cheap: looks at the first bytes only. */
export function isBinary(src: ByteSource): boolean {
  return sniff(src.read(0, Math.min(src.size, SNIFF_BYTES))) !== null;
}

/**
 * Facts for one binary. Never throws on bad input: a malformed file becomes a result with `error` set. Anything
 * else escaping a reader is a linkplan bug; it is reported the same way (code `internal`) rather than crashing
 * a run over thousands of files, and the mutation tests make sure none escapes.
 */
export function inspectSource(src: ByteSource, path: string, opts?: ReadOptions): BinaryResult {
  const head = src.read(0, Math.min(src.size, SNIFF_BYTES));
  const kind = sniff(head);
  if (kind === null) return failed(path, null, 'not-a-binary', describeNonBinary(head));
  try {
    return readers[kind](src, path, opts);
  } catch (e) {
    if (isMalformed(e)) return failed(path, formatOf(kind), 'malformed', e.reason, e.offset);
    return failed(path, formatOf(kind), 'internal', `internal error while reading (${e instanceof Error ? e.message : String(e)}); please report it`);
  }
}

/** What a stream of entries turns into, one call per entry, as it is read (nothing is held here). */
export interface InspectHandlers {
  /** `inner`: the path inside the innermost archive, for plan globs (null for a file on disk). */
  result(r: BinaryResult, inner: string | null): void | Promise<void>;
  link?(l: SymlinkEntry): void;
  note?(n: ArchiveNote): void;
  skipped?(path: string): void;
}

/** Inspect entries (files, directory members, archive members) as they come. */
export async function inspectEntries(entries: AsyncIterable<Entry>, h: InspectHandlers, opts?: ReadOptions): Promise<void> {
  for await (const e of entries) await inspectEntry(e, h, opts);
}

/** One entry of inspectEntries (the Node edge's worker pool hands the entries it does not read itself here). */
export async function inspectEntry(e: Entry, h: InspectHandlers, opts?: ReadOptions): Promise<void> {
  switch (e.kind) {
    case 'binary': await h.result(inspectSource(e.source, e.path, opts), e.inner); break;
    case 'skipped': h.skipped?.(e.path); break;
    case 'link': {
      const l: SymlinkEntry = { path: e.path, target: e.target, inTree: e.inTree };
      if (e.broken) l.broken = e.broken;
      if (e.link === 'hardlink') l.hardlink = true;
      h.link?.(l);
      break;
    }
    case 'note': h.note?.(e.target === undefined ? { path: e.path, code: e.code } : { path: e.path, code: e.code, target: e.target }); break;
    case 'error': await h.result(failed(e.path, null, e.code === 'io' ? 'io' : 'malformed', e.message), null); break;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Every entry's result in one report (the library's simple form; the CLI streams instead). */
export async function collectReport(entries: AsyncIterable<Entry>): Promise<InspectReport> {
  const report: InspectReport = { binaries: [], symlinks: [], notes: [], skipped: 0 };
  await inspectEntries(entries, {
    result: (r) => { report.binaries.push(r); },
    link: (l) => report.symlinks.push(l),
    note: (n) => report.notes.push(n),
    skipped: () => { report.skipped++; },
  });
  return report;
}
