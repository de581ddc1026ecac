import type { BinaryFacts } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import type { InspectReport, RenderOptions } from './model.js';
import { detailRows } from './details.js';
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

/**
 * inspect as a table: one row per binary, wrapping long cells to fit the terminal (arethetypeswrong's `auto`
 * orientation); when even that does not fit, or with `long`, one key/value block per binary with the
 * format-specific details.
 */
export function renderInspectTable(r: InspectReport, opts: RenderOptions & { long?: boolean } = {}): string {
  const ok = r.binaries.filter((b): b is BinaryFacts => !isFailed(b));
  const bad = r.binaries.filter(isFailed);
  const out: string[] = [];
  const cells = ok.map(summaryCells);
  const widths = opts.long ? null : fit(cells, opts.width ?? 120);
  if (ok.length && widths) {
    out.push(renderGrid({ head: HEAD, rows: cells, widths, wrap: 'char', color: opts.color }));
  } else {
    for (const b of ok) {
      const c = summaryCells(b);
      const rows: Cell[][] = HEAD.slice(1).map((h, i) => [h, c[i + 1]]);
      for (const [k, v] of detailRows(b, !!opts.long)) rows.push([k, v]);
      out.push(`${visible(b.path)}\n${renderGrid({ rows, compact: true, color: opts.color })}`);
    }
  }
  for (const b of ok) {
    for (const w of capList(b.warnings, (x) => x.detail, CELL_MAX_ITEMS, 1000)) out.push(`warning: ${visible(b.path)}: ${w}`);
  }
  for (const s of r.symlinks) {
    const why = s.broken === 'loop' ? 'part of a symlink loop; nothing to inspect'
      : s.broken === 'dangling' ? 'its target does not exist'
      : s.inTree ? 'inside the tree; its target is inspected at its own path' : 'points outside the tree; not followed';
    out.push(`symlink: ${visible(s.path)} -> ${visible(s.target)} (${why})`);
  }
  const parts = [`${ok.length} binar${ok.length === 1 ? 'y' : 'ies'} inspected`];
  if (bad.length) parts.push(`${bad.length} could not be analysed`);
  if (r.skipped) parts.push(`${r.skipped} non-binary file${r.skipped === 1 ? '' : 's'} skipped`);
  if (r.symlinks.length) parts.push(`${r.symlinks.length} symlink${r.symlinks.length === 1 ? '' : 's'} reported`);
  out.push(parts.join(', '));
  return out.join('\n') + '\n';
}
