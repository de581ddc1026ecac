import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { ByteSource } from '../../bytes/source.js';
import { latin1 } from '../../bytes/text.js';

/** One COFF symbol a caller asked for (PE Format, "COFF Symbol Table"). */
export interface CoffSymbol {
  name: string;
  /** SectionNumber > 0: defined in this image; 0 (IMAGE_SYM_UNDEFINED) or negative: not. */
  defined: boolean;
  /** StorageClass IMAGE_SYM_CLASS_EXTERNAL (2) is global; IMAGE_SYM_CLASS_STATIC (3) and the rest local. */
  binding: 'GLOBAL' | 'LOCAL';
}

const RECORD = 18;
const IMAGE_SYM_CLASS_EXTERNAL = 2;
const IMAGE_FILE_MACHINE_I386 = 0x14c;

/**
 * The COFF symbol table an unstripped image (MinGW's, typically) keeps at PointerToSymbolTable: NumberOfSymbols
 * 18-byte records (Name[8] — or 0 and a string-table offset —, Value, SectionNumber, Type, StorageClass,
 * NumberOfAuxSymbols), then the string table, whose first u32 is its own size. Only the names in `wanted` are kept,
 * and one whose __imp_ slot is there too is an import's thunk (defined: false);
 * records are read in chunks; counts are checked against the bytes left before anything is read. On i386 a C name
 * carries a leading underscore, which is dropped to compare with the other formats' names.
 */
export function readCoffSymbols(src: ByteSource, pointer: number, count: number, machine: number, wanted: ReadonlySet<string>): CoffSymbol[] {
  if (pointer === 0 || count === 0) return [];
  if (count > limits.maxSymbols) throw new MalformedError('pe', pointer, `NumberOfSymbols ${count} exceeds the limit of ${limits.maxSymbols}`);
  if (pointer > src.size || count > (src.size - pointer) / RECORD) {
    throw new MalformedError('pe', pointer, `COFF symbol table (${count} × ${RECORD} bytes at ${pointer}) runs past the end of the file (${src.size} bytes)`);
  }
  const strAt = pointer + count * RECORD;
  let strings: Uint8Array = new Uint8Array(0);
  if (strAt + 4 <= src.size) {
    const h = src.read(strAt, 4, 'pe', 'COFF string table size');
    const size = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
    if (size > 4 && size <= src.size - strAt && size <= limits.maxSymbolStringBytes) strings = src.read(strAt, size, 'pe', 'COFF string table');
  }
  const strip = machine === IMAGE_FILE_MACHINE_I386;
  const out: CoffSymbol[] = [];
  const thunks = new Set<string>();
  for (let at = 0; at < count; at += limits.symbolChunkEntries) {
    const n = Math.min(limits.symbolChunkEntries, count - at);
    const b = src.read(pointer + at * RECORD, n * RECORD, 'pe', 'COFF symbol table');
    for (let i = 0; i < n; i++) {
      const o = i * RECORD;
      let name: string;
      if (b[o] === 0 && b[o + 1] === 0 && b[o + 2] === 0 && b[o + 3] === 0) {
        const off = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
        if (off < 4 || off >= strings.length) continue;
        const end = strings.indexOf(0, off);
        name = latin1(strings, off, end < 0 ? strings.length : end);
      } else {
        const z = b.subarray(o, o + 8).indexOf(0);
        name = latin1(b, o, o + (z < 0 ? 8 : z));
      }
      // __imp_X is the import address table slot of an imported X: X itself, where defined, is the jmp *__imp_X stub
      // an import library (libz.dll.a) put in .text, not a copy of X.
      if (name.startsWith('__imp_')) {
        let of = name.slice(6);
        if (strip && of.startsWith('_')) of = of.slice(1);
        if (wanted.has(of)) thunks.add(of);
      }
      if (strip && name.startsWith('_')) name = name.slice(1);
      if (wanted.has(name)) {
        const section = (b[o + 12] | (b[o + 13] << 8)) << 16 >> 16;
        out.push({ name, defined: section > 0, binding: b[o + 16] === IMAGE_SYM_CLASS_EXTERNAL ? 'GLOBAL' : 'LOCAL' });
      }
      // Auxiliary records follow their symbol and are no symbols themselves.
      i += b[o + 17];
    }
  }
  for (const x of out) if (thunks.has(x.name)) x.defined = false;
  return out;
}
