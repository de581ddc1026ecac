import { checkedCount, outcome } from '../plan/evaluate.js';
import { describeFinding, MESSAGES, relatedNote, setByNote } from '../plan/messages.js';
import type { Finding, VerifyReport } from '../plan/model.js';
import { renderGrid } from './grid.js';
import { capList, charWidth, count, displayWidth, visible } from './text.js';
import { groupBy } from './group.js';

export interface VerifyTableOptions {
  width?: number;
  color?: boolean;
  /**
   * List every binary. By default only binaries with findings get a row and the ones that hold are counted in one
   * line, so a CI log over hundreds of binaries shows what is wrong (JSON, SARIF and JUnit always list everything).
   */
  all?: boolean;
  /** `audit`: the verdict line speaks of an audit, not a plan. */
  audit?: boolean;
}

const paint = (on: boolean | undefined, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
/** The result column's leading marks in colour: ✗ red, ! yellow, ✓ green. */
const marks = (l: string) => l.replace(/^(✗|!|✓)( |$)/, (_, m: string, sp: string) => paint(true, m === '✗' ? 31 : m === '!' ? 33 : 32, m) + sp);

/**
 * `p` in at most `width` columns, cut in the middle rather than at the end, so the file name survives: the longest
 * tail of whole segments that fits, after as much of the head as fits and "…/"; a name too long on its own keeps
 * its start and its end ("swc-core-win…msvc.node").
 * Private until text.ts exports the same shortenPath(p, width) (another branch adds it there): unify at merge.
 */
export function shortenPath(p: string, width: number): string {
  if (displayWidth(p) <= width) return p;
  if (width <= 1) return '…';
  const segs = p.split('/');
  let tail = segs[segs.length - 1];
  if (displayWidth(tail) + 1 >= width) return `${head(tail, Math.ceil((width - 1) / 2))}…${end(tail, Math.floor((width - 1) / 2))}`;
  // Whole trailing segments while they fit beside "…/" and at least a few characters of the head.
  for (let i = segs.length - 2; i > 0; i--) {
    const next = `${segs[i]}/${tail}`;
    if (displayWidth(next) + 2 + Math.min(4, displayWidth(segs[0])) > width) break;
    tail = next;
  }
  return `${head(p, width - 2 - displayWidth(tail))}…/${tail}`;
}

/** The longest start (end) of `s` within `w` columns. */
function head(s: string, w: number): string {
  let out = '', n = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (n + cw > w) break;
    out += ch; n += cw;
  }
  return out;
}
function end(s: string, w: number): string {
  const chars = [...s];
  let out = '', n = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = charWidth(chars[i].codePointAt(0)!);
    if (n + cw > w) break;
    out = chars[i] + out; n += cw;
  }
  return out;
}

/**
 * `verify` for people: one row per binary with findings (with `all`, per binary: its artifacts and either "ok" or
 * one line per finding), a line counting the binaries that hold, then the plan-level findings, the files that could
 * not be analysed, and a one-line verdict.
 */
export function renderVerifyTable(r: VerifyReport, opts: VerifyTableOptions = {}): string {
  const c = opts.color;
  const width = Math.max(60, opts.width ?? 120);
  // One cause, one line: a finding that shares its cause is named on its primary's line (docs/plan.md).
  const related = groupBy(r.findings, (f) => (f.primary === undefined ? undefined : r.findings[f.primary]));
  const planLevel = (f: Finding) => f.rule === 'artifact-missing' || f.rule === 'archive-member' || f.rule === 'nothing-checked';
  const byFile = groupBy(r.findings, (f) => (planLevel(f) || (f.primary !== undefined && r.findings[f.primary]) ? undefined : f.file));
  const line = (f: Finding) =>
    `${f.severity === 'error' ? '✗' : '!'} ${f.rule}${f.slices ? ` [${f.slices.join(', ')}]` : ''}: ${describeFinding(f)}` +
    `${related.has(f) ? ` ${relatedNote(related.get(f)!)}` : ''}${setByNote(f, r.plan.file)}`;

  const analysed = r.binaries.filter((b) => b.status !== 'error');
  const shown = opts.all ? analysed : analysed.filter((b) => byFile.has(b.file));
  const quiet = analysed.length - shown.length;
  const rows = shown.map((b) => {
    const fs = byFile.get(b.file) ?? [];
    const result = fs.length ? capList(fs, line, 20, 2000) : b.status === 'unmatched' ? '· not in the plan (ignored)' : '✓ ok';
    return [visible(b.file), b.artifacts.length ? capList(b.artifacts) : ['—'], result] as const;
  });
  const out: string[] = [];
  if (rows.length) {
    let fileW = 6, artW = 8;
    for (const [file, arts] of rows) {
      fileW = Math.max(fileW, displayWidth(visible(file)));
      for (const l of arts) artW = Math.max(artW, displayWidth(l));
    }
    fileW = Math.min(fileW + 2, Math.floor(width * 0.35));
    artW = Math.min(artW + 2, Math.floor(width * 0.2));
    const resW = Math.max(20, width - fileW - artW - 4);
    // Paths and artifact names are cut in the middle, not wrapped or cut at the end: the file name is what matters.
    const cells = rows.map(([file, arts, res]) => [shortenPath(file, fileW - 2), arts.map((a) => shortenPath(a, artW - 2)), res]);
    out.push(renderGrid({ head: ['binary', 'artifact', 'result'], rows: cells, widths: [fileW, artW, resW], wrap: 'word', color: c, paintLine: marks }));
  }
  if (quiet) {
    const planned = analysed.filter((b) => !byFile.has(b.file) && b.status !== 'unmatched').length;
    const more = shown.length ? ' more' : '';
    const parts = [
      planned ? `${planned}${more} ${planned === 1 ? 'binary' : 'binaries'} ` +
        (opts.audit ? `pass${planned === 1 ? 'es' : ''} the audit` : `hold${planned === 1 ? 's' : ''} the plan`) : '',
      quiet - planned ? `${quiet - planned}${planned ? '' : more} not in the plan (ignored)` : '',
    ].filter(Boolean);
    out.push(`${planned ? paint(c, 32, '✓') : '·'} ${parts.join('; ')} (--all lists every binary)`);
  }
  for (const f of r.findings.filter(planLevel)) {
    const severity = f.severity === 'error' ? 'error' : 'warning';
    out.push(`${severity}: ${visible(f.file)}: ${MESSAGES[f.rule].title}: ${visible(describeFinding(f), 2000)}${setByNote(f, r.plan.file)}`);
  }
  for (const e of r.errors) out.push(`error: ${visible(e.file)}: could not be analysed: ${visible(e.message, 2000)}`);
  const s = r.summary;
  const [ok, bad] = opts.audit ? ['audit passed', 'audit failed'] : ['plan holds', 'plan violated'];
  const verdict = { holds: paint(c, 32, ok), violated: paint(c, 31, bad), unanalysable: paint(c, 31, 'could not analyse every file') }[outcome(r)];
  out.push(
    `${verdict}: ${count(checkedCount(r), 'binary', 'binaries')} checked against ${visible(r.plan.file)}${r.strict ? ' (strict)' : ''}: ` +
      `${s.passed} passed, ${s.failed} failed${s.unmatched ? `, ${s.unmatched} not in the plan` : ''}; ` +
      `${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}` +
      `${s.unanalysable ? `; ${s.unanalysable} could not be analysed` : ''}`,
  );
  return out.join('\n') + '\n';
}
