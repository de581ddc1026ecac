import { entries } from '../node/entries.js';
import { EXIT_ERROR, EXIT_OK, emit, errorLine, version } from './output.js';
import { isFailed, type BinaryResult } from '../facts/types.js';
import { inspectEntries } from '../inspect.js';
import type { ArchiveNote, SymlinkEntry } from '../report/model.js';
import { progress } from './progress.js';
import { terminalWidth, useColor } from './terminal.js';

export interface InspectOptions {
  json?: boolean;
  format?: string;
  long?: boolean;
  libs?: boolean;
  color?: boolean;
}

/** inspect: results are printed as they come (JSON and --long), errors on stderr as they happen. */
export async function runInspect(paths: string[], opts: InspectOptions): Promise<number> {
  const format = opts.json ? 'json' : (opts.format ?? 'table');
  if (format !== 'table' && format !== 'json') {
    errorLine(`unknown --format '${format}' for inspect (expected table or json)`);
    return EXIT_ERROR;
  }
  const symlinks: SymlinkEntry[] = [], notes: ArchiveNote[] = [];
  let skipped = 0, failures = 0;
  const bar = progress();
  const onError = (b: BinaryResult) => {
    if (!isFailed(b)) return;
    failures++;
    bar.clear();
    errorLine(`${b.path}: ${b.error.message}`);
  };
  const read = { libs: opts.libs === true };
  const walk = entries(paths, { onArchiveBytes: bar.bytes });
  const handlers = { link: (l: SymlinkEntry) => symlinks.push(l), note: (n: ArchiveNote) => notes.push(n), skipped: () => { skipped++; } };
  if (format === 'json') {
    const { InspectJson } = await import('../report/json.js');
    const j = new InspectJson(version());
    await emit(j.head());
    await inspectEntries(walk, { ...handlers, result: async (b) => { bar.member(b.path); onError(b); await emit(j.binary(b)); } }, read);
    bar.clear();
    await emit(j.tail({ symlinks, notes, skipped }));
  } else {
    const { InspectTable } = await import('../report/table.js');
    const color = useColor(process.env, process.stdout.isTTY, opts.color);
    const t = new InspectTable({ width: terminalWidth(process.env, process.stdout.columns), long: opts.long, color });
    const { renderLibsBlock } = await import('../report/libs-table.js');
    const width = terminalWidth(process.env, process.stdout.columns);
    await inspectEntries(walk, {
      ...handlers,
      result: async (b) => {
        bar.member(b.path);
        onError(b);
        // --libs: each binary's libraries as it comes (the summary table still follows at the end).
        const s = t.add(b) + (isFailed(b) ? '' : renderLibsBlock(b, width) ?? '');
        if (s) { bar.clear(); await emit(s); }
      },
    }, read);
    bar.clear();
    await emit(t.finish({ symlinks, notes, skipped }));
  }
  return failures ? EXIT_ERROR : EXIT_OK;
}
