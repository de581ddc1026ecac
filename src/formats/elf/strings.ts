import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { budget, limits } from '../../bytes/limits.js';
import { decodeUtf8 } from '../../bytes/text.js';


/**
 * A string table read string by string (DT_STRTAB of a large library can be tens of MiB; we need a handful of
 * names from it). Every index is checked against the table's size. Strings already read are kept, and what the
 * table hands out in total is capped (`limits.maxStringTableBytes`): a hostile dynamic section or version chain
 * can name one long string from thousands of entries.
 */
export class StringTable {
  private readonly seen = new Map<number, string>();
  private left: number;
  constructor(
    private readonly src: ByteSource,
    readonly offset: number,
    readonly size: number,
    private readonly what: string,
  ) {
    this.left = budget(limits.maxStringTableBytes, src.size);
  }

  private charge(n: number, index: number): void {
    this.left -= n;
    if (this.left < 0) {
      throw new MalformedError('elf', this.offset + index, `${this.what}: more than ${budget(limits.maxStringTableBytes, this.src.size)} `
        + 'bytes of strings requested (entries naming the same long strings over and over)');
    }
  }

  get(index: number): string {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new MalformedError('elf', this.offset, `${this.what}: string index ${index} is outside the table (${this.size} bytes)`);
    }
    const known = this.seen.get(index);
    if (known !== undefined) {
      this.charge(known.length + 1, index);
      return known;
    }
    let want = 64;
    for (;;) {
      const n = Math.min(want, this.size - index);
      this.charge(n, index);
      const b = this.src.read(this.offset + index, n, 'elf', this.what);
      const z = b.indexOf(0);
      if (z >= 0) {
        const s = decodeUtf8(b.subarray(0, z));
        this.seen.set(index, s);
        return s;
      }
      if (n < want || n >= limits.maxStringBytes) {
        throw new MalformedError('elf', this.offset + index, `${this.what}: string at index ${index} is not NUL-terminated within ${n} bytes`);
      }
      want *= 4;
    }
  }
}
