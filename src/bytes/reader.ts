import { MalformedError } from './errors.js';

import { decodeRange } from './text.js';

/**
 * Bounds-checked little/big-endian reads over one slice. Every offset is relative to the slice and checked
 * against the slice's own length (never the underlying buffer's: that is music-metadata's DataView trap).
 * `base` is the slice's offset in the file, so errors name a file offset.
 */
export class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly format: string,
    readonly base = 0,
    readonly what = 'structure',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(off: number, reason: string): never {
    throw new MalformedError(this.format, this.base + off, reason);
  }

  check(off: number, n: number): void {
    // The usual case in one comparison chain (both whole numbers below 2^32, the span inside); the full test below
    // decides everything else, with the message.
    if ((off >>> 0) === off && (n >>> 0) === n && off + n <= this.bytes.length) return;
    if (!Number.isSafeInteger(off) || off < 0 || n < 0 || off > this.bytes.length || n > this.bytes.length - off) {
      this.fail(Number.isSafeInteger(off) && off >= 0 ? off : 0, `${this.what}: read of ${n} bytes at +${off} is outside its ${this.bytes.length} bytes`);
    }
  }

  u8(off: number): number {
    this.check(off, 1);
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    this.check(off, 2);
    return this.view.getUint16(off, this.le);
  }
  u32(off: number): number {
    this.check(off, 4);
    return this.view.getUint32(off, this.le);
  }
  i32(off: number): number {
    this.check(off, 4);
    return this.view.getInt32(off, this.le);
  }
  u64big(off: number): bigint {
    this.check(off, 8);
    return this.view.getBigUint64(off, this.le);
  }
  /** A 64-bit field as a number; values past 2^53 cannot be a real offset or size in a file we can read. */
  u64(off: number): number {
    this.check(off, 8);
    const lo = this.view.getUint32(this.le ? off : off + 4, this.le);
    const hi = this.view.getUint32(this.le ? off + 4 : off, this.le);
    if (hi >= 0x200000) this.fail(off, `${this.what}: 64-bit value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is out of range`);
    return hi * 0x100000000 + lo;
  }
  /**
   * A 64-bit address (ELF e_entry, p_vaddr, sh_addr, st_value): past 2^53 it is no offset, and a number cannot hold
   * it exactly, so it is NaN, which no range contains (a kernel image at 0xffffffff81000000, a core dump's vsyscall
   * page at 0xffffffffff600000 are real files; their offsets and sizes are still checked by u64).
   */
  addr64(off: number): number {
    this.check(off, 8);
    const lo = this.view.getUint32(this.le ? off : off + 4, this.le);
    const hi = this.view.getUint32(this.le ? off + 4 : off, this.le);
    return hi >= 0x200000 ? NaN : hi * 0x100000000 + lo;
  }
  /** Word-sized field: u32 for 32-bit formats, u64 for 64-bit ones. */
  word(off: number, is64: boolean): number {
    return is64 ? this.u64(off) : this.u32(off);
  }
  /** Low 32 bits of a word (flag fields whose high half is unused). */
  wordLo32(off: number, is64: boolean): number {
    if (!is64) return this.u32(off);
    this.check(off, 8);
    return this.le ? this.view.getUint32(off, true) : this.view.getUint32(off + 4, false);
  }

  /** NUL-terminated string starting at `off`, at most `max` bytes; unterminated within bounds is malformed. */
  cstr(off: number, max = 4096): string {
    this.check(off, 0);
    const end = Math.min(this.bytes.length, off + max);
    for (let i = off; i < end; i++) {
      if (this.bytes[i] === 0) return decodeRange(this.bytes, off, i);
    }
    return this.fail(off, `${this.what}: string at +${off} is not terminated within ${end - off} bytes`);
  }

  /** Fixed-size, NUL-padded string field (Mach-O segment names, PE section names). */
  fixedStr(off: number, n: number): string {
    this.check(off, n);
    let end = off;
    while (end < off + n && this.bytes[end] !== 0) end++;
    return decodeRange(this.bytes, off, end);
  }

  sub(off: number, n: number, what = this.what): Reader {
    this.check(off, n);
    return new Reader(this.bytes.subarray(off, off + n), this.le, this.format, this.base + off, what);
  }
}
