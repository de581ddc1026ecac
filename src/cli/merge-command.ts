import { outcome } from '../plan/evaluate.js';
import { mergeReports, parseVerifyJson } from '../report/merge.js';
import type { VerifyReport } from '../plan/model.js';
import { readFileSync, statSync } from 'node:fs';
import { errMessage } from '../node/walk.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, errorLine } from './output.js';
import { FORMATS, render, type VerifyFormat, type VerifyOptions } from './verify-command.js';

/**
 * `linkplan merge report-*.json`: one report from the JSON reports of matrix jobs or shards, in any format, with
 * verify's exit codes (a report that cannot be read, or a set that does not fit together, exits 2).
 */
export async function runMerge(files: string[], opts: VerifyOptions): Promise<number> {
  const format = (opts.format ?? 'table') as VerifyFormat;
  if (!FORMATS.includes(format)) {
    errorLine(`unknown --format '${opts.format}' for merge (expected ${FORMATS.join(', ')})`);
    return EXIT_ERROR;
  }
  if (opts.asIs && files.length !== 1) { errorLine(`--as-is renders one report, not ${files.length}`); return EXIT_ERROR; }
  const reports: VerifyReport[] = [];
  // The same report twice (an artifact downloaded twice, a glob that names a file two ways) would count its binaries
  // and findings twice. Matrix jobs' reports of one path are not this: another job's dist/app is another binary.
  const texts = new Map<string, string>();
  for (const f of files) {
    let text: string;
    try {
      // Never open a FIFO or a device: a report is a file another job wrote.
      if (!statSync(f).isFile()) { errorLine(`${f}: not a regular file`); return EXIT_ERROR; }
      text = readFileSync(f, 'utf8');
    } catch (e) {
      errorLine(`${f}: cannot read report: ${errMessage(e)}`);
      return EXIT_ERROR;
    }
    const twin = texts.get(text);
    if (twin !== undefined) {
      errorLine(`cannot merge: ${f} is the same report as ${twin} (given twice, or two jobs that checked the same files: merge one)`);
      return EXIT_ERROR;
    }
    texts.set(text, f);
    const r = parseVerifyJson(text);
    if ('error' in r) { errorLine(`${f}: ${r.error}`); return EXIT_ERROR; }
    reports.push(r);
  }
  const shards = reports.flatMap((r) => (r.shard ? [`linkplan/shard-${r.shard.index}-of-${r.shard.count}/`] : []));
  // --as-is (the GitHub Action's outputs, each rendered from the one run): the report as its run rendered it, a shard
  // included, its nothing-checked finding (or its absence) as that run decided.
  if (opts.asIs) {
    const [one] = reports;
    await render(one, format, { ...opts, audit: opts.audit || one.audit, ...(shards.length ? { shards } : {}) });
    return { holds: EXIT_OK, violated: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[outcome(one)];
  }
  const merged = mergeReports(reports, { allowEmpty: opts.allowEmpty });
  if ('error' in merged) { errorLine(`cannot merge: ${merged.error}`); return EXIT_ERROR; }
  for (const e of merged.errors) errorLine(`${e.file}: ${e.message}`);
  await render(merged, format, { ...opts, audit: opts.audit || merged.audit, ...(shards.length ? { shards } : {}) });
  return { holds: EXIT_OK, violated: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[outcome(merged)];
}
