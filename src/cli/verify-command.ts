import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { inspectSource } from '../inspect.js';
import { inspectFiles } from '../node/parallel.js';
import { openRoot, shippedInputs } from '../node/shipped.js';
import { DirSysroot } from '../node/sysroot.js';
import { ShippedTrees } from '../resolve/shipped.js';
import { workersFor } from './jobs.js';
import type { VerifyReport } from '../plan/model.js';
import { progress } from './progress.js';
import { errMessage, notRegular } from '../node/walk.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, emit, errorLine, version } from './output.js';
import { cargoHasPlan, loadPlanLayers, PLAN_FILE_NAMES, type PlanIO } from '../plan/load.js';
import { formatPlanError, type Plan } from '../plan/schema.js';
import { outcome, planResolves, startEvaluation, type EvaluateOptions } from '../plan/evaluate.js';
import { compileGlob } from '../plan/glob.js';
import type { Artifact } from '../plan/schema.js';

export interface VerifyOptions {
  /** audit: the table's verdict line speaks of an audit. */
  audit?: boolean;
  /** --plan FILE (repeatable): the first is the plan, the others layers over it, in order. */
  plan?: string | string[];
  format?: string;
  strict?: boolean;
  color?: boolean;
  /** Table: list every binary, not only those with findings. */
  all?: boolean;
  /** --artifact NAME|GLOB (repeatable): check only these artifacts. */
  artifact?: string[];
  /** --target TRIPLE: check only the artifacts whose `path` globs have the triple as a path segment. */
  target?: string;
  /** --shard i/n: check only the binaries shardOf() puts in shard i. */
  shard?: string;
  allowEmpty?: boolean;
  /** merge: render the one report given as its run did (no merging). */
  asIs?: boolean;
  /** merge: the automationDetails ids of the shards merged (SARIF run properties). */
  shards?: string[];
  /** --root DIR|ARCHIVE: the target system, for the deps.* rules (and audit's unshipped-dependency). */
  root?: string;
  /** --jobs N: threads reading files. */
  jobs?: string;
}

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;
export type VerifyFormat = (typeof FORMATS)[number];

/**
 * The first linkplan.toml, linkplan.json or Cargo.toml with linkplan metadata in `dir` or a parent. A candidate that
 * is there but is not a regular file (a FIFO, a device) or cannot be read is returned as found, so that readPlan()
 * refuses it in one line: it is never opened to find out, and a plan that was meant is never silently passed over.
 */
export function discoverPlan(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    for (const name of PLAN_FILE_NAMES) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      const shown = relative(process.cwd(), p) || p;
      if (name === 'Cargo.toml' && st.isFile()) {
        const r = readPlanText(p);
        if ('text' in r && !cargoHasPlan(r.text)) continue;
      }
      return shown;
    }
    if (dirname(d) === d) return null;
  }
}

/** Plans are a few KiB; anything this large is not one (and is not read into memory to find out). */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;

const MiB = (n: number) => `${n / 1024 / 1024} MiB`;

/**
 * A plan file's text, or why not. What is not a regular file is refused before it is opened (a FIFO would block
 * the run, /dev/zero never ends); the size limit is enforced while reading, so a file that grows, or lies in its
 * stat, still costs at most MAX_PLAN_BYTES + 1 bytes.
 */
export function readPlanText(file: string): { text: string } | { error: string } {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `cannot read plan: ${code === 'ENOENT' ? 'no such file' : errMessage(e)}` };
  }
  if (st.isDirectory()) return { error: 'is a directory, not a plan file' };
  if (!st.isFile()) return { error: notRegular(st) };
  if (st.size > MAX_PLAN_BYTES) return { error: `${st.size} bytes is too large for a plan (the limit is ${MiB(MAX_PLAN_BYTES)})` };
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { error: `cannot read plan: ${errMessage(e)}` };
  }
  let bytes: Uint8Array;
  try {
    const again = fstatSync(fd);
    if (!again.isFile()) return { error: notRegular(again) };
    // Read to the end, but never more than one byte past the limit, whatever the stat said.
    const buf = new Uint8Array(Math.min(MAX_PLAN_BYTES + 1, again.size + 64 * 1024));
    let n = 0;
    let chunk = buf;
    for (;;) {
      if (n === chunk.length) {
        if (chunk.length > MAX_PLAN_BYTES) break;
        const bigger = new Uint8Array(Math.min(MAX_PLAN_BYTES + 1, chunk.length * 2));
        bigger.set(chunk);
        chunk = bigger;
      }
      const k = readSync(fd, chunk, n, chunk.length - n, n);
      if (k === 0) break;
      n += k;
    }
    if (n > MAX_PLAN_BYTES) return { error: `too large for a plan (the limit is ${MiB(MAX_PLAN_BYTES)})` };
    bytes = chunk.subarray(0, n);
  } catch (e) {
    return { error: `cannot read plan: ${errMessage(e)}` };
  } finally {
    closeSync(fd);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { error: `not a text file (a NUL byte at offset ${nul}): a plan is TOML or JSON` };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { error: 'not UTF-8 text: a plan is TOML or JSON, in UTF-8' };
  }
}

