import type { DiffReport } from '../diff/model.js';
import { orderedChanges } from '../diff/index.js';
import { CHANGE_MESSAGES } from '../plan/messages.js';
import { data, prop } from './github.js';
import { changeLine, counts, noteLine, verdict } from './diff-words.js';

/**
 * `diff --format github`: a workflow annotation per regression (an error when it fails the gate, a warning when
 * the plan allows it or --fail-on leaves it out) and per file that could not be analysed, then the verdict.
 * Escaped as verify's annotations are (github.ts): sanitized, then the workflow-command escapes.
 */
export function renderDiffGithub(r: DiffReport): string {
  const out: string[] = [];
  for (const c of orderedChanges(r)) {
    if (c.severity !== 'regression') continue;
    const file = c.newPath ?? c.oldPath ?? c.file;
    const title = `linkplan diff ${c.kind}: ${CHANGE_MESSAGES[c.kind].title}`;
    out.push(`::${c.counts ? 'error' : 'warning'} file=${prop(file)},title=${prop(title)}::${data(`${c.file}: ${changeLine(c)}`)}`);
  }
  for (const n of r.notes) {
    out.push(`::notice file=${prop(n.file)},title=${prop('linkplan diff: not compared')}::${data(`${n.side}: ${n.file}: ${noteLine(n)}`)}`);
  }
  for (const e of r.errors) {
    out.push(`::error file=${prop(e.file)},title=${prop('linkplan diff: could not analyse')}::${data(`${e.side}: ${e.file}: ${e.message}`)}`);
  }
  out.push(data(`linkplan diff: ${verdict(r)}: ${r.old.input} → ${r.new.input}: ${counts(r)}`));
  return out.join('\n') + '\n';
}
