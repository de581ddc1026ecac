import { checkedCount, outcome } from '../plan/evaluate.js';
import { describeFinding, MARKDOWN, MESSAGES, relatedNote, setByNote } from '../plan/messages.js';
import type { Finding, VerifyReport } from '../plan/model.js';
import { count, visible } from './text.js';
import { groupBy } from './group.js';

/**
 * GitHub-flavoured Markdown for a job summary ($GITHUB_STEP_SUMMARY) or a merge request note. Every value is made
 * visible first (a line break in a file name is shown as `\n`, never obeyed), then escaped for Markdown and the
 * HTML GitHub renders: `|` would split a table cell, `<` `>` `&` start markup, a backtick a code span.
 */
export function md(s: string, max = 500): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '`': '&#96;', '|': '&#124;' };
  return visible(s, max).replace(/[&<>`|\\*_[\]]/g, (c) => entities[c] ?? `\\${c}`);
}

/** Rows the table shows before one line counts the rest (a step summary is capped at 1 MiB). */
export const MARKDOWN_MAX_ROWS = 200;

export interface MarkdownOptions {
  audit?: boolean;
}

/** A heading, the verdict and counts, a table of the binaries with findings, plan-level findings, unreadable files. */
export function renderVerifyMarkdown(r: VerifyReport, opts: MarkdownOptions = {}): string {
  const s = r.summary;
  const o = outcome(r);
  const verdict = (opts.audit ? MARKDOWN.auditVerdict : MARKDOWN.verdict)[o];
  const out: string[] = [`## ${MARKDOWN.heading(!!opts.audit)}`, ''];
  out.push(`${o === 'holds' ? '✅' : '❌'} **${verdict}**: ${count(checkedCount(r), 'binary', 'binaries')} checked against ` +
    `\`${md(r.plan.file).replace(/&#96;/g, "'")}\`: ` +
    `${s.passed} passed, ${s.failed} failed${s.unmatched ? `, ${s.unmatched} not in the plan` : ''}; ${count(s.errors, 'error')}, ` +
    `${count(s.warnings, 'warning')}${s.unanalysable ? `; ${s.unanalysable} could not be analysed` : ''}`, '');
  const related = groupBy(r.findings, (f) => f.primary);
  const byFile = new Map<string, string[]>();
  const planLevel: string[] = [];
  r.findings.forEach((f, i) => {
    if (f.primary !== undefined) return;
    const also = related.has(i) ? ` ${md(relatedNote(related.get(i)!))}` : '';
    const line = `${f.severity === 'error' ? '✗' : '!'} \`${f.rule}\`: ${md(describeFinding(f) + setByNote(f, r.plan.file))}${also}`;
    if (f.rule === 'artifact-missing' || f.rule === 'nothing-checked' || f.rule === 'archive-member') {
      planLevel.push(`- ${f.rule === 'archive-member' ? `${md(f.file)}: ` : ''}**${md(MESSAGES[f.rule].title)}**: ${line}`);
      return;
    }
    const g = byFile.get(f.file);
    if (g) g.push(line);
    else byFile.set(f.file, [line]);
  });
  const rows = r.binaries.filter((b) => byFile.has(b.file));
  if (rows.length) {
    out.push('| binary | artifact | findings |', '|---|---|---|');
    for (const b of rows.slice(0, MARKDOWN_MAX_ROWS)) {
      const artifacts = b.artifacts.length ? b.artifacts.map((a) => md(a)).join('<br>') : '—';
      out.push(`| ${md(b.file)} | ${artifacts} | ${byFile.get(b.file)!.slice(0, 20).join('<br>')} |`);
    }
    if (rows.length > MARKDOWN_MAX_ROWS) {
      out.push('', `… and ${(rows.length - MARKDOWN_MAX_ROWS).toLocaleString('en-US')} more binaries with findings (the JSON report lists every one)`);
    }
    out.push('');
  } else if (o === 'holds') out.push(MARKDOWN.allPass, '');
  if (planLevel.length) out.push(`### ${MARKDOWN.planLevel}`, '', ...planLevel, '');
  if (r.errors.length) {
    out.push(`### ${MARKDOWN.unanalysable}`, '', ...r.errors.slice(0, MARKDOWN_MAX_ROWS).map((e) => `- ${md(e.file)}: ${md(e.message)}`), '');
  }
  return out.join('\n');
}
