import Table from 'cli-table3';
import type { BinaryFacts, BinaryResult } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import type { InspectReport, RenderOptions } from './model.js';
import { detailRows } from './details.js';

const list = (xs: string[]) => (xs.length ? xs.join('\n') : '—');
const yn = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : 'no');

function summaryCells(b: BinaryFacts): string[] {
  const paths = [...b.rpath.map((p) => `RPATH ${p}`), ...b.runpath.map((p) => `RUNPATH ${p}`)];
  return [b.path, `${b.format} ${b.arch}`, b.type, b.linkage ?? '—', b.libc, yn(b.pie), b.interpreter ?? '—', list(b.needed), list(paths)];
}
const HEAD = ['file', 'format', 'type', 'linkage', 'libc', 'PIE', 'interpreter', 'needed', 'search paths'];

function width(cells: string[][]): number {
  const w = HEAD.map((h) => h.length);
  for (const row of cells) row.forEach((c, i) => { for (const line of c.split('\n')) w[i] = Math.max(w[i], line.length); });
  return w.reduce((a, b) => a + b + 3, 1);
}

/**
 * inspect as a table: one row per binary when it fits the terminal, otherwise one key/value block per binary
 * (arethetypeswrong's `auto` orientation). `--long` adds the format-specific details block under each binary.
 */
export function renderInspectTable(r: InspectReport, opts: RenderOptions & { long?: boolean } = {}): string {
  const ok = r.binaries.filter((b): b is BinaryFacts => !isFailed(b));
  const bad = r.binaries.filter(isFailed);
  const out: string[] = [];
  const style = { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] };
  const cells = ok.map(summaryCells);
  const horizontal = !opts.long && width(cells) <= (opts.width ?? 120);
  if (ok.length && horizontal) {
    const t = new Table({ head: HEAD, style });
    t.push(...cells);
    out.push(t.toString());
  } else {
    for (const b of ok) {
      const t = new Table({ style });
      const c = summaryCells(b);
      HEAD.slice(1).forEach((h, i) => t.push({ [h]: c[i + 1] }));
      for (const [k, v] of detailRows(b, !!opts.long)) t.push({ [k]: v });
      out.push(`${b.path}\n${t.toString()}`);
    }
  }
  for (const b of ok) for (const w of b.warnings) out.push(`warning: ${b.path}: ${w.detail}`);
  for (const s of r.symlinks) out.push(`symlink: ${s.path} -> ${s.target} (${s.inTree ? 'inside the tree; its target is inspected at its own path' : 'points outside the tree; not followed'})`);
  for (const b of bad) out.push(`error: ${b.path}: ${b.error.message}`);
  const n = r.binaries.length;
  out.push(`${ok.length} binar${ok.length === 1 ? 'y' : 'ies'} inspected${bad.length ? `, ${bad.length} could not be analysed` : ''}${r.skipped ? `, ${r.skipped} non-binary file${r.skipped === 1 ? '' : 's'} skipped` : ''}${n === 0 && !r.skipped ? ' (nothing to inspect)' : ''}`);
  return out.join('\n') + '\n';
}

export type { BinaryResult };
