/**
 * `linkplan diff` as data: two builds' results in, a DiffReport out (paired binaries, changes with severity,
 * what gates the run). Browser-safe: the CLI reads the files, this only compares facts.
 */
import type { BinaryResult } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import { CHANGE_KINDS } from '../plan/enums.js';
import { compileGlob } from '../plan/glob.js';
import type { ChangeKind } from '../plan/model.js';
import { change, compareFacts, type RawChange } from './changes.js';
import { type Change, DIFF_SCHEMA_VERSION, type DiffBinary, type DiffReport } from './model.js';
import { pairResults, type PairOptions } from './pair.js';

export interface DiffOptions extends PairOptions {
  /** Kinds that fail the run, and `regressions` for every change of that class. Absent: every change counts. */
  failOn?: readonly string[] | null;
  /** A plan's `[diff] allow`: `kind` or `kind:glob` (the glob matches the change's subject). */
  allow?: readonly string[];
}

/** `--fail-on` and `allow` words besides the change kinds. */
export const FAIL_ON_CLASSES = ['regressions'] as const;

/** Why a --fail-on or allow entry is not one, or null. */
export function gateEntryProblem(entry: string, withGlob: boolean): string | null {
  const colon = entry.indexOf(':');
  const kind = withGlob && colon >= 0 ? entry.slice(0, colon) : entry;
  if (!(CHANGE_KINDS as readonly string[]).includes(kind) && (withGlob || !(FAIL_ON_CLASSES as readonly string[]).includes(kind))) {
    return `unknown change kind "${kind}"`;
  }
  return null;
}

function allowMatcher(allow: readonly string[]): (c: RawChange) => boolean {
  const rules = allow.map((e) => {
    const i = e.indexOf(':');
    if (i < 0) return { kind: e, glob: null };
    return { kind: e.slice(0, i), glob: compileGlob(e.slice(i + 1)) };
  });
  return (c) => rules.some((r) => r.kind === c.kind && (r.glob === null || (c.subject !== null && r.glob(c.subject))));
}

export function diffReports(olds: readonly BinaryResult[], news: readonly BinaryResult[], opts: DiffOptions = {}): DiffReport {
  const pairing = pairResults(olds, news, opts);
  const allowed = allowMatcher(opts.allow ?? []);
  const failOn = opts.failOn ?? null;
  const counts = (c: RawChange) => failOn === null || failOn.includes(c.kind) || (failOn.includes('regressions') && c.severity === 'regression');
  const binaries: DiffBinary[] = [];
  const changes: Change[] = [];
  const errors: DiffReport['errors'] = [];
  const add = (file: string, oldPath: string | null, newPath: string | null, cs: RawChange[]) => {
    for (const c of cs) {
      const a = allowed(c);
      changes.push({ ...c, file, oldPath, newPath, allowed: a, counts: !a && counts(c) } as Change);
    }
  };
  const fail = (side: 'old' | 'new', r: BinaryResult) => {
    if (isFailed(r)) errors.push({ side, file: r.path, code: r.error.code, message: r.error.message });
  };

  for (const p of pairing.pairs) {
    fail('old', p.old); fail('new', p.new);
    let cs: RawChange[] = [];
    let status: DiffBinary['status'];
    if (isFailed(p.new)) {
      status = 'error';
      if (!isFailed(p.old)) cs = [change('unreadable', { code: p.new.error.code, message: p.new.error.message }, p.new.error.code)];
    } else if (isFailed(p.old)) status = 'error';
    else {
      cs = compareFacts(p.old, p.new);
      status = cs.length ? 'changed' : 'same';
    }
    binaries.push({ file: p.key, oldPath: p.old.path, newPath: p.new.path, status });
    add(p.key, p.old.path, p.new.path, cs);
  }
  for (const m of pairing.moved) {
    binaries.push({ file: m.key, oldPath: m.old.path, newPath: m.new.path, status: 'moved' });
    add(m.key, m.old.path, m.new.path, [change('binary-moved', { from: m.oldName, to: m.key }, m.key)]);
  }
  // A file that could not be read is an error, not a binary removed or added; nor is what an unreadable file of the
  // other side may hold: an old binary a truncated new archive did not reach is unreadable now, not gone.
  for (const r of pairing.removed) {
    fail('old', r.old);
    const h = r.hiddenBy;
    binaries.push({ file: r.name, oldPath: r.old.path, newPath: null, status: isFailed(r.old) || h ? 'error' : 'removed' });
    if (h && isFailed(h)) add(r.name, r.old.path, null, [change('unreadable', { code: h.error.code, message: h.error.message }, h.error.code)]);
    else if (!isFailed(r.old)) add(r.name, r.old.path, null, [change('binary-removed', { format: r.old.format }, r.name)]);
  }
  for (const r of pairing.added) {
    fail('new', r.new);
    const known = !isFailed(r.new) && !r.hiddenBy;
    binaries.push({ file: r.key, oldPath: null, newPath: r.new.path, status: known ? 'added' : 'error' });
    if (known) add(r.key, null, r.new.path, [change('binary-added', { format: r.new.format }, r.key)]);
  }
  binaries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const n = (s: DiffBinary['status']) => binaries.filter((b) => b.status === s).length;
  const sev = (s: Change['severity']) => changes.filter((c) => c.severity === s).length;
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    old: { input: opts.oldRoot ?? '' },
    new: { input: opts.newRoot ?? '' },
    gate: { failOn: failOn ? [...failOn] : null, allow: [...(opts.allow ?? [])] },
    binaries,
    changes,
    errors,
    notes: pairing.shadowed.map((x) => ({ side: x.side, file: x.path, code: 'shadowed' as const })),
    summary: {
      binaries: binaries.length, changed: n('changed'), added: n('added'), removed: n('removed'), moved: n('moved'),
      changes: changes.length, regressions: sev('regression'), improvements: sev('improvement'), neutral: sev('neutral'),
      allowed: changes.filter((c) => c.allowed).length, counted: changes.filter((c) => c.counts).length, errors: errors.length,
    },
  };
}

/** Changes in reading order: by binary, regressions first, then improvements, then neutral ones. */
export function orderedChanges(r: DiffReport): Change[] {
  const rank = { regression: 0, improvement: 1, neutral: 2 } as const;
  return [...r.changes].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : rank[a.severity] - rank[b.severity]));
}

/** Binaries with changes, those with regressions first (a pull-request comment leads with what may break). */
export function changesByBinary(r: DiffReport): { file: string; changes: Change[] }[] {
  const m = new Map<string, Change[]>();
  for (const c of orderedChanges(r)) {
    const l = m.get(c.file);
    if (l) l.push(c);
    else m.set(c.file, [c]);
  }
  const worst = (cs: Change[]) => (cs.some((c) => c.severity === 'regression') ? 0 : 1);
  return [...m].map(([file, changes]) => ({ file, changes })).sort((a, b) => worst(a.changes) - worst(b.changes) || (a.file < b.file ? -1 : 1));
}

export type { ChangeKind };
export { compareFacts, fingerprint, SEVERITY, severityOf } from './changes.js';
export { pairKey, pairResults, isVersionFolder } from './pair.js';
export { DIFF_SCHEMA_VERSION, diffOutcome, type Change, type DiffReport, type DiffOutcome, type DiffBinary, type DiffNote } from './model.js';
