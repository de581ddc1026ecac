/** Messages between the page (main.ts) and the worker that reads the bytes (worker.ts): plain, cloneable data. */
import type { ArchiveKind, ArchiveNote, BinaryResult } from 'linkplan';

/** Which set of files a read is for: the files inspected, or one side of a diff. */
export type Side = 'main' | 'old' | 'new';

export interface ReadRequest { type: 'read'; batch: number; side: Side; files: File[] }
/** Stop a read: what it has not read yet is not read. */
export interface StopRequest { type: 'stop'; batch: number }

/** A link as inspectEntries reports it (report/model.ts SymlinkEntry). */
export interface Link { path: string; target: string; inTree: boolean; broken?: 'dangling' | 'loop'; hardlink?: true }

/**
 * What one dropped file (input `input`) held, as it is read. `result` is what `inspect` reports; `withLibs` the
 * same binary read with libraries too (what `audit`, `inspect --libs` and a plan with `libs` rules see), absent
 * when the entry was an error before any bytes were read. `input` comes first for each dropped file that could be
 * read: whether it is an archive (a tree of its own) or a file (beside the other files dropped).
 */
export type ReadEvent =
  | { kind: 'input'; input: number; archive: ArchiveKind | null }
  | { kind: 'result'; input: number; result: BinaryResult; withLibs?: BinaryResult; inner: string | null }
  | { kind: 'skipped'; input: number; path: string }
  | { kind: 'link'; input: number; link: Link }
  | { kind: 'note'; input: number; note: ArchiveNote };

export type WorkerMessage =
  | { type: 'events'; batch: number; events: ReadEvent[] }
  | { type: 'progress'; batch: number; read: number; total: number; file: string }
  | { type: 'done'; batch: number }
  | { type: 'failed'; batch: number; message: string };
