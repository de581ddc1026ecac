import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { limits } from '../bytes/limits.js';
import { type ByteSource, checkRange } from '../bytes/source.js';
import './native-text.js';

const BLOCK = 4096;
const MAX_CACHED_BLOCKS = 256;
/** Reads spanning at most this many blocks go through the cache (one read for the missing run); larger ones go straight to the file. */
const MAX_SPAN_BLOCKS = 8;

/**
 * Block buffers of closed sources, reused by the next ones: inspecting thousands of files otherwise allocates
 * (and garbage-collects) tens of MiB of small ArrayBuffers. Bytes a source returned are valid until its close().
 */
const pool: Uint8Array[] = [];
const POOL_MAX = 1024;
const takeBlock = () => pool.pop() ?? new Uint8Array(BLOCK);
/** A run of missing blocks is read here, then copied into blocks: one buffer for every source (reads are synchronous). */
const scratch = new Uint8Array((MAX_SPAN_BLOCKS + 2) * BLOCK);
/**
 * readTransient()'s buffer, shared by every source and grown to the largest read asked (up to TRANSIENT_MAX; a larger
 * one is allocated). Over /usr's ELF files with --libs, a new zeroed MiB for each scan chunk was 0.1-0.3 ms a MiB.
 */
let transient = new Uint8Array(0);
const TRANSIENT_MAX = 4 * 1024 * 1024;

/**
 * Positional reads over a file descriptor (the Node edge of bytes/). The first `limits.headBytes` are read once:
 * headers, program headers and load commands almost always sit there. Other small reads go through a bounded
 * cache of 4 KiB blocks, so walking a string table or a version chain costs a few syscalls, not one per field.
 * Large reads go straight to the file. Memory stays bounded whatever the file says.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private readonly head: Uint8Array;
  private readonly blocks = new Map<number, Uint8Array>();
  reads = 0;
  bytesRead = 0;
  private constructor(
    private fd: number,
    readonly name: string,
  ) {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(st.isDirectory() ? 'is a directory' : 'not a regular file: not read');
    this.size = st.size;
    const n = Math.min(this.size, limits.headBytes);
    this.head = n <= BLOCK ? takeBlock().subarray(0, n) : new Uint8Array(n);
    this.fill(this.head, 0);
  }

  /**
   * Open a regular file. O_NONBLOCK: should the path have become a FIFO since it was stat'ed, opening it must not
   * wait for a writer (the fstat check then refuses it); on a regular file the flag changes nothing.
   */
  static open(path: string | Buffer, name = typeof path === 'string' ? path : path.toString()): FileSource {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      return new FileSource(fd, name);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private fill(buf: Uint8Array, offset: number): number {
    let done = 0;
    while (done < buf.length) {
      const n = readSync(this.fd, buf, done, buf.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    this.reads++;
    this.bytesRead += done;
    if (done < buf.length) buf.fill(0, done);
    return done;
  }

  private block(i: number): Uint8Array {
    let b = this.blocks.get(i);
    if (!b) {
      const start = i * BLOCK;
      b = takeBlock().subarray(0, Math.min(BLOCK, this.size - start));
      this.fill(b, start);
      if (this.blocks.size >= MAX_CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
      this.blocks.set(i, b);
    }
    return b;
  }

  /** Load blocks first..last that are not cached yet, with one read for the whole missing run. */
  private load(first: number, last: number): void {
    let a = first;
    while (a <= last && this.blocks.has(a)) a++;
    let b = last;
    while (b >= a && this.blocks.has(b)) b--;
    if (a > b) return;
    // One block more on each side, when not cached (nor in the head): a reader's next read is usually a neighbour —
    // ELF's section name table and .comment sit just before the section headers, .dynstr just after .dynamic —
    // and in a VM a syscall costs more than copying 4 KiB.
    const headBlocks = Math.ceil(this.head.length / BLOCK);
    if (a - 1 >= headBlocks && !this.blocks.has(a - 1)) a--;
    if ((b + 1) * BLOCK < this.size && !this.blocks.has(b + 1)) b++;
    const start = a * BLOCK;
    const buf = scratch.subarray(0, Math.min((b - a + 1) * BLOCK, this.size - start));
    this.fill(buf, start);
    for (let i = a; i <= b; i++) {
      if (this.blocks.has(i)) continue;
      const part = buf.subarray((i - a) * BLOCK, Math.min((i - a + 1) * BLOCK, buf.length));
      const blk = takeBlock().subarray(0, part.length);
      blk.set(part);
      if (this.blocks.size >= MAX_CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
      this.blocks.set(i, blk);
    }
  }

  read(offset: number, length: number, format = 'file', what = 'read'): Uint8Array {
    checkRange(this, offset, length, format, what);
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((offset + length - 1) / BLOCK);
    if (length > 0 && last - first < MAX_SPAN_BLOCKS) {
      this.load(first, last);
      if (first === last) return this.block(first).subarray(offset - first * BLOCK, offset - first * BLOCK + length);
      const out = new Uint8Array(length);
      let at = 0;
      for (let i = first; i <= last && at < length; i++) {
        const blk = this.block(i);
        const from = i === first ? offset - first * BLOCK : 0;
        const n = Math.min(blk.length - from, length - at);
        out.set(blk.subarray(from, from + n), at);
        at += n;
      }
      return out;
    }
    const buf = new Uint8Array(length);
    this.fill(buf, offset);
    return buf;
  }

  readTransient(offset: number, length: number, format = 'file', what = 'read'): Uint8Array {
    checkRange(this, offset, length, format, what);
    if (offset + length <= this.head.length || length <= MAX_SPAN_BLOCKS * BLOCK || length > TRANSIENT_MAX) return this.read(offset, length, format, what);
    if (transient.length < length) transient = new Uint8Array(Math.min(TRANSIENT_MAX, Math.max(length, transient.length * 2)));
    const buf = transient.subarray(0, length);
    this.fill(buf, offset);
    return buf;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    for (const b of [this.head, ...this.blocks.values()]) {
      if (b.buffer.byteLength === BLOCK && pool.length < POOL_MAX) pool.push(new Uint8Array(b.buffer));
    }
    this.blocks.clear();
  }
}
