import type { BinaryFacts, BinaryResult, MachoSlice } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import type { InspectReport, RenderOptions } from './model.js';
import { detailRows } from './details.js';
import { ARCHIVE_NOTES } from '../plan/messages.js';
import { renderGrid, wrapLine, type Cell } from './grid.js';
import { CELL_MAX_ITEMS, capList, count, displayWidth, shortenPath, visible } from './text.js';

const list = (xs: readonly string[]): Cell => (xs.length ? capList(xs) : '—');
const yn = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : 'no');

/** One row per binary: counts and verdicts, no lists (a tree of 5,000 binaries is 5,000 lines, not 50,000). */
export const HEAD = ['path', 'arch', 'type', 'linkage', 'libc / CRT', 'PIE', 'needed', 'search paths'];
const PATH = 0;
/** A slice list longer than this says "per slice" instead of naming each one (a crafted file may hold hundreds). */
const SLICES_NAMED = 4;
/** Code points of one warning before it is wrapped: a warning is a sentence, not a dump of a crafted name. */
const WARNING_MAX_CHARS = 400;

/** The readable slices of a universal Mach-O; null for every other binary (and for a universal with none readable). */
function slicesOf(b: BinaryFacts): MachoSlice[] | null {
  return b.format === 'macho' && b.slices?.length ? b.slices : null;
}

const archName = (s: MachoSlice) => s.macho.archName;

/**
 * A value every slice must agree on, for a universal binary. The top-level facts of a universal file hold only what
 * all slices agree on (null or empty otherwise), so the slices are read, never the top level.
 */
function agreed(slices: MachoSlice[], f: (s: MachoSlice) => string): string | null {
  const v = f(slices[0]);
  return slices.every((s) => f(s) === v) ? v : null;
}

/** A row cell for a universal binary: the shared value, or each slice's (`x86_64: 3, arm64: 4`), or "per slice". */
function perSliceShort(slices: MachoSlice[], f: (s: MachoSlice) => string): string {
  return agreed(slices, f) ?? (slices.length <= SLICES_NAMED ? slices.map((s) => `${archName(s)}: ${f(s)}`).join(', ') : 'per slice');
}

/** A block cell for a universal binary: the shared value, or one line per slice. */
function perSliceLines(slices: MachoSlice[], f: (s: MachoSlice) => string): Cell {
  return agreed(slices, f) ?? capList(slices, (s) => `${archName(s)}: ${f(s)}`);
}

/**
 * The type in a row, in the words of its format (the block and JSON say it in full): an ELF shared library is an
 * `so`, a PE one a `dll`, a Mach-O one a `dylib`; relocatable objects are `obj`.
 */
function shortType(b: BinaryFacts | MachoSlice): string {
  switch (b.type) {
    case 'executable': return 'exe';
    case 'shared-library': return b.format === 'elf' ? 'so' : b.format === 'pe' ? 'dll' : 'dylib';
    case 'relocatable': return 'obj';
    case 'debug-info': return 'debug';
    default: return b.type;
  }
}

/** Search paths in short: "—", "1 RUNPATH", "2 RPATH 1 RUNPATH". */
function searchShort(b: { rpath: readonly string[]; runpath: readonly string[] }): string {
  const parts = [b.rpath.length && `${b.rpath.length} RPATH`, b.runpath.length && `${b.runpath.length} RUNPATH`].filter(Boolean);
  return parts.join(' ') || '—';
}

// PE: the CRT verdict says more than the libc family (msvc-static vs msvc-hybrid are both "ucrt or nothing").
const libcOf = (b: BinaryFacts | MachoSlice) => (b.format === 'pe' ? b.crt : b.libc);
const searchList = (b: { rpath: readonly string[]; runpath: readonly string[] }) =>
  [...b.rpath.map((p) => `RPATH ${p}`), ...b.runpath.map((p) => `RUNPATH ${p}`)];

/** The summary row: path, then short cells (the path is shortened to its column when the table is laid out). */
export function rowCells(b: BinaryFacts): string[] {
  const sl = slicesOf(b);
  const differ = (f: (s: MachoSlice) => string) => (sl ? agreed(sl, f) ?? 'slices differ' : null);
  return [
    visible(b.path),
    // A universal file's slices by name (they wrap one to a line): "universal" says less in the same columns.
    sl && sl.length <= SLICES_NAMED ? sl.map(archName).join(' ') : b.arch,
    `${b.format} ${differ((s) => shortType(s)) ?? shortType(b)}`,
    differ((s) => s.linkage ?? '—') ?? b.linkage ?? '—',
    differ(libcOf) ?? libcOf(b),
    differ((s) => yn(s.pie)) ?? yn(b.pie),
    sl ? perSliceShort(sl, (s) => String(s.needed.length)) : String(b.needed.length),
    sl ? perSliceShort(sl, searchShort) : searchShort(b),
  ].map((c) => visible(c));
}

