import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { Image } from './sections.js';
import { IMAGE_IMPORT_DESCRIPTOR_SIZE, IMAGE_ORDINAL_FLAG32, IMAGE_ORDINAL_FLAG64_HI, PE_LIMITS } from './constants.js';

/** One imported function: by name (with its hint) or by ordinal. */
export interface ImportedSymbol {
  name: string | null;
  hint: number | null;
  ordinal: number | null;
}

/** One IMAGE_IMPORT_DESCRIPTOR (or delay-load descriptor) with the DLL name and its functions, as written. */
export interface ImportedDll {
  dll: string;
  symbols: ImportedSymbol[];
  /** Descriptor TimeDateStamp non-zero: the IAT was bound ahead of time (bind.exe / old linkers). */
  bound: boolean;
  /** RVA of the descriptor, for tests that locate the structure. */
  descriptorRva: number;
}

/**
 * A thunk array (Import Lookup Table / Import Name Table): 32- or 64-bit entries up to a zero entry. The high bit
 * marks an ordinal (low 16 bits); otherwise bits 30..0 are the RVA of a Hint/Name entry (u16 hint, name).
 * `toRva` turns a hint/name pointer into an RVA (identity, except in VA-based VC6 delay descriptors).
 */
export function readThunks(img: Image, rva: number, is64: boolean, what: string, toRva?: (v: number) => number): ImportedSymbol[] {
  const size = is64 ? 8 : 4;
  const out: ImportedSymbol[] = [];
  for (let at = rva; ; ) {
    const avail = Math.floor(img.available(at) / size);
    if (avail === 0) {
      throw new MalformedError('pe', 0, `${what}: thunk table at RVA 0x${rva.toString(16)} runs past its section without a terminating zero entry`);
    }
    const n = Math.min(avail, PE_LIMITS.chunkEntries);
    // One bounds-checked read of the chunk; the entries are then taken from its bytes (PE is little-endian).
    const b = img.read(at, n * size, what);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      let ordinal: number | null = null, nameRva = 0;
      const lo = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
      if (is64) {
        // The low word holds the ordinal or the name RVA, bit 63 (the high word's top bit) the flag.
        const hi = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
        if (lo === 0 && hi === 0) return out;
        if (hi & IMAGE_ORDINAL_FLAG64_HI) ordinal = lo & 0xffff;
        else nameRva = lo & 0x7fffffff;
      } else {
        if (lo === 0) return out;
        if (lo & IMAGE_ORDINAL_FLAG32) ordinal = lo & 0xffff;
        else nameRva = lo & 0x7fffffff;
      }
      if (out.length >= limits.maxImportsPerDll) {
        throw new MalformedError('pe', img.offsetOf(at), `${what}: more than ${limits.maxImportsPerDll} imported functions`);
      }
      // Descriptors may share one thunk table: the per-DLL limit alone would allow descriptors × 65,536 reads.
      if (--img.importsLeft < 0) {
        throw new MalformedError('pe', img.offsetOf(at),
          `${what}: more imported functions in all than a file of this size can hold (descriptors sharing thunk tables)`);
      }
      if (ordinal !== null) out.push({ name: null, hint: null, ordinal });
      else {
        const name = img.hintName(toRva ? toRva(nameRva) : nameRva, what);
        out.push({ name, hint: img.hint, ordinal: null });
      }
    }
    at += n * size;
  }
}

/**
 * The import directory: IMAGE_IMPORT_DESCRIPTORs (OriginalFirstThunk, TimeDateStamp, ForwarderChain, Name,
 * FirstThunk). The Windows loader walks them while Name and FirstThunk are non-zero (the directory's Size is not
 * trusted; real files get it wrong), so do we. Functions come from the ILT (OriginalFirstThunk), or from the IAT when
 * there is no ILT (old Borland-style images, where the on-disk IAT still holds the hint/name pointers).
 */
export function readImports(img: Image, rva: number, is64: boolean): ImportedDll[] {
  const out: ImportedDll[] = [];
  for (let at = rva; ; ) {
    const avail = Math.floor(img.available(at) / IMAGE_IMPORT_DESCRIPTOR_SIZE);
    if (avail === 0) throw new MalformedError('pe', 0, `import directory at RVA 0x${rva.toString(16)} runs past its section without a terminating descriptor`);
    const n = Math.min(avail, PE_LIMITS.chunkEntries);
    const r = img.reader(at, n * IMAGE_IMPORT_DESCRIPTOR_SIZE, 'import directory');
    for (let i = 0; i < n; i++) {
      const o = i * IMAGE_IMPORT_DESCRIPTOR_SIZE;
      const ilt = r.u32(o), stamp = r.u32(o + 4), name = r.u32(o + 12), iat = r.u32(o + 16);
      if (name === 0 || iat === 0) return out;
      if (out.length >= limits.maxImportDescriptors) r.fail(o, `more than ${limits.maxImportDescriptors} import descriptors`);
      const dll = img.cstr(name, 'import DLL name', PE_LIMITS.maxNameBytes);
      const symbols = readThunks(img, ilt !== 0 ? ilt : iat, is64, `imports from ${dll}`);
      out.push({ dll, symbols, bound: stamp !== 0, descriptorRva: at + o });
    }
    at += n * IMAGE_IMPORT_DESCRIPTOR_SIZE;
  }
}
