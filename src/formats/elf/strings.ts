import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import { decodeUtf8 } from '../../bytes/text.js';


/**
 * A string table read string by string (DT_STRTAB of a large library can be tens of MiB; we need a handful of
 * names from it). Every index is checked against the table's size.
 */
export class StringTable {
  constructor(
    private readonly src: ByteSource,
    readonly offset: number,
    readonly size: number,
    private readonly what: string,
  ) {}

  get(index: number): string {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new MalformedError('elf', this.offset, `${this.what}: string index ${index} is outside the table (${this.size} bytes)`);
    }
    let want = 256;
    for (;;) {
      const n = Math.min(want, this.size - index);
      const b = this.src.read(this.offset + index, n, 'elf', this.what);
      const z = b.indexOf(0);
      if (z >= 0) return decodeUtf8(b.subarray(0, z));
      if (n < want || n >= limits.maxStringBytes) {
        throw new MalformedError('elf', this.offset + index, `${this.what}: string at index ${index} is not NUL-terminated within ${n} bytes`);
      }
      want *= 4;
    }
  }
}
