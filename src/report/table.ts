import Table from 'cli-table3';
import type { BinaryFacts } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import type { InspectReport, RenderOptions } from './model.js';
import { detailRows } from './details.js';

const list = (xs: string[]) => (xs.length ? xs.join('\n') : '—');
const yn = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : 'no');

const HEAD = ['file', 'arch', 'type', 'linkage', 'libc / CRT', 'PIE', 'interpreter', 'needed', 'search paths'];
/** Columns that may wrap when the terminal is narrow, and the least width each keeps. */
const FLEX: Record<number, number> = { 0: 16, 6: 12, 7: 14, 8: 14 };

function summaryCells(b: BinaryFacts): string[] {
  const paths = [...b.rpath.map((p) => `RPATH ${p}`), ...b.runpath.map((p) => `RUNPATH ${p}`)];
  // PE: the CRT verdict says more than the libc family (msvc-static vs msvc-hybrid are both "ucrt or nothing").
  const libc = b.format === 'pe' ? b.crt : b.libc;
  return [b.path, b.arch, b.type, b.linkage ?? '—', libc, yn(b.pie), b.interpreter ?? '—', list(b.needed), list(paths)];
}

/**
 * Terminal columns a line takes: East Asian wide and fullwidth characters (and emoji) take two, combining marks and
 * zero-width characters none. `length` counts UTF-16 units, so a CJK file name would be cut short.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Column widths that fit `width`, shrinking only the wrappable columns; null when even that does not fit. */
function fit(cells: string[][], width: number): number[] | null {
  const natural = HEAD.map((h) => h.length);
  for (const row of cells) row.forEach((c, i) => { for (const line of c.split('\n')) natural[i] = Math.max(natural[i], displayWidth(line)); });
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
  const style = { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] };
  const cells = ok.map(summaryCells);
  const widths = opts.long ? null : fit(cells, opts.width ?? 120);
  if (ok.length && widths) {
    const t = new Table({ head: HEAD, style, colWidths: widths, wordWrap: true, wrapOnWordBoundary: false });
    t.push(...cells);
    out.push(t.toString());
  } else {
    for (const b of ok) {
      const t = new Table({ style: { ...style, compact: true }, wordWrap: true });
      const c = summaryCells(b);
      HEAD.slice(1).forEach((h, i) => t.push({ [h]: c[i + 1] }));
      for (const [k, v] of detailRows(b, !!opts.long)) t.push({ [k]: v });
      out.push(`${b.path}\n${t.toString()}`);
    }
  }
  for (const b of ok) for (const w of b.warnings) out.push(`warning: ${b.path}: ${w.detail}`);
  for (const s of r.symlinks) {
    const why = s.broken === 'loop' ? 'part of a symlink loop; nothing to inspect'
      : s.broken === 'dangling' ? 'its target does not exist'
      : s.inTree ? 'inside the tree; its target is inspected at its own path' : 'points outside the tree; not followed';
    out.push(`symlink: ${s.path} -> ${s.target} (${why})`);
  }
  const parts = [`${ok.length} binar${ok.length === 1 ? 'y' : 'ies'} inspected`];
  if (bad.length) parts.push(`${bad.length} could not be analysed`);
  if (r.skipped) parts.push(`${r.skipped} non-binary file${r.skipped === 1 ? '' : 's'} skipped`);
  if (r.symlinks.length) parts.push(`${r.symlinks.length} symlink${r.symlinks.length === 1 ? '' : 's'} reported`);
  out.push(parts.join(', '));
  return out.join('\n') + '\n';
}
