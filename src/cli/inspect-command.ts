import { EXIT_ERROR, EXIT_OK, bufferedOutput, errorLine, version } from './output.js';
import { isFailed, type BinaryResult } from '../facts/types.js';
import { inspectFiles, type Workers } from '../node/parallel.js';
import { workersFor } from './jobs.js';
import type { ArchiveNote, SymlinkEntry } from '../report/model.js';
import { progress } from './progress.js';
import { terminalWidth, useColor } from './terminal.js';

export interface InspectOptions {
  json?: boolean;
  format?: string;
  long?: boolean;
  libs?: boolean;
  color?: boolean;
  jobs?: string;
}

/** inspect: results are printed as they come (JSON and --long), errors on stderr as they happen. */
export async function runInspect(paths: string[], opts: InspectOptions): Promise<number> {
  const format = opts.json ? 'json' : (opts.format ?? 'table');
  if (format !== 'table' && format !== 'json' && format !== 'cyclonedx') {
    errorLine(`unknown --format '${format}' for inspect (expected table, json or cyclonedx)`);
    return EXIT_ERROR;
  }
  const workers = workersFor(opts.jobs);
  if ('error' in workers) { errorLine(workers.error); return EXIT_ERROR; }
  try {
    return await inspect(paths, format, opts, workers);
  } finally {
    await workers.close();
  }
}

async function inspect(paths: string[], format: 'table' | 'json' | 'cyclonedx', opts: InspectOptions, workers: Workers): Promise<number> {
  const symlinks: SymlinkEntry[] = [], notes: ArchiveNote[] = [];
  let skipped = 0, failures = 0;
  const bar = progress();
  const out = bufferedOutput();
  const emit = out.write;
  const onFailure = (path: string, message: string | null) => {
    if (message === null) return;
    failures++;
    bar.clear();
    errorLine(`${path}: ${message}`);
  };
  const onError = (b: BinaryResult) => onFailure(b.path, isFailed(b) ? b.error.message : null);
  // A BOM is about what is inside: cyclonedx always looks for libraries.
  const read = { libs: opts.libs === true || format === 'cyclonedx', onArchiveBytes: bar.bytes };
  const handlers = { link: (l: SymlinkEntry) => symlinks.push(l), note: (n: ArchiveNote) => notes.push(n), skipped: () => { skipped++; } };
  if (format === 'cyclonedx') {
    const { InspectCycloneDx } = await import('../report/cyclonedx.js');
    const c = new InspectCycloneDx(version());
    await inspectFiles(paths, { ...handlers, result: (b) => { bar.member(b.path); onError(b); c.add(b); } }, read, workers);
    bar.clear();
    await emit(c.finish());
  } else if (format === 'json') {
    const { InspectJson } = await import('../report/json.js');
    const j = new InspectJson(version());
    await emit(j.head());
    await inspectFiles(paths, {
      ...handlers,
      result: (b) => { bar.member(b.path); onError(b); return emit(j.binary(b)); },
      json: (text, path, failure) => { bar.member(path); onFailure(path, failure); return emit(j.rendered(text)); },
    }, read, workers);
    bar.clear();
    await emit(j.tail({ symlinks, notes, skipped }));
  } else {
    const { InspectTable } = await import('../report/table.js');
    const color = useColor(process.env, process.stdout.isTTY, opts.color);
    const t = new InspectTable({ width: terminalWidth(process.env, process.stdout.columns), long: opts.long, color });
    const { renderLibsBlock } = await import('../report/libs-table.js');
    const width = terminalWidth(process.env, process.stdout.columns);
    await inspectFiles(paths, {
      ...handlers,
      result: async (b) => {
        bar.member(b.path);
        onError(b);
        // --libs: each binary's libraries as it comes (the summary table still follows at the end).
        const s = t.add(b) + (isFailed(b) ? '' : renderLibsBlock(b, width) ?? '');
        if (s) { bar.clear(); await emit(s); }
      },
    }, read, workers);
    bar.clear();
    await emit(t.finish({ symlinks, notes, skipped }));
  }
  await out.end();
  return failures ? EXIT_ERROR : EXIT_OK;
}
