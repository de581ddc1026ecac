import { startAudit } from '../audit/run.js';
import { inspectSource } from '../inspect.js';
import { inspectFiles } from '../node/parallel.js';
import { openRoot, shippedInputs } from '../node/shipped.js';
import { MemorySysroot } from '../resolve/memory.js';
import { workersFor } from './jobs.js';
import { outcome } from '../plan/evaluate.js';
import { PLAN_FILE_NAMES } from '../plan/load.js';
import type { Plan } from '../plan/schema.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, emit, errorLine, version } from './output.js';
import { describeFinding } from '../plan/messages.js';
import { progress } from './progress.js';
import { FORMATS, planRelative, readPlanLayers, render, selection, type VerifyFormat, type VerifyOptions } from './verify-command.js';

export interface AuditOptions extends VerifyOptions {
  glibcMax?: string;
}

/**
 * `audit`: release hygiene over archives and trees, no plan needed. With a plan (named, or found as verify finds
 * it) its rules run too, and its `[severity]` table retunes the hygiene rules. Each path given is one input: a
 * dependency counts as shipped when a file of its name is in the same input.
 */
export async function runAudit(paths: string[], opts: AuditOptions): Promise<number> {
  const format = (opts.format ?? 'table') as VerifyFormat | 'cyclonedx';
  if (format !== 'cyclonedx' && !FORMATS.includes(format)) {
    errorLine(`unknown --format '${opts.format}' for audit (expected ${[...FORMATS, 'cyclonedx'].join(', ')})`);
    return EXIT_ERROR;
  }
  // CycloneDX: the BOM of what was audited (binaries, their static and dynamic libraries), findings as properties.
  const bom = format === 'cyclonedx' ? new (await import('../report/cyclonedx.js')).InspectCycloneDx(version()) : null;
  if (opts.glibcMax !== undefined && !/^\d+(\.\d+){0,3}$/.test(opts.glibcMax)) {
    errorLine(`--glibc-max '${opts.glibcMax}' is not a glibc version (expected e.g. 2.28)`);
    return EXIT_ERROR;
  }
  // A plan is optional here: named, found, or LINKPLAN_PLAN's; with one, every layer applies as in verify.
  const loaded = readPlanLayers(opts.plan, false);
  if ('failed' in loaded) return EXIT_ERROR;
  const plan: Plan | null = loaded.plan;
  const file = plan?.file ?? null;
  const sel = selection(plan, opts);
  if ('error' in sel) { errorLine(sel.error); return EXIT_ERROR; }
  const workers = workersFor(opts.jobs);
  if ('error' in workers) { errorLine(workers.error); return EXIT_ERROR; }
  // Dependencies resolve against what ships (+ --root); without a root, nothing but the shipped trees is on disk.
  const root = await openRoot(opts.root, { base: new MemorySysroot(), dir: null, label: 'no root (system libraries by table)' }, workers.decompressors());
  if ('error' in root) { await workers.close(); errorLine(root.error); return EXIT_ERROR; }
  for (const l of root.lines) errorLine(l);
  const run = startAudit(plan, {
    ...sel, checksEvery: true, strict: opts.strict, glibcMax: opts.glibcMax, label: `the hygiene rules (no ${PLAN_FILE_NAMES[0]})`,
    ...(file !== null ? { matchPath: planRelative(file) } : {}),
    resolution: { inputs: shippedInputs(paths, root), base: root.base, root: root.given, inspect: inspectSource, rootLabel: root.label },
  });
  const bar = progress();
  try {
    // One call over every input, so that the pool reads ahead across them (one call per input kept one file in flight);
    // inputDone says when the entries of the next input begin.
    let input = 0;
    await inspectFiles(paths, {
      result: (r, inner) => { bar.member(r.path); run.add(r, inner, input); bom?.add(r); },
      skipped: (s) => run.shipped(s, input),
      link: (l) => run.link(l.path, l.target, !!l.hardlink, input),
      note: (n) => run.note(n),
      inputDone: () => { input++; },
    }, { libs: true, onArchiveBytes: bar.bytes }, workers); // unprefixed-allocator needs the symbols
  } finally {
    await workers.close();
  }
  bar.clear();
  const report = run.finish();
  for (const e of report.errors) errorLine(`${e.file}: ${e.message}`);
  if (bom) {
    for (const f of report.findings) bom.annotate(f.file, f.severity, f.rule, describeFinding(f));
    await emit(bom.finish());
  } else await render(report, format as VerifyFormat, { ...opts, audit: true });
  return { holds: EXIT_OK, violated: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[outcome(report)];
}