/** The block's rows before the format's details: every summary fact in full, per slice where slices differ. */
export function blockRows(b: BinaryFacts): [string, Cell][] {
  const sl = slicesOf(b);
  const one = (f: (x: BinaryFacts | MachoSlice) => string): Cell => (sl ? perSliceLines(sl, f) : f(b));
  // A universal binary's lists are each slice's own, named by slice, unless every slice has the same list.
  const lists = (f: (x: BinaryFacts | MachoSlice) => readonly string[]): Cell => {
    if (!sl) return list(f(b));
    if (agreed(sl, (s) => JSON.stringify(f(s))) !== null) return list(f(sl[0]));
    const all = sl.flatMap((s) => (f(s).length ? f(s).map((x) => `${archName(s)}: ${x}`) : [`${archName(s)}: —`]));
    return list(all);
  };
  return [
    ['format', b.format],
    ['arch', sl ? `${b.arch}: ${sl.map(archName).join(' ')}` : b.arch],
    ['type', one((x) => x.type)],
    ['linkage', one((x) => x.linkage ?? '—')],
    ['libc / CRT', one(libcOf)],
    ['PIE', one((x) => yn(x.pie))],
    ['interpreter', one((x) => x.interpreter ?? '—')],
    ['needed', lists((x) => x.needed)],
    ['search paths', lists(searchList)],
  ];
}

/** `s` wrapped to `width` columns; continuation lines indented two spaces (so none starts with what `s` holds). */
export function wrapIndented(s: string, width: number, mode: 'fold' | 'char' = 'fold'): string[] {
  if (displayWidth(s) <= width) return [s];
  const [first, ...rest] = wrapLine(s, Math.max(8, width), mode);
  if (!rest.length) return [first];
  // What follows the first line, as it is in `s` (rejoining the wrapped lines with a space put one inside a long
  // path or link target that had been cut across them), wrapped again two columns narrower.
  const after = s.startsWith(first) ? s.slice(first.length).replace(/^\s+/, '') : rest.join(mode === 'char' ? '' : ' ');
  const more = wrapLine(after, Math.max(8, width - 2), mode);
  return [first, ...more.map((l) => `  ${l}`)];
}

/** The widest piece of `s` that wrapping keeps whole: words, themselves broken after a hyphen (`static-` `pie`). */
const words = (s: string) => s.split(/\s+|(?<=-)/).reduce((m, w) => Math.max(m, displayWidth(w)), 0);

/**
 * Column widths (with padding) that fit `width`. The path column gives way first (down to 30 columns, its paths
 * shortened from the middle, the file name kept), then the other columns down to their longest word (they wrap at
 * spaces), then the path down to 16, longer words folded, the path to 10, every column to 5. Null when even that is too wide:
 * the caller prints blocks instead.
 */
function fit(rows: string[][], width: number): number[] | null {
  const natural = HEAD.map((h) => displayWidth(h));
  const wordMin = HEAD.map((h) => words(h));
  for (const r of rows) {
    r.forEach((c, i) => {
      natural[i] = Math.max(natural[i], displayWidth(c));
      if (i !== PATH) wordMin[i] = Math.max(wordMin[i], words(c));
    });
  }
  const w = natural.map((n) => n + 2);
  const total = () => w.reduce((a, b) => a + b, 0) + w.length + 1;
  const shrink = (cols: number[], floor: (i: number) => number) => {
    while (total() > width) {
      let widest = -1;
      for (const i of cols) if (w[i] > floor(i) + 2 && (widest < 0 || w[i] > w[widest])) widest = i;
      if (widest < 0) return;
      w[widest]--;
    }
  };
  const others = HEAD.map((_, i) => i).filter((i) => i !== PATH);
  shrink([PATH], () => 30);
  shrink(others, (i) => wordMin[i]);
  shrink([PATH], () => 16);
  // Words up to 7 columns ("dynamic", "RUNPATH") stay whole before the path goes below 16: "dynami" "c" reads worse.
  shrink(others, (i) => Math.min(wordMin[i], 7));
  shrink([PATH], () => 10);
  shrink(others, () => 5);
  return total() <= width ? w : null;
}

/** What the summary table keeps of one binary: its short cells, its block rows and warnings, never its facts. */
interface Row { path: string; cells: string[]; block: [string, Cell][]; warnings: string[] }

/** How a link is reported: what happened to it, and to its target. */
export function linkNote(s: InspectReport['symlinks'][number]): string {
  if (s.hardlink) {
    return s.inTree ? 'a hard link to another member; that member, if a binary, is listed at its own path' : 'a hard link outside the archive; not followed';
  }
  if (s.broken === 'loop') return 'part of a symlink loop; nothing to inspect';
  if (s.broken === 'dangling') return 'its target does not exist';
  // The walk does not follow a link inside the tree: its target is met at its own path, and listed there only if it
  // is a binary (a link to a text file names nothing in the table).
  return s.inTree ? 'inside the tree: not followed; its target, if a binary, is listed at its own path' : 'points outside the tree; not followed';
}