/** Plan files read as the user can see them: every layer through readPlanText; `extends` relative to the plan. */
export const PLAN_IO: PlanIO = {
  read: readPlanText,
  resolve: (from, rel) => { const abs = resolve(dirname(from), rel); const r = relative(process.cwd(), abs); return r && !isAbsolute(r) ? r : abs; },
  id: (file) => resolve(file),
};

/** Read and parse a plan and the plans it extends; on failure print every problem, one line each, and return null. */
export function readPlan(file: string): Plan | null {
  return readLayers([{ file }]);
}

function readLayers(inputs: { file: string; source?: string }[]): Plan | null {
  const p = loadPlanLayers(inputs, PLAN_IO);
  // Every problem, one line each: a plan is fixed in one round, not one mistake per run.
  if ('error' in p) { for (const e of p.errors) errorLine(formatPlanError(e)); return null; }
  return p.plan;
}

/** The environment variable whose plan files (a path list) are the top layers. */
export const PLAN_ENV = 'LINKPLAN_PLAN';

/** The plan files of a run, lowest layer first: the plan named (or found), later --plans, then LINKPLAN_PLAN's. */
export function planLayerInputs(named: string | string[] | undefined, required: boolean): { file: string; source?: string }[] | { error: string } | null {
  const list = named === undefined ? [] : Array.isArray(named) ? named : [named];
  const env = (process.env[PLAN_ENV] ?? '').split(delimiter).filter(Boolean).map((f) => ({ file: f, source: `${f} (${PLAN_ENV})` }));
  const first = list.length ? list[0] : discoverPlan(process.cwd());
  if (first === null && !env.length) {
    return required
      ? { error: `no plan found: looked for ${PLAN_FILE_NAMES.join(', ')} (with [package.metadata.linkplan]) here and in every parent directory; `
        + 'pass --plan FILE' }
      : null;
  }
  return [...(first !== null ? [{ file: first }] : []), ...list.slice(1).map((file) => ({ file })), ...env];
}

/** The effective plan of a run's layers (see planLayerInputs), null when none is needed and none is there. */
export function readPlanLayers(named: string | string[] | undefined, required = true): { plan: Plan | null } | { failed: true } {
  const inputs = planLayerInputs(named, required);
  if (inputs === null) return { plan: null };
  if ('error' in inputs) { errorLine(inputs.error); return { failed: true }; }
  const plan = readLayers(inputs);
  return plan ? { plan } : { failed: true };
}

/**
 * Paths as the plan's globs see them: relative to the plan's directory and absolute, "/"-separated. Absolute
 * patterns see the absolute path; relative ones the relative path, or both for a file outside the plan's
 * directory (so "**" covers it, and so does "../dist/*"). See matchesPath.
 */
export function planRelative(planFile: string): (p: string) => string[] {
  const base = dirname(resolve(planFile));
  const posix = (s: string) => s.split(sep).join('/');
  return (p) => {
    const abs = resolve(p);
    const rel = relative(base, abs);
    return rel === '' || isAbsolute(rel) ? [posix(abs)] : [posix(rel), posix(abs)];
  };
}

