import { checkedCount } from '../plan/evaluate.js';
import { describeFinding, setByNote, MESSAGES, relatedNote } from '../plan/messages.js';
import type { Finding } from '../plan/model.js';
import type { VerifyReport } from '../plan/model.js';
import { count, visible } from './text.js';
import { groupBy } from './group.js';

// GitHub workflow commands: data escapes %, CR, LF; property values also escape ":" and ",". An annotation is read
// by people, so the text first goes through the sanitizer: ESC, U+2028 or a bidi override from a binary are shown
// escaped in the annotation as everywhere else (the workflow escapes alone would keep them raw).
export const data = (s: string) => visible(s, 4000).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * `verify --format github`: one workflow annotation per cause (a finding that shares its cause with another is named
 * in that one's annotation: docs/plan.md "One cause, one finding") and per file that could not be analysed.
 */
export function renderVerifyGithub(r: VerifyReport): string {
  const out: string[] = [];
  const related = groupBy(r.findings, (f) => f.primary);
  for (const [i, f] of r.findings.entries()) {
    if (f.primary !== undefined) continue;
    const cmd = f.severity === 'error' ? 'error' : 'warning';
    const title = `linkplan ${f.rule}: ${MESSAGES[f.rule].title}`;
    const where = f.slices ? ` [${f.slices.join(', ')}]` : '';
    const text = `${f.file}${where}: ${describeFinding(f)}${f.artifact ? ` (artifact ${f.artifact})` : ''}${setByNote(f, r.plan.file)}` +
      (related.has(i) ? ` ${relatedNote(related.get(i)!)}` : '');
    out.push(`::${cmd} file=${prop(f.file)},title=${prop(title)}::${data(text)}`);
  }
  for (const e of r.errors) out.push(`::error file=${prop(e.file)},title=${prop('linkplan: could not analyse')}::${data(`${e.file}: ${e.message}`)}`);
  const s = r.summary;
  out.push(`linkplan: ${count(checkedCount(r), 'binary', 'binaries')} checked against ${visible(r.plan.file)}: ${s.passed} passed, ${s.failed} failed` +
    `${s.unmatched ? `, ${s.unmatched} not in the plan` : ''}, ${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}` +
    `${s.unanalysable ? `, ${s.unanalysable} could not be analysed` : ''}`);
  return out.join('\n') + '\n';
}
