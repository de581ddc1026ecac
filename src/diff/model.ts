/** The `linkplan diff` report: plain data, no prose (CHANGE_MESSAGES in plan/messages.ts words it). */
import type { ChangeArgs, ChangeKind, ChangeSeverity } from '../plan/model.js';

export type { ChangeArgs, ChangeKind, ChangeSeverity };

export interface Change<K extends ChangeKind = ChangeKind> {
  kind: K;
  severity: ChangeSeverity;
  /** The binary as paired: its path inside the new input (the old one for a removed binary), normalized. */
  file: string;
  /** The file as each side named it (null on the side where it is absent). */
  oldPath: string | null;
  newPath: string | null;
  /** Universal Mach-O: the slice (Apple arch name) the change is about. */
  slice?: string;
  /** What a plan's `kind:glob` allow entry matches: the library, entry, feature, floor or arch it is about. */
  subject: string | null;
  args: ChangeArgs[K];
  /** A plan's `[diff] allow` lists it. */
  allowed: boolean;
  /** It fails the run (exit 1): not allowed, and --fail-on (when given) names it. */
  counts: boolean;
}

/** How a binary of either side fared: paired and equal, paired and changed, only on one side, moved, or unreadable. */
export type PairStatus = 'same' | 'changed' | 'added' | 'removed' | 'moved' | 'error';

export interface DiffNote {
  side: 'old' | 'new';
  file: string;
  code: 'shadowed';
}

export interface DiffBinary {
  file: string;
  oldPath: string | null;
  newPath: string | null;
  status: PairStatus;
}

/** Version of the `diff --format json` shape (schema/diff.schema.json); bumped on any incompatible change. */
export const DIFF_SCHEMA_VERSION = 1;

export interface DiffReport {
  schemaVersion: typeof DIFF_SCHEMA_VERSION;
  old: { input: string };
  new: { input: string };
  /** What gated the run: --fail-on (null: every change counts) and the plan's allow entries. */
  gate: { failOn: string[] | null; allow: string[] };
  binaries: DiffBinary[];
  changes: Change[];
  /** Files that could not be analysed on either side: the run cannot vouch for them (exit 2). */
  errors: { side: 'old' | 'new'; file: string; code: string; message: string }[];
  /** What the run did not compare, and why: `shadowed`, an archive member a later one of the same name replaces. */
  notes: DiffNote[];
  summary: {
    binaries: number; changed: number; added: number; removed: number; moved: number;
    changes: number; regressions: number; improvements: number; neutral: number; allowed: number; counted: number; errors: number;
  };
}

/** same: nothing counts (exit 0); changed: a change counts (exit 1); unanalysable: a file could not be read (exit 2). */
export type DiffOutcome = 'same' | 'changed' | 'unanalysable';

export function diffOutcome(r: DiffReport): DiffOutcome {
  if (r.errors.length) return 'unanalysable';
  return r.changes.some((c) => c.counts) ? 'changed' : 'same';
}