export async function runVerify(paths: string[], opts: VerifyOptions): Promise<number> {
  const format = (opts.format ?? 'table') as VerifyFormat;
  if (!FORMATS.includes(format)) {
    errorLine(`unknown --format '${opts.format}' for verify (expected ${FORMATS.join(', ')})`);
    return EXIT_ERROR;
  }
  const loaded = readPlanLayers(opts.plan);
  if ('failed' in loaded || !loaded.plan) return EXIT_ERROR;
  const plan = loaded.plan;
  const file = plan.file;

  const sel = selection(plan, opts);
  if ('error' in sel) { errorLine(sel.error); return EXIT_ERROR; }
  const workers = workersFor(opts.jobs);
  if ('error' in workers) { errorLine(workers.error); return EXIT_ERROR; }
  const ev = startEvaluation(plan, { strict: opts.strict, matchPath: planRelative(file), ...sel });
  const bar = progress();
  // Symbols and read-only data are read only for a plan that asks about libraries (they cost far more than headers).
  const libs = plan.artifacts.some((a) => a.expect.libs !== undefined && Object.values(a.expect.libs).some((v) => v !== 'any'));
  try {
    if (planResolves(plan)) {
      // deps.* rules: each input held as a shipped tree (facts, links, names) until it is complete, then resolved.
      const root = await openRoot(opts.root, { base: new DirSysroot('/'), dir: '/', label: '/ of this machine' }, workers.decompressors());
      if ('error' in root) { errorLine(root.error); return EXIT_ERROR; }
      for (const l of root.lines) errorLine(l);
      const trees = new ShippedTrees(shippedInputs(paths, root));
      // One call over every input, so that the pool reads ahead across them (one call per input kept one file in
      // flight); inputDone says when one is complete.
      let i = 0;
      await inspectFiles(paths, {
        result: (r, inner) => { bar.member(r.path); trees.add(r, inner, i); },
        skipped: (s) => trees.shipped(s, i),
        link: (l) => trees.link(l.path, l.target, !!l.hardlink, i),
        note: (n) => ev.note(n),
        inputDone: () => {
          i++;
          // The input is complete: its binaries are resolved and evaluated, and their facts let go of.
          trees.replay({ base: root.base, inspect: inspectSource, rootLabel: root.label }, (r, inner, _i, resolve) => ev.add(r, inner, resolve));
        },
      }, { libs, onArchiveBytes: bar.bytes }, workers);
    } else {
      if (opts.root !== undefined) errorLine(`--root ${opts.root}: the plan has no deps.* rule, so nothing is resolved`);
      await inspectFiles(paths, {
        result: (r, inner) => {
          bar.member(r.path);
          ev.add(r, inner);
        },
        note: (n) => ev.note(n),
      }, { libs, onArchiveBytes: bar.bytes }, workers);
    }
  } finally {
    await workers.close();
  }
  bar.clear();
  const report = ev.finish();
  // Files the plan ignores are not errors: the lines come from the report, after the plan has had its say.
  for (const e of report.errors) errorLine(`${e.file}: ${e.message}`);
  await render(report, format, opts);
  return { holds: EXIT_OK, violated: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[outcome(report)];
}

/**
 * What --artifact, --target, --shard and --allow-empty ask of the evaluation, or the usage error. A selection that
 * picks no artifact is an error (a typo in a matrix would otherwise check nothing, and pass).
 */
export function selection(plan: Plan | null, opts: VerifyOptions): Pick<EvaluateOptions, 'selectArtifact' | 'shard' | 'allowEmpty'> | { error: string } {
  const out: Pick<EvaluateOptions, 'selectArtifact' | 'shard' | 'allowEmpty'> = { allowEmpty: !!opts.allowEmpty };
  if (opts.shard !== undefined) {
    const m = /^(\d{1,4})\/(\d{1,4})$/.exec(opts.shard);
    const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || n < 1 || i < 1 || i > n) return { error: `--shard '${opts.shard}' is not i/n with 1 <= i <= n (e.g. 2/4)` };
    out.shard = { index: i, count: n };
  }
  const names = opts.artifact ?? [];
  if (!names.length && opts.target === undefined) return out;
  if (!plan) return { error: '--artifact and --target select plan artifacts: pass --plan FILE' };
  const tests: { flag: string; test: (a: Artifact) => boolean }[] = names.map((n) => {
    let glob: (s: string) => boolean;
    try { glob = compileGlob(n); } catch { glob = () => false; }
    return { flag: `--artifact '${n}'`, test: (a: Artifact) => a.name === n || glob(a.name) };
  });
  const t = opts.target;
  if (t !== undefined) {
    // An artifact is for a triple when one of its path globs has it as a whole segment.
    // Or, for an artifact with a `target`, when one of its patterns matches the triple.
    const byTarget = (a: Artifact) => (a.targets ?? []).some((p) => { try { return p === t || compileGlob(p)(t); } catch { return false; } });
    tests.push({ flag: `--target '${t}'`, test: (a: Artifact) => a.paths.some((g) => g.split('/').includes(t)) || byTarget(a) });
  }
  for (const x of tests) {
    if (!plan.artifacts.some(x.test)) {
      return { error: `${x.flag} selects no artifact of ${plan.file} (artifacts: ${plan.artifacts.map((a) => a.name).join(', ')})` };
    }
  }
  // --artifact values widen the choice; --target narrows whatever is chosen.
  const byName = tests.filter((x) => x.flag.startsWith('--artifact'));
  const byTarget = tests.filter((x) => x.flag.startsWith('--target'));
  out.selectArtifact = (a) => (!byName.length || byName.some((x) => x.test(a))) && byTarget.every((x) => x.test(a));
  if (!plan.artifacts.some(out.selectArtifact)) return { error: `--artifact and --target together select no artifact of ${plan.file}` };
  return out;
}

/** A verify (or audit) report in the chosen format, on stdout. */
export async function render(report: VerifyReport, format: VerifyFormat, opts: VerifyOptions): Promise<void> {
  const write = emit;
  switch (format) {
    case 'json': await write((await import('../report/verify-json.js')).renderVerifyJson(report, version())); break;
    case 'sarif': {
      const { renderVerifySarif } = await import('../report/sarif.js');
      await write(renderVerifySarif(report, version(), { srcRoot: process.cwd(), shards: opts.shards }));
      break;
    }
    case 'markdown': await write((await import('../report/verify-markdown.js')).renderVerifyMarkdown(report, { audit: !!opts.audit })); break;
    case 'junit': await write((await import('../report/junit.js')).renderVerifyJunit(report, { audit: !!opts.audit })); break;
    case 'github': await write((await import('../report/github.js')).renderVerifyGithub(report)); break;
    case 'table': {
      const { renderVerifyTable } = await import('../report/verify-table.js');
      const color = !!process.stdout.isTTY && opts.color !== false && !process.env.NO_COLOR;
      const width = process.stdout.columns || Number(process.env.COLUMNS) || 120;
      await write(renderVerifyTable(report, { all: !!opts.all, audit: !!opts.audit, width, color }));
      break;
    }
    default: {
      const never: never = format;
      return never;
    }
  }
}
