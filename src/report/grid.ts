/**
 * The one table module: box-drawn tables for people, in time linear in what they print. It replaced cli-table3,
 * whose width regexes and re-wrapping cost quadratic time on long cells (a 2,000-NEEDED ELF took 5 s, a 20k-file
 * tree 26 s against 2.8 s as JSON) and which measured with its own width function. Every line of every cell goes
 * through visible() here, so no renderer can forget: a cell is one line of text or a list of lines, and a line
 * break inside a value is shown as `\n`, never obeyed.
 */
import { charWidth, displayWidth, fitStart, visible } from './text.js';

/** One line, or a list of lines (each sanitized on its own; only the list makes line breaks). */
export type Cell = string | readonly string[];

export interface GridOptions {
  head?: readonly Cell[];
  rows: readonly (readonly Cell[])[];
  /** Column widths including one space of padding each side; natural widths when absent. */
  widths?: readonly number[];
  /**
   * `word`: break at white space, cutting a word too long for the column with "…"; `char`: break anywhere; `fold`:
   * break at white space, and a word too long for the column after its last `-`, `/`, `_` or `.` that fits (or
   * anywhere): nothing is lost, which a name needs.
   */
  wrap?: 'word' | 'char' | 'fold';
  /** No separator lines between body rows. */
  compact?: boolean;
  color?: boolean;
  /**
   * Colours a body line after it was sanitized and wrapped (so a colour code is ours, never a binary's, and the
   * width is measured without it). Called only with `color`.
   */
  paintLine?: (text: string) => string;
}

/** Code points of one cell line, before wrapping: a safety net under the renderers' own caps. */
const LINE_MAX = 4096;

const paint = (on: boolean | undefined, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function cellLines(c: Cell): string[] {
  const ls = typeof c === 'string' ? [c] : c.length ? [...c] : [''];
  return ls.map((l) => visible(l, LINE_MAX));
}

/** `s` cut to `width` columns, ending in "…" when something was cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  return `${fitStart(s, Math.max(0, width - 1))}…`;
}

/** Break one line into lines of at most `width` columns. */
export function wrapLine(s: string, width: number, mode: 'word' | 'char' | 'fold'): string[] {
  if (width <= 0) return [''];
  if (mode === 'fold') return fold(s, width);
  if (mode === 'char') {
    const out: string[] = [];
    let line = '', w = 0;
    for (const ch of s) {
      const cw = charWidth(ch.codePointAt(0)!);
      if (w + cw > width && w > 0) { out.push(line); line = ''; w = 0; }
      line += ch;
      w += cw;
    }
    out.push(line);
    return out;
  }
  // A word longer than the column gets a line of its own, cut with "…".
  return words(s, width, false).map((l) => truncate(l, width));
}

/** A word too long for `width` as pieces that fit, each ending after a separator where one is near enough. */
function pieces(word: string, width: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (displayWidth(rest) > width) {
    let piece = fitStart(rest, width);
    if (!piece) piece = Array.from(rest)[0]; // a wide character in a 1-column cell: overflow rather than loop
    const sep = Math.max(piece.lastIndexOf('-'), piece.lastIndexOf('/'), piece.lastIndexOf('_'), piece.lastIndexOf('.'));
    if (sep >= piece.length / 2) piece = piece.slice(0, sep + 1);
    out.push(piece);
    rest = rest.slice(piece.length);
  }
  out.push(rest);
  return out;
}

function fold(s: string, width: number): string[] {
  return words(s, width, true);
}

/**
 * Words and the white space between them, filled into lines of `width` columns. A word longer than that starts a
 * line of its own; with `split` it is broken into pieces that fit (fold), else left whole for the caller to cut.
 */
function words(s: string, width: number, split: boolean): string[] {
  const parts = s.split(/(\s+)/);
  const out: string[] = [];
  let line = '', lineW = 0, gap = '';
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i];
    const ww = displayWidth(word);
    const need = lineW + (lineW > 0 ? displayWidth(gap) : 0) + ww;
    if (need <= width) {
      line += (lineW > 0 ? gap : '') + word;
      lineW = need;
    } else {
      if (lineW > 0) out.push(line);
      const ps = split && ww > width ? pieces(word, width) : [word];
      out.push(...ps.slice(0, -1));
      line = ps[ps.length - 1];
      lineW = displayWidth(line);
    }
    gap = parts[i + 1] ?? '';
  }
  out.push(line);
  return out;
}

/** A table as text (no trailing newline). */
export function renderGrid(o: GridOptions): string {
  const rows = o.rows.map((r) => r.map(cellLines));
  const head = o.head ? o.head.map((h) => cellLines(h)) : null;
  const ncols = Math.max(head?.length ?? 0, ...rows.map((r) => r.length));
  let widths = o.widths ? [...o.widths] : null;
  if (!widths) {
    widths = new Array<number>(ncols).fill(2);
    for (const r of head ? [head, ...rows] : rows) {
      r.forEach((c, i) => { for (const l of c) widths![i] = Math.max(widths![i], displayWidth(l) + 2); });
    }
  }
  const mode = o.wrap ?? 'word';
  const border = (s: string) => paint(o.color, 90, s);
  const rule = (l: string, m: string, r: string) => border(l + widths!.map((w) => '─'.repeat(w)).join(m) + r);
  const out: string[] = [rule('┌', '┬', '┐')];
  const emit = (r: string[][], style?: number) => {
    const cols = widths!.map((w, i) => (r[i] ?? ['']).flatMap((l) => wrapLine(l, w - 2, mode)));
    const height = Math.max(...cols.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const cells = cols.map((c, i) => {
        const text = c[k] ?? '';
        const pad = ' '.repeat(Math.max(0, widths![i] - 2 - displayWidth(text)));
        const shown = style ? paint(o.color, style, text) : o.color && o.paintLine ? o.paintLine(text) : text;
        return ` ${shown}${pad} `;
      });
      out.push(border('│') + cells.join(border('│')) + border('│'));
    }
  };
  if (head) {
    emit(head, 36);
    if (rows.length) out.push(rule('├', '┼', '┤'));
  }
  rows.forEach((r, i) => {
    if (i > 0 && !o.compact) out.push(rule('├', '┼', '┤'));
    emit(r);
  });
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
