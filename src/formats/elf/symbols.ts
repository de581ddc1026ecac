import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { Reader } from '../../bytes/reader.js';
import { limits } from '../../bytes/limits.js';
import { latin1 } from '../../bytes/text.js';
import type { ElfHeader } from './header.js';
import type { SectionHeader } from './section-headers.js';
import { SHN_UNDEF, SHT_DYNSYM, SHT_NOBITS, SHT_SYMTAB, STB_NAMES, STV_NAMES } from './constants.js';

/** One Elf32_Sym / Elf64_Sym whose name was asked for. */
export interface ElfSymbol {
  name: string;
  table: '.symtab' | '.dynsym';
  defined: boolean;
  binding: string;
  visibility: string;
  /** st_value and st_shndx, to find a defined object's bytes (a version string a symbol names). */
  value: number;
  shndx: number;
  size: number;
}

export interface ElfSymbols {
  /** Which tables were there: .symtab (every symbol, unless stripped) and .dynsym (exported and imported ones). */
  tables: ('.symtab' | '.dynsym')[];
  /** Entries walked across the tables. */
  count: number;
  symbols: ElfSymbol[];
}

/**
 * The symbols named in `wanted`, from .symtab and .dynsym. Names are compared in the string table's bytes: only
 * those whose length is a wanted length are decoded, so a table of a million names costs one pass and no million
 * strings. Entries are read in chunks; each count is checked against the bytes the file has before any loop.
 */
export function readElfSymbols(src: ByteSource, h: ElfHeader, sections: SectionHeader[], wanted: ReadonlySet<string>): ElfSymbols {
  const byLength = new Map<number, Set<string>>();
  for (const w of wanted) {
    let s = byLength.get(w.length);
    if (!s) byLength.set(w.length, s = new Set());
    s.add(w);
  }
  const entsize = h.is64 ? 24 : 16;
  const out: ElfSymbols = { tables: [], count: 0, symbols: [] };
  for (const sec of sections) {
    if ((sec.type !== SHT_SYMTAB && sec.type !== SHT_DYNSYM) || sec.size === 0) continue;
    const table = sec.type === SHT_SYMTAB ? '.symtab' : '.dynsym';
    if (out.tables.includes(table)) continue;
    if (sec.offset > src.size || sec.size > src.size - sec.offset) {
      throw new MalformedError('elf', sec.offset, `${table} (${sec.size} bytes at ${sec.offset}) runs past the end of the file (${src.size} bytes)`);
    }
    const n = Math.floor(sec.size / entsize);
    if (out.count + n > limits.maxSymbols) throw new MalformedError('elf', sec.offset, `${table}: more than ${limits.maxSymbols} symbols`);
    const strs = sections[sec.link];
    if (!strs || strs.type === SHT_NOBITS || strs.offset > src.size) {
      throw new MalformedError('elf', sec.offset, `${table}: sh_link ${sec.link} is not a string table`);
    }
    const strLen = Math.min(strs.size, src.size - strs.offset, limits.maxSymbolStringBytes);
    const names = src.read(strs.offset, strLen, 'elf', `${table} string table`);
    out.tables.push(table);
    out.count += n;
    for (let first = 0; first < n; first += limits.symbolChunkEntries) {
      const k = Math.min(limits.symbolChunkEntries, n - first);
      const base = sec.offset + first * entsize;
      const r = new Reader(src.read(base, k * entsize, 'elf', table), h.le, 'elf', base, table);
      for (let i = 0; i < k; i++) {
        const o = i * entsize;
        const nameOff = r.u32(o);
        if (nameOff === 0 || nameOff >= names.length) continue;
        const z = names.indexOf(0, nameOff);
        const len = (z < 0 ? names.length : z) - nameOff;
        const candidates = byLength.get(len);
        if (!candidates) continue;
        const name = latin1(names, nameOff, nameOff + len);
        if (!candidates.has(name)) continue;
        const info = h.is64 ? r.u8(o + 4) : r.u8(o + 12);
        const other = h.is64 ? r.u8(o + 5) : r.u8(o + 13);
        const shndx = h.is64 ? r.u16(o + 6) : r.u16(o + 14);
        const value = h.is64 ? r.addr64(o + 8) : r.u32(o + 4);
        const size = h.is64 ? r.u64(o + 16) : r.u32(o + 8);
        out.symbols.push({
          name, table, defined: shndx !== SHN_UNDEF, binding: STB_NAMES[info >> 4] ?? `STB_${info >> 4}`,
          visibility: STV_NAMES[other & 3], value, shndx, size,
        });
      }
    }
  }
  return out;
}
