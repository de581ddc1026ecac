import type { BinaryFacts, BinaryResult } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import type { InspectReport, RenderOptions } from './model.js';
import { detailRows } from './details.js';
import { ARCHIVE_NOTES } from '../plan/messages.js';
import { renderGrid, type Cell } from './grid.js';
import { CELL_MAX_ITEMS, capList, displayWidth, visible } from './text.js';

const list = (xs: readonly string[]): Cell => (xs.length ? capList(xs) : '—');
const yn = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : 'no');

const HEAD = ['file', 'arch', 'type', 'linkage', 'libc / CRT', 'PIE', 'interpreter', 'needed', 'search paths'];
/** Columns that may wrap when the terminal is narrow, and the least width each keeps. */
const FLEX: Record<number, number> = { 0: 16, 6: 12, 7: 14, 8: 14 };

function summaryCells(b: BinaryFacts): Cell[] {
  const paths = [...b.rpath.map((p) => `RPATH ${p}`), ...b.runpath.map((p) => `RUNPATH ${p}`)];
  // PE: the CRT verdict says more than the libc family (msvc-static vs msvc-hybrid are both "ucrt or nothing").
  const libc = b.format === 'pe' ? b.crt : b.libc;
  return [b.path, b.arch, b.type, b.linkage ?? '—', libc, yn(b.pie), b.interpreter ?? '—', list(b.needed), list(paths)];
}

/** Column widths that fit `width`, shrinking only the wrappable columns; null when even that does not fit. */
function fit(cells: Cell[][], width: number): number[] | null {
  const natural = HEAD.map((h) => h.length);
  for (const row of cells) {
    row.forEach((c, i) => { for (const line of typeof c === 'string' ? [c] : c) natural[i] = Math.max(natural[i], displayWidth(visible(line))); });
  }
  const w = natural.map((n) => n + 2);
  const total = () => w.reduce((a, b) => a + b, 0) + w.length + 1;
  while (total() > width) {
    let widest = -1;
    for (const k of Object.keys(FLEX).map(Number)) if (w[k] > FLEX[k] + 2 && (widest < 0 || w[k] > w[widest])) widest = k;
    if (widest < 0) return null;
    w[widest]--;
  }
  return w;
}

/** What the summary table keeps of one binary: its cells, its short details and warnings, never its facts. */
interface Row { path: string; cells: Cell[]; details: [string, Cell][]; warnings: string[] }

/**
 * inspect as a table, fed one result at a time: one row per binary, wrapping long cells to fit the terminal
 * (arethetypeswrong's `auto` orientation); when even that does not fit, or with `long`, one key/value block per
 * binary with the format-specific details. `long` blocks are printed as each binary comes (a 2 GB tarball shows
 * its first member at once); the summary table needs every row's width, so it keeps the rows' capped cells (not the
 * facts) until the end.
 */
export class InspectTable {
  private readonly rows: Row[] = [];
  private ok = 0;
  private bad = 0;
  constructor(private readonly opts: RenderOptions & { long?: boolean } = {}) {}

  private block(path: string, cells: Cell[], details: [string, Cell][]): string {
    const rows: Cell[][] = HEAD.slice(1).map((h, i) => [h, cells[i + 1]]);
    for (const [k, v] of details) rows.push([k, v]);
    return `${visible(path)}\n${renderGrid({ rows, compact: true, color: this.opts.color })}\n`;
  }

  private warnings(b: BinaryFacts): string[] {
    return capList(b.warnings, (x) => x.detail, CELL_MAX_ITEMS, 1000).map((w) => `warning: ${visible(b.path)}: ${w}`);
  }

  /** Text to print now for this result (only in `long` mode; otherwise it is kept for the table). */
  add(r: BinaryResult): string {
    if (isFailed(r)) { this.bad++; return ''; }
    this.ok++;
    if (this.opts.long) {
      const w = this.warnings(r);
      return this.block(r.path, summaryCells(r), detailRows(r, true)) + (w.length ? `${w.join('\n')}\n` : '');
    }
    this.rows.push({ path: r.path, cells: summaryCells(r), details: detailRows(r, false), warnings: this.warnings(r) });
    return '';
  }

  /** The table (or blocks), warnings, links, archive notes and the summary line. */
  finish(rest: Pick<InspectReport, 'symlinks' | 'notes' | 'skipped'>): string {
    const out: string[] = [];
    if (!this.opts.long) {
      const widths = fit(this.rows.map((r) => r.cells), this.opts.width ?? 120);
      if (this.rows.length && widths) out.push(renderGrid({ head: HEAD, rows: this.rows.map((r) => r.cells), widths, wrap: 'char', color: this.opts.color }));
      else for (const r of this.rows) out.push(this.block(r.path, r.cells, r.details).trimEnd());
      for (const r of this.rows) out.push(...r.warnings);
    }
    for (const s of rest.symlinks) {
      const why = s.hardlink ? (s.inTree ? 'a hard link to another member; that member is inspected' : 'a hard link outside the archive; not followed')
        : s.broken === 'loop' ? 'part of a symlink loop; nothing to inspect'
        : s.broken === 'dangling' ? 'its target does not exist'
        : s.inTree ? 'inside the tree; its target is inspected at its own path' : 'points outside the tree; not followed';
      out.push(`${s.hardlink ? 'hardlink' : 'symlink'}: ${visible(s.path)} -> ${visible(s.target)} (${why})`);
    }
    for (const n of capList(rest.notes, (x) => `${x.path}: ${ARCHIVE_NOTES[x.code](x.target)} (${x.code})`, 200, 1000)) out.push(`archive: ${n}`);
    const parts = [`${this.ok} binar${this.ok === 1 ? 'y' : 'ies'} inspected`];
    if (this.bad) parts.push(`${this.bad} could not be analysed`);
    if (rest.skipped) parts.push(`${rest.skipped} non-binary file${rest.skipped === 1 ? '' : 's'} skipped`);
    if (rest.symlinks.length) parts.push(`${rest.symlinks.length} link${rest.symlinks.length === 1 ? '' : 's'} reported`);
    if (rest.notes.length) parts.push(`${rest.notes.length} archive note${rest.notes.length === 1 ? '' : 's'}`);
    out.push(parts.join(', '));
    return out.join('\n') + '\n';
  }
}

/** The whole table for a report in memory. */
export function renderInspectTable(r: InspectReport, opts: RenderOptions & { long?: boolean } = {}): string {
  const t = new InspectTable(opts);
  let out = '';
  for (const b of r.binaries) out += t.add(b);
  return out + t.finish(r);
}
