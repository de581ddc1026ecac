/**
 * Why an archive (or one member) could not be read. `truncated`, `corrupt`, `bomb`, `limit` and `unsupported` stop
 * what they name; the caller reports one line naming the archive and member and goes on where the stream allows.
 */
export type ArchiveErrorCode = 'truncated' | 'corrupt' | 'bomb' | 'limit' | 'unsupported';

export class ArchiveError extends Error {
  /**
   * `local`: the error is one member's (a bad sparse map) and the stream is still where the next header begins, so
   * the archive's other members are read on, as a zip's are after one member's error.
   */
  constructor(readonly code: ArchiveErrorCode, readonly reason: string, readonly local = false) {
    super(reason);
    this.name = 'ArchiveError';
  }
}

export const isArchiveError = (e: unknown): e is ArchiveError => e instanceof ArchiveError;