/**
 * inspect as a table, fed one result at a time: one row per binary (path, verdicts, counts), fitted to the terminal
 * width by shortening paths from the middle and wrapping; when even that does not fit, or with `long`, one key/value
 * block per binary with everything, details included. `long` blocks are printed as each binary comes (a 2 GB
 * tarball shows its first member at once); the summary table needs every row's width, so it keeps the rows' short
 * cells (not the facts) until the end.
 */
export class InspectTable {
  private readonly rows: Row[] = [];
  private ok = 0;
  private bad = 0;
  private readonly width: number;
  constructor(private readonly opts: RenderOptions & { long?: boolean } = {}) {
    this.width = Math.max(20, opts.width ?? 120);
  }

  /** One binary as a path line and a two-column grid, both fitted to the width (values fold, nothing is cut). */
  private block(path: string, rows: [string, Cell][]): string {
    const keyNatural = rows.reduce((m, [k]) => Math.max(m, displayWidth(k)), 0);
    const kw = Math.min(keyNatural, Math.max(10, Math.floor(this.width / 3)));
    const vw = Math.max(8, this.width - kw - 7);
    const grid = rows.map(([k, v]): Cell[] => [wrapLine(k, kw, 'fold'), v]);
    // A path breaks by columns, not at its spaces: it is one name, and its start stays on the first line.
    const head = wrapIndented(visible(path), this.width, 'char').join('\n');
    return `${head}\n${renderGrid({ rows: grid, widths: [kw + 2, vw + 2], wrap: 'fold', compact: true, color: this.opts.color })}\n`;
  }

  private warnings(b: BinaryFacts): string[] {
    return capList(b.warnings, (x) => x.detail, CELL_MAX_ITEMS, WARNING_MAX_CHARS)
      .flatMap((w) => wrapIndented(`warning: ${visible(b.path)}: ${w}`, this.width));
  }

  /** Text to print now for this result (only in `long` mode; otherwise it is kept for the table). */
  add(r: BinaryResult): string {
    if (isFailed(r)) { this.bad++; return ''; }
    this.ok++;
    if (this.opts.long) {
      const w = this.warnings(r);
      return this.block(r.path, [...blockRows(r), ...detailRows(r, true)]) + (w.length ? `${w.join('\n')}\n` : '');
    }
    this.rows.push({ path: r.path, cells: rowCells(r), block: [...blockRows(r), ...detailRows(r, false)], warnings: this.warnings(r) });
    return '';
  }

  /** The table (or blocks), warnings, links, archive notes and the summary line. */
  finish(rest: Pick<InspectReport, 'symlinks' | 'notes' | 'skipped'>): string {
    const out: string[] = [];
    if (!this.opts.long) {
      const widths = this.rows.length ? fit(this.rows.map((r) => r.cells), this.width) : null;
      if (widths) {
        const rows = this.rows.map((r) => [shortenPath(r.cells[PATH], widths[PATH] - 2), ...r.cells.slice(1)]);
        const head = HEAD.map((h, i) => wrapLine(h, widths[i] - 2, 'fold'));
        out.push(renderGrid({ head, rows, widths, wrap: 'fold', compact: true, color: this.opts.color }));
      } else for (const r of this.rows) out.push(this.block(r.path, r.block).trimEnd());
      for (const r of this.rows) out.push(...r.warnings);
    }
    for (const s of rest.symlinks) {
      out.push(...wrapIndented(`${s.hardlink ? 'hardlink' : 'symlink'}: ${visible(s.path)} -> ${visible(s.target)} (${linkNote(s)})`, this.width));
    }
    for (const n of capList(rest.notes, (x) => `${x.path}: ${ARCHIVE_NOTES[x.code](x.target)} (${x.code})`, 200, 1000)) {
      out.push(...wrapIndented(`archive: ${n}`, this.width));
    }
    const parts = [`${count(this.ok, 'binary', 'binaries')} inspected`];
    if (this.bad) parts.push(`${this.bad} could not be analysed`);
    if (rest.skipped) parts.push(`${rest.skipped} non-binary file${rest.skipped === 1 ? '' : 's'} skipped`);
    if (rest.symlinks.length) parts.push(`${rest.symlinks.length} link${rest.symlinks.length === 1 ? '' : 's'} reported`);
    if (rest.notes.length) parts.push(`${rest.notes.length} archive note${rest.notes.length === 1 ? '' : 's'}`);
    out.push(...wrapIndented(parts.join(', '), this.width));
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
