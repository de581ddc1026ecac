/**
 * A dropped File as a ByteSource: positional reads, synchronous as the core's readers want them, through
 * FileReaderSync (workers only). Like node/file-source.ts, small reads come from a few cached 64 KiB blocks, so a
 * reader walking a header table does not pay one read per field; the file itself is never loaded whole.
 */
import { checkRange, type ByteSource } from 'linkplan';

// FileReaderSync is in the webworker typings, which cannot be combined with the DOM ones this project compiles with.
declare const FileReaderSync: { new(): { readAsArrayBuffer(b: Blob): ArrayBuffer } };

const BLOCK = 64 * 1024;
const BLOCKS = 16;

export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly reader = new FileReaderSync();
  private readonly cache = new Map<number, Uint8Array>();

  constructor(private readonly blob: Blob, readonly name: string) {
    this.size = blob.size;
  }

  /** Bytes actually read from the file so far (for the progress bar). */
  bytesRead = 0;

  private slice(offset: number, length: number): Uint8Array {
    this.bytesRead += length;
    return new Uint8Array(this.reader.readAsArrayBuffer(this.blob.slice(offset, offset + length)));
  }

  private block(i: number): Uint8Array {
    let b = this.cache.get(i);
    if (b) {
      this.cache.delete(i);
    } else {
      b = this.slice(i * BLOCK, Math.min(BLOCK, this.size - i * BLOCK));
      if (this.cache.size >= BLOCKS) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(i, b); // most recently used last
    return b;
  }

  read(offset: number, length: number, format = 'file', what = 'read'): Uint8Array {
    checkRange(this, offset, length, format, what);
    const first = Math.floor(offset / BLOCK), last = Math.floor((offset + Math.max(length, 1) - 1) / BLOCK);
    if (length > BLOCK) return this.slice(offset, length);
    if (first === last) return this.block(first).subarray(offset - first * BLOCK, offset - first * BLOCK + length);
    const out = new Uint8Array(length);
    const a = this.block(first).subarray(offset - first * BLOCK);
    out.set(a);
    out.set(this.block(last).subarray(0, length - a.length), a.length);
    return out;
  }
}
