/** The one error a format reader may raise on bad input: which format, where, and what was wrong. */
export class MalformedError extends Error {
  override readonly name = 'MalformedError';
  constructor(
    readonly format: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${format}: ${reason} (at offset ${offset})`);
  }
}

export function isMalformed(e: unknown): e is MalformedError {
  return e instanceof MalformedError;
}
