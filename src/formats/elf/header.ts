import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB } from './constants.js';

/** Elf32_Ehdr / Elf64_Ehdr (gABI ch. 4 "ELF Header"). */
export interface ElfHeader {
  is64: boolean;
  le: boolean;
  osabi: number;
  abiVersion: number;
  type: number;
  machine: number;
  /** e_entry; NaN past 2^53 (entryHex has it then). */
  entry: number;
  /** e_entry as hex, where a number cannot hold it exactly. */
  entryHex?: string;
  phoff: number;
  shoff: number;
  flags: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export function readHeader(src: ByteSource): ElfHeader {
  if (src.size < 16) throw new MalformedError('elf', 0, `file is ${src.size} bytes, shorter than e_ident (16)`);
  const ident = src.read(0, 16, 'elf', 'e_ident');
  const cls = ident[4], data = ident[5];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw new MalformedError('elf', 4, `EI_CLASS ${cls} is neither ELFCLASS32 nor ELFCLASS64`);
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) throw new MalformedError('elf', 5, `EI_DATA ${data} is neither ELFDATA2LSB nor ELFDATA2MSB`);
  const is64 = cls === ELFCLASS64;
  const le = data === ELFDATA2LSB;
  const size = is64 ? 64 : 52;
  const r = new Reader(src.read(0, size, 'elf', 'ELF header'), le, 'elf', 0, 'ELF header');
  const h: ElfHeader = is64
    ? {
        is64, le, osabi: ident[7], abiVersion: ident[8], type: r.u16(16), machine: r.u16(18), entry: r.addr64(24),
        phoff: r.u64(32), shoff: r.u64(40), flags: r.u32(48), phentsize: r.u16(54), phnum: r.u16(56),
        shentsize: r.u16(58), shnum: r.u16(60), shstrndx: r.u16(62),
      }
    : {
        is64, le, osabi: ident[7], abiVersion: ident[8], type: r.u16(16), machine: r.u16(18), entry: r.u32(24),
        phoff: r.u32(28), shoff: r.u32(32), flags: r.u32(36), phentsize: r.u16(42), phnum: r.u16(44),
        shentsize: r.u16(46), shnum: r.u16(48), shstrndx: r.u16(50),
      };
  if (Number.isNaN(h.entry)) h.entryHex = `0x${r.u64big(24).toString(16)}`;
  return h;
}
