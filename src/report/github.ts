import { describeFinding, setByNote, MESSAGES, relatedNote } from '../plan/messages.js';
import type { Finding } from '../plan/model.js';
import type { VerifyReport } from '../plan/model.js';
import { visible } from './text.js';

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
  const related = new Map<number, Finding[]>();
  for (const f of r.findings) if (f.primary !== undefined) related.set(f.primary, [...(related.get(f.primary) ?? []), f]);
  for (const [i, f] of r.findings.entries()) {
    if (f.primary !== undefined) continue;
    const cmd = f.severity === 'error' ? 'error' : 'warning';
    const title = `linkplan ${f.rule}: ${MESSAGES[f.rule].title}`;
    const where = f.slices ? ` [${f.slices.join(', ')}]` : '';
    out.push(`::${cmd} file=${prop(f.file)},title=${prop(title)}::${data(`${f.file}${where}: ${describeFinding(f)}${f.artifact ? ` (artifact ${f.artifact})` : ''}${setByNote(f, r.plan.file)}${related.has(i) ? ` ${relatedNote(related.get(i)!)}` : ''}`)}`);
  }
  for (const e of r.errors) out.push(`::error file=${prop(e.file)},title=${prop('linkplan: could not analyse')}::${data(`${e.file}: ${e.message}`)}`);
  const s = r.summary;
  out.push(`linkplan: ${s.binaries} binar${s.binaries === 1 ? 'y' : 'ies'} checked against ${visible(r.plan.file)}: ${s.passed} passed, ${s.failed} failed${s.unmatched ? `, ${s.unmatched} not in the plan` : ''}, ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}${s.unanalysable ? `, ${s.unanalysable} could not be analysed` : ''}`);
  return out.join('\n') + '\n';
}
