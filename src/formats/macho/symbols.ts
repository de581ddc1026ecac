import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { Reader } from '../../bytes/reader.js';
import { limits } from '../../bytes/limits.js';
import { latin1 } from '../../bytes/text.js';
import type { MachoFile } from './index.js';

/** n_type bits (mach-o/nlist.h). */
const N_STAB = 0xe0, N_TYPE = 0x0e, N_EXT = 0x01, N_UNDF = 0x0, N_WEAK_DEF = 0x0080;

export interface MachoSymbol {
  /** Without the leading underscore C names get on Darwin. */
  name: string;
  defined: boolean;
  binding: 'GLOBAL' | 'WEAK' | 'LOCAL';
}

/**
 * The LC_SYMTAB entries among `wanted` (C names, matched as `_name`). nsyms is checked against the bytes the image
 * has, entries are read in chunks, and the string table is read once, capped; names are compared in place.
 */
export function readMachoSymbols(src: ByteSource, m: MachoFile, wanted: ReadonlySet<string>): MachoSymbol[] {
  const st = m.lc.symtab;
  if (!st || st.nsyms === 0) return [];
  const base = m.header.offset, size = m.size;
  const entsize = m.header.is64 ? 16 : 12;
  if (st.symoff > size || st.nsyms > (size - st.symoff) / entsize) {
    throw new MalformedError('macho', base + st.symoff, `LC_SYMTAB: ${st.nsyms} symbols at ${st.symoff} run past the end of the image (${size} bytes)`);
  }
  if (st.nsyms > limits.maxSymbols) throw new MalformedError('macho', base + st.symoff, `LC_SYMTAB: more than ${limits.maxSymbols} symbols`);
  if (st.stroff > size) throw new MalformedError('macho', base + st.stroff, `LC_SYMTAB: string table at ${st.stroff} is past the end of the image`);
  const names = src.read(base + st.stroff, Math.min(st.strsize, size - st.stroff, limits.maxSymbolStringBytes), 'macho', 'symbol string table');
  const byLength = new Map<number, Set<string>>();
  for (const w of wanted) {
    const u = `_${w}`;
    let s = byLength.get(u.length);
    if (!s) byLength.set(u.length, s = new Set());
    s.add(u);
  }
  const out: MachoSymbol[] = [];
  for (let first = 0; first < st.nsyms; first += limits.symbolChunkEntries) {
    const k = Math.min(limits.symbolChunkEntries, st.nsyms - first);
    const at = base + st.symoff + first * entsize;
    const r = new Reader(src.read(at, k * entsize, 'macho', 'nlist'), m.header.le, 'macho', at, 'nlist');
    for (let i = 0; i < k; i++) {
      const o = i * entsize;
      const strx = r.u32(o), type = r.u8(o + 4), desc = r.u16(o + 6);
      if (type & N_STAB || strx === 0 || strx >= names.length) continue;
      const z = names.indexOf(0, strx);
      const len = (z < 0 ? names.length : z) - strx;
      const cands = byLength.get(len);
      if (!cands) continue;
      const name = latin1(names, strx, strx + len);
      if (!cands.has(name)) continue;
      const defined = (type & N_TYPE) !== N_UNDF;
      out.push({ name: name.slice(1), defined, binding: !(type & N_EXT) ? 'LOCAL' : desc & N_WEAK_DEF ? 'WEAK' : 'GLOBAL' });
    }
  }
  return out;
}

/** ULEB128 at `o`, as [value, next offset]; a value past 2^53 or a run past the end is malformed. */
function uleb(b: Uint8Array, o: number, what: string, base: number): [number, number] {
  let v = 0, mul = 1;
  for (let i = o; i < b.length; i++) {
    v += (b[i] & 0x7f) * mul;
    if (v > Number.MAX_SAFE_INTEGER) throw new MalformedError('macho', base + i, `${what}: ULEB128 out of range`);
    if (!(b[i] & 0x80)) return [v, i + 1];
    mul *= 128;
  }
  throw new MalformedError('macho', base + o, `${what}: ULEB128 runs past the end of the trie`);
}

/**
 * Exported names among `wanted`, from the exports trie (LC_DYLD_INFO export_off or LC_DYLD_EXPORTS_TRIE; dyld's
 * ExportTrie format in mach-o/loader.h: a node is a ULEB128 terminal size, that much terminal info, a child count,
 * then per child a NUL-terminated edge label and a ULEB128 node offset). What dyld binds against even when a
 * symbol table was stripped. Only edges that are prefixes of a wanted `_name` are followed, each node at most once
 * (a cyclic trie ends), and the trie is read once, capped.
 */
export function readMachoExports(src: ByteSource, m: MachoFile, wanted: ReadonlySet<string>): MachoSymbol[] {
  const t = m.lc.exportTrie;
  if (!t || t.datasize === 0) return [];
  if (t.dataoff > m.size || t.datasize > m.size - t.dataoff) {
    throw new MalformedError('macho', m.header.offset + t.dataoff, `exports trie (${t.datasize} bytes at ${t.dataoff}) runs past the end of the image`);
  }
  const base = m.header.offset + t.dataoff;
  const b = src.read(base, Math.min(t.datasize, limits.maxSymbolStringBytes), 'macho', 'exports trie');
  const prefixes = new Set<string>();
  const full = new Set<string>();
  for (const w of wanted) {
    const u = `_${w}`;
    full.add(u);
    for (let i = 1; i <= u.length; i++) prefixes.add(u.slice(0, i));
  }
  const out: MachoSymbol[] = [];
  const seen = new Set<number>();
  const stack: [number, string][] = [[0, '']];
  while (stack.length) {
    const [node, prefix] = stack.pop()!;
    if (seen.has(node) || node >= b.length) continue;
    seen.add(node);
    const [term, afterSize] = uleb(b, node, 'exports trie', base);
    if (term > 0 && full.has(prefix)) out.push({ name: prefix.slice(1), defined: true, binding: 'GLOBAL' });
    let o = afterSize + term;
    if (o >= b.length) continue;
    const children = b[o++];
    for (let i = 0; i < children; i++) {
      const z = b.indexOf(0, o);
      if (z < 0) throw new MalformedError('macho', base + o, 'exports trie: an edge label runs past the end of the trie');
      const label = latin1(b, o, z);
      const [child, next] = uleb(b, z + 1, 'exports trie', base);
      o = next;
      const name = prefix + label;
      if (prefixes.has(name)) stack.push([child, name]);
    }
  }
  return out;
}
