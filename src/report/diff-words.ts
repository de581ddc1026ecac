/** Words the diff renderers share: marks, the sentence of a change, the verdict and the counts. */
import type { Change, DiffNote, DiffReport } from '../diff/model.js';
import { diffOutcome } from '../diff/model.js';
import { describeChange } from '../plan/messages.js';

/** ✗ regression, ✓ improvement, · neutral. */
export const MARK: Record<Change['severity'], string> = { regression: '✗', improvement: '✓', neutral: '·' };

/** The sentence for a change, with its slice and whether the plan allows it or the gate leaves it out. */
export function changeLine(c: Change): string {
  const gate = c.allowed ? ' (allowed by the plan)' : c.counts ? '' : ' (not gated)';
  return `${c.slice ? `[${c.slice}] ` : ''}${describeChange(c)}${gate}`;
}

/** Why a file was not compared (DiffReport.notes). */
export function noteLine(n: DiffNote): string {
  switch (n.code) {
    case 'shadowed': return 'shadowed: a later member of the same name replaces it when the archive is extracted, and that one is compared';
  }
}

/** Every count of a summary written one way (1,500), whether it is a binary count or a change count. */
export const num = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

export function verdict(r: DiffReport): string {
  switch (diffOutcome(r)) {
    case 'same': return r.changes.length ? 'no change that fails the gate' : 'no linkage change';
    case 'changed': return 'linkage changed';
    case 'unanalysable': return 'could not analyse every file';
  }
}

/** One line of counts: binaries compared, what happened to them, the changes by class. */
export function counts(r: DiffReport): string {
  const s = r.summary;
  const what = [s.changed && `${num(s.changed)} changed`, s.added && `${num(s.added)} added`, s.removed && `${num(s.removed)} removed`,
    s.moved && `${num(s.moved)} moved`].filter(Boolean).join(', ');
  const classes = s.changes ? ` (${[s.regressions && plural(s.regressions, 'regression'), s.improvements && plural(s.improvements, 'improvement'),
    s.neutral && `${num(s.neutral)} neutral`].filter(Boolean).join(', ')})` : '';
  const allowed = s.allowed ? `, ${num(s.allowed)} allowed by the plan` : '';
  const gate = s.allowed || s.counted !== s.changes ? `; ${num(s.counted)} fail${s.counted === 1 ? 's' : ''} the gate${allowed}` : '';
  return `${plural(s.binaries, 'binary', 'binaries')}${what ? ` (${what})` : ''}; ${plural(s.changes, 'change')}${classes}${gate}` +
    `${s.errors ? `; ${plural(s.errors, 'file')} could not be analysed` : ''}`;
}
