import type { BinaryResult } from '../facts/types.js';

/** Version of the JSON output shape; bumped on any incompatible change (README "JSON schema"). */
export const SCHEMA_VERSION = 1;

export interface SymlinkEntry {
  path: string;
  target: string;
  /** Whether the link resolves inside the tree being inspected (its target is then inspected at its own path). */
  inTree: boolean;
  /** Present only when the link does not resolve: its target is missing, or it is part of a loop. */
  broken?: 'dangling' | 'loop';
  /** Present for an archive's hard link (tar type 1): it names another member, not a path. */
  hardlink?: true;
}

export type { ArchiveNote } from '../facts/types.js';
import type { ArchiveNote } from '../facts/types.js';

export interface InspectReport {
  binaries: BinaryResult[];
  symlinks: SymlinkEntry[];
  /** Archive members reported rather than obeyed; empty without archives. */
  notes: ArchiveNote[];
  /** Regular files passed over because their first bytes are not ELF, PE or Mach-O. */
  skipped: number;
}

export interface RenderOptions {
  /** Terminal width in columns; tables pick their orientation from it. */
  width?: number;
  color?: boolean;
}
