import { MalformedError } from './errors.js';

/**
 * Positional reads over something with a known size. The core only ever asks for byte ranges; a file-backed
 * source (bytes/file-source.ts, Node only) and an in-memory one (here, browser-safe) implement it.
 */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`, or a MalformedError when the range is not inside the source. */
  read(offset: number, length: number, format?: string, what?: string): Uint8Array;
  /**
   * As read(), but the bytes are valid only until the next readTransient() of any source: a reader that is done with
   * them at once (the version-string scan decodes each chunk as it comes) lets the source reuse one buffer for them
   * rather than allocate and zero a new one each time. Optional: without it, read().
   */
  readTransient?(offset: number, length: number, format?: string, what?: string): Uint8Array;
}

export function checkRange(src: { size: number; name: string }, offset: number, length: number, format: string, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new MalformedError(format, Math.max(0, Number.isFinite(offset) ? offset : 0), `${what}: invalid range ${offset}+${length}`);
  }
  if (offset > src.size || length > src.size - offset) {
    throw new MalformedError(format, offset, `${what} (${length} bytes at ${offset}) runs past the end of the file (${src.size} bytes)`);
  }
}

export class MemorySource implements ByteSource {
  readonly size: number;
  reads = 0;
  bytesRead = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly name = '<memory>',
  ) {
    this.size = bytes.length;
  }
  read(offset: number, length: number, format = 'file', what = 'read'): Uint8Array {
    checkRange(this, offset, length, format, what);
    this.reads++;
    this.bytesRead += length;
    return this.bytes.subarray(offset, offset + length);
  }
}
