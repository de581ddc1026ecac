import { changesByBinary } from '../diff/index.js';
import type { DiffReport } from '../diff/model.js';
import { renderGrid } from './grid.js';
import { capList, displayWidth, visible } from './text.js';
import { changeLine, counts, MARK, noteLine, verdict } from './diff-words.js';

export interface DiffTableOptions { width?: number; color?: boolean }

const paint = (on: boolean | undefined, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const marks = (l: string) => l.replace(/^(✗|✓|·)( |$)/, (_, m: string, sp: string) => paint(true, m === '✗' ? 31 : m === '✓' ? 32 : 90, m) + sp);

/**
 * `diff` for people: one row per binary with changes (regressions first), one line per change (its mark, kind
 * and sentence), then the files that could not be analysed and the verdict. Every string goes through grid.ts
 * (visible()) or visible() itself.
 */
export function renderDiffTable(r: DiffReport, opts: DiffTableOptions = {}): string {
  const width = Math.max(60, opts.width ?? 120);
  const groups = changesByBinary(r);
  const out: string[] = [];
  if (groups.length) {
    const rows = groups.map((g) => [g.file, capList(g.changes, (c) => `${MARK[c.severity]} ${c.kind}: ${changeLine(c)}`, 40, 2000)] as const);
    let fileW = 6;
    for (const [f] of rows) fileW = Math.max(fileW, displayWidth(visible(f)));
    fileW = Math.min(fileW + 2, Math.floor(width * 0.35));
    const widths = [fileW, Math.max(20, width - fileW - 3)];
    out.push(renderGrid({ head: ['binary', 'change'], rows, widths, wrap: 'word', color: opts.color, paintLine: marks }));
  }
  for (const n of r.notes) out.push(`note: ${n.side}: ${visible(n.file)}: ${noteLine(n)}`);
  for (const e of r.errors) out.push(`error: ${e.side}: ${visible(e.file)}: could not be analysed: ${visible(e.message, 2000)}`);
  const v = verdict(r);
  const colored = paint(opts.color, v === 'linkage changed' || v === 'could not analyse every file' ? 31 : 32, v);
  out.push(`${colored}: ${visible(r.old.input)} → ${visible(r.new.input)}: ${counts(r)}`);
  return out.join('\n') + '\n';
}
