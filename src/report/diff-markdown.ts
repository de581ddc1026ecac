/**
 * `diff --format markdown`: a pull-request comment or a `$GITHUB_STEP_SUMMARY` section. Grouped by binary,
 * regressions first; a binary with many changes is collapsed in <details>; the whole stays under GitHub's comment
 * limit. Strings from binaries are made visible (visible()) and then escaped for Markdown: in text every
 * character Markdown or HTML could act on becomes a character reference, in code spans the fence is longer than
 * any backtick run inside, and `|` is escaped in both so a table row keeps its columns.
 */
import { changesByBinary } from '../diff/index.js';
import type { Change, DiffReport } from '../diff/model.js';
import { CHANGE_MESSAGES } from '../plan/messages.js';
import { visible } from './text.js';
import { changeLine, counts, MARK, noteLine, num, verdict } from './diff-words.js';

/** Code points of one value before escaping (a 60 KB NEEDED name is not a 60 KB cell). */
const VALUE_MAX = 256;
/** A binary with more changes than this gets its table collapsed. */
const COLLAPSE_AFTER = 8;
/** GitHub refuses comments over 65,536 characters; the rest is left to the JSON report. */
const BUDGET = 60_000;

/** Text for Markdown: ASCII punctuation Markdown or HTML acts on, as numeric character references. */
export function mdText(s: string, max = 2000): string {
  return visible(s, max).replace(/[\\`*_{}[\]<>&|#~!]/g, (c) => `&#${c.codePointAt(0)};`);
}

/** A code span that no backtick inside can end early; `|` escaped for table cells (GFM unescapes it there). */
export function mdCode(s: string, max = VALUE_MAX): string {
  const v = visible(s, max).replace(/\|/g, '\\|');
  let run = 0;
  for (const m of v.matchAll(/`+/g)) run = Math.max(run, m[0].length);
  const fence = '`'.repeat(run + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v.startsWith(' ') || v === '' ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

function table(cs: readonly Change[]): string {
  const rows = cs.map((c) => `| ${MARK[c.severity]} | \`${c.kind}\` | ${c.subject === null ? '' : mdCode(c.subject)} | ${mdText(changeLine(c))} |`);
  return ['|  | change | about | details |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function renderDiffMarkdown(r: DiffReport): string {
  const out: string[] = [];
  out.push(`### linkplan diff: ${mdText(verdict(r))}`, '');
  out.push(`${mdText(r.old.input)} → ${mdText(r.new.input)}: ${mdText(counts(r))}`, '');
  let size = out.join('\n').length;
  const groups = changesByBinary(r);
  let shown = 0;
  for (const g of groups) {
    const reg = g.changes.filter((c) => c.severity === 'regression').length;
    const n = g.changes.length;
    const regs = reg ? `, ${num(reg)} regression${reg === 1 ? '' : 's'}` : '';
    const head = `${reg ? '✗' : '·'} ${mdText(g.file)}: ${num(n)} change${n === 1 ? '' : 's'}${regs}`;
    const body = table(g.changes);
    const section = g.changes.length > COLLAPSE_AFTER
      ? `<details><summary>${head}</summary>\n\n${body}\n\n</details>\n`
      : `**${head}**\n\n${body}\n`;
    if (size + section.length > BUDGET) break;
    out.push(section);
    size += section.length + 1;
    shown++;
  }
  if (shown < groups.length) {
    const rest = groups.slice(shown).reduce((n, g) => n + g.changes.length, 0);
    out.push(`… and ${num(groups.length - shown)} more binaries with ${num(rest)} changes: see \`linkplan diff --format json\`.`, '');
  }
  if (r.notes.length) {
    out.push('**Not compared**', '');
    for (const n of r.notes.slice(0, 50)) out.push(`- ${n.side}: ${mdText(n.file)}: ${mdText(noteLine(n))}`);
    if (r.notes.length > 50) out.push(`- … and ${num(r.notes.length - 50)} more`);
    out.push('');
  }
  if (r.errors.length) {
    out.push('**Could not be analysed**', '');
    for (const e of r.errors.slice(0, 50)) out.push(`- ${e.side}: ${mdText(e.file)}: ${mdText(e.message)}`);
    if (r.errors.length > 50) out.push(`- … and ${num(r.errors.length - 50)} more`);
    out.push('');
  }
  if (r.changes.length) {
    const kinds = [...new Set(r.changes.map((c) => c.kind))].sort();
    out.push('<details><summary>What the changes mean</summary>', '');
    for (const k of kinds) out.push(`- \`${k}\` (${mdText(CHANGE_MESSAGES[k].title)}): ${mdText(CHANGE_MESSAGES[k].docs)}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
