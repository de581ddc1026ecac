import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { inspectPaths } from './files.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, errorLine, version, write } from './output.js';
import { cargoHasPlan, parsePlan, PLAN_FILE_NAMES } from '../plan/load.js';
import { formatPlanError, type Plan } from '../plan/schema.js';
import { evaluate, outcome } from '../plan/evaluate.js';

export interface VerifyOptions {
  plan?: string;
  format?: string;
  strict?: boolean;
  color?: boolean;
  /** Table: list every binary, not only those with findings. */
  all?: boolean;
}

const FORMATS = ['table', 'json', 'sarif', 'junit', 'github'] as const;
type VerifyFormat = (typeof FORMATS)[number];

/** The first linkplan.toml, linkplan.json or Cargo.toml with linkplan metadata in `dir` or a parent. */
export function discoverPlan(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    for (const name of PLAN_FILE_NAMES) {
      const p = join(d, name);
      if (!existsSync(p)) continue;
      if (name === 'Cargo.toml') {
        try { if (!cargoHasPlan(readFileSync(p, 'utf8'))) continue; } catch { continue; }
      }
      return relative(process.cwd(), p) || p;
    }
    if (dirname(d) === d) return null;
  }
}

/** Plans are a few KiB; anything this large is not one (and is not read into memory to find out). */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;

/** Read and parse a plan; on failure print its one line and return null. */
export function readPlan(file: string): Plan | null {
  let text: string;
  try {
    const st = statSync(file);
    if (st.isDirectory()) { errorLine(`${file}: is a directory, not a plan file`); return null; }
    if (st.isFile() && st.size > MAX_PLAN_BYTES) { errorLine(`${file}: ${st.size} bytes is too large for a plan (the limit is ${MAX_PLAN_BYTES / 1024 / 1024} MiB)`); return null; }
    const bytes = readFileSync(file);
    if (bytes.length > MAX_PLAN_BYTES) { errorLine(`${file}: too large for a plan (the limit is ${MAX_PLAN_BYTES / 1024 / 1024} MiB)`); return null; }
    const nul = bytes.indexOf(0);
    if (nul >= 0) { errorLine(`${file}: not a text file (a NUL byte at offset ${nul}): a plan is TOML or JSON`); return null; }
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      errorLine(`${file}: not UTF-8 text: a plan is TOML or JSON, in UTF-8`);
      return null;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    errorLine(`${file}: cannot read plan: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
    return null;
  }
  const r = parsePlan(text, file);
  if ('error' in r) { errorLine(formatPlanError(r.error)); return null; }
  return r.plan;
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
  const file = opts.plan ?? discoverPlan(process.cwd());
  if (file === null) {
    errorLine(`no plan found: looked for ${PLAN_FILE_NAMES.join(', ')} (with [package.metadata.linkplan]) here and in every parent directory; pass --plan FILE`);
    return EXIT_ERROR;
  }
  const plan = readPlan(file);
  if (!plan) return EXIT_ERROR;

  const report = evaluate(plan, inspectPaths(paths).binaries, { strict: opts.strict, matchPath: planRelative(file) });
  for (const e of report.errors) errorLine(`${e.file}: ${e.message}`);
  switch (format) {
    case 'json': write((await import('../report/verify-json.js')).renderVerifyJson(report, version())); break;
    case 'sarif': write((await import('../report/sarif.js')).renderVerifySarif(report, version(), { srcRoot: process.cwd() })); break;
    case 'junit': write((await import('../report/junit.js')).renderVerifyJunit(report)); break;
    case 'github': write((await import('../report/github.js')).renderVerifyGithub(report)); break;
    case 'table': {
      const { renderVerifyTable } = await import('../report/verify-table.js');
      write(renderVerifyTable(report, { all: !!opts.all, width: process.stdout.columns || Number(process.env.COLUMNS) || 120, color: !!process.stdout.isTTY && opts.color !== false && !process.env.NO_COLOR }));
      break;
    }
    default: {
      const never: never = format;
      return never;
    }
  }
  return { holds: EXIT_OK, violated: EXIT_VIOLATED, unanalysable: EXIT_ERROR }[outcome(report)];
}
