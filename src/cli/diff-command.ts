import { statSync } from 'node:fs';
import { normalize } from 'node:path';
import { diffReports, diffOutcome, type DiffReport } from '../diff/index.js';
import { CHANGE_KINDS } from '../plan/enums.js';
import type { BinaryResult } from '../facts/types.js';
import { inspectEntries } from '../inspect.js';
import type { Decompressors } from '../archive/walk.js';
import { entries } from '../node/entries.js';
import { isPackageFile } from '../node/shipped.js';
import { defaultWorkers } from './jobs.js';
import { errMessage, notRegular } from '../node/walk.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, emit, errorLine, version } from './output.js';
import { progress } from './progress.js';
import { discoverPlan, readPlan } from './verify-command.js';

export interface DiffCliOptions {
  strip?: string;
  map?: string[];
  failOn?: string[];
  plan?: string;
  format?: string;
  color?: boolean;
}

export const DIFF_FORMATS = ['table', 'json', 'markdown', 'github'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

/** An input as the walker names its members: `./a/` and `a` are both `a` (so the root strips off its members). */
const asRoot = (p: string) => (p === '' ? p : normalize(p).replace(/(.)\/+$/, '$1'));

/** Why an input cannot be diffed, or null: a missing input is never "no change". */
function inputProblem(p: string): string | null {
  try {
    const st = statSync(p);
    return st.isFile() || st.isDirectory() ? null : notRegular(st);
  } catch (e) {
    return errMessage(e);
  }
}

async function readSide(p: string, bar: ReturnType<typeof progress>, decompressors: Decompressors | undefined): Promise<BinaryResult[]> {
  const out: BinaryResult[] = [];
  await inspectEntries(entries([p], { onArchiveBytes: bar.bytes, decompressors }), { result: (r) => { bar.member(r.path); out.push(r); } });
  return out;
}

/** `diff <old> <new>`: what changed in linkage (exit 0 nothing that counts, 1 changes that count, 2 could not analyse). */
export async function runDiff(oldPath: string, newPath: string, opts: DiffCliOptions): Promise<number> {
  const format = (opts.format ?? 'table') as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) {
    errorLine(`unknown --format '${opts.format}' for diff (expected ${DIFF_FORMATS.join(', ')})`);
    return EXIT_ERROR;
  }
  const strip = opts.strip === undefined ? 0 : Number(opts.strip);
  if (!Number.isInteger(strip) || strip < 0 || !/^\d+$/.test(opts.strip ?? '0')) {
    errorLine(`--strip '${opts.strip}' is not a number of leading path components (expected 0, 1, 2, …)`);
    return EXIT_ERROR;
  }
  const map: [string, string][] = [];
  for (const m of opts.map ?? []) {
    const i = m.indexOf('=');
    if (i <= 0 || i === m.length - 1) { errorLine(`--map '${m}' is not OLD=NEW (paths inside each input, after stripping)`); return EXIT_ERROR; }
    const from = m.slice(0, i).replace(/\/+$/, ''), to = m.slice(i + 1).replace(/\/+$/, '');
    // One old path, two new ones: the first would win unseen.
    const other = map.find(([f, t]) => f === from && t !== to);
    if (other) { errorLine(`--map ${from}=${to}: ${from} is already mapped to ${other[1]}`); return EXIT_ERROR; }
    // Two old paths onto one new one collide, and neither would be applied.
    const into = map.find(([f, t]) => t === to && f !== from);
    if (into) { errorLine(`--map ${from}=${to}: ${to} is already the new path of ${into[0]}`); return EXIT_ERROR; }
    map.push([from, to]);
  }
  let failOn: string[] | null = null;
  if (opts.failOn?.length) {
    failOn = opts.failOn.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    // An empty list would gate on nothing: every change would pass unseen, the gate silently off.
    if (!failOn.length) {
      errorLine(`--fail-on '${opts.failOn.join(',')}' names no change kind (expected regressions or a comma-separated list of kinds)`);
      return EXIT_ERROR;
    }
    const bad = failOn.find((k) => k !== 'regressions' && !(CHANGE_KINDS as readonly string[]).includes(k));
    if (bad !== undefined) {
      errorLine(`--fail-on: unknown change kind '${bad}' (expected regressions or one of ${CHANGE_KINDS.join(', ')})`);
      return EXIT_ERROR;
    }
  }
  // The plan is optional here: only its [diff] table is used, and a plan found by discovery without one is fine.
  const planFile = opts.plan ?? discoverPlan(process.cwd());
  let allow: string[] = [];
  if (planFile !== null) {
    const plan = readPlan(planFile);
    if (!plan) return EXIT_ERROR;
    allow = plan.diff.allow;
  }
  for (const [side, p] of [['old', oldPath], ['new', newPath]] as const) {
    const why = inputProblem(p);
    if (why) { errorLine(`${side} input ${p}: ${why}`); return EXIT_ERROR; }
  }
  const bar = progress();
  // Both builds' facts are held: a pairing needs every file of each side.
  // Two builds' release tarballs: their xz, zstd and bzip2 decoded on a thread of its own, as inspect's default does.
  const workers = defaultWorkers();
  let olds: BinaryResult[], news: BinaryResult[];
  try {
    olds = await readSide(oldPath, bar, workers.decompressors());
    news = await readSide(newPath, bar, workers.decompressors());
  } finally {
    await workers.close();
  }
  bar.clear();
  // A package's files pair by their install paths, so a .deb pairs with the tree dpkg-deb -x makes of it.
  const report = diffReports(olds, news, {
    oldRoot: asRoot(oldPath), newRoot: asRoot(newPath), strip, map, failOn, allow, oldPackage: isPackageFile(oldPath), newPackage: isPackageFile(newPath),
  });
  for (const e of report.errors) errorLine(`${e.side}: ${e.file}: ${e.message}`);
  await render(report, format, opts);
  return { same: EXIT_OK, changed: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[diffOutcome(report)];
}

async function render(report: DiffReport, format: DiffFormat, opts: DiffCliOptions): Promise<void> {
  switch (format) {
    case 'json': await emit((await import('../report/diff-json.js')).renderDiffJson(report, version())); break;
    case 'markdown': await emit((await import('../report/diff-markdown.js')).renderDiffMarkdown(report)); break;
    case 'github': await emit((await import('../report/diff-github.js')).renderDiffGithub(report)); break;
    case 'table': {
      const { renderDiffTable } = await import('../report/diff-table.js');
      const color = !!process.stdout.isTTY && opts.color !== false && !process.env.NO_COLOR;
      await emit(renderDiffTable(report, { width: process.stdout.columns || Number(process.env.COLUMNS) || 120, color }));
      break;
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}
