import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { ElfHeader } from './header.js';
import { PT_LOAD } from './constants.js';

/** Elf32_Phdr / Elf64_Phdr (gABI ch. 5 "Program Header"). */
export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export function readProgramHeaders(src: ByteSource, h: ElfHeader, phnum: number): ProgramHeader[] {
  if (phnum === 0) return [];
  const entsize = h.is64 ? 56 : 32;
  if (h.phentsize < entsize) throw new MalformedError('elf', h.is64 ? 54 : 42, `e_phentsize ${h.phentsize} is smaller than a program header (${entsize})`);
  if (phnum > limits.maxProgramHeaders) throw new MalformedError('elf', h.is64 ? 56 : 44, `e_phnum ${phnum} exceeds the limit of ${limits.maxProgramHeaders}`);
  if (h.phoff >= src.size || phnum > (src.size - h.phoff) / h.phentsize) {
    throw new MalformedError('elf', h.phoff, `program header table (${phnum} × ${h.phentsize} bytes at ${h.phoff}) runs past the end `
      + `of the file (${src.size} bytes)`);
  }
  const r = new Reader(src.read(h.phoff, phnum * h.phentsize, 'elf', 'program headers'), h.le, 'elf', h.phoff, 'program header table');
  const out: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * h.phentsize;
    out.push(h.is64
      ? {
        type: r.u32(o), flags: r.u32(o + 4), offset: r.u64(o + 8), vaddr: r.addr64(o + 16), filesz: r.u64(o + 32), memsz: r.u64(o + 40),
        align: r.wordLo32(o + 48, true),
      }
      : { type: r.u32(o), offset: r.u32(o + 4), vaddr: r.u32(o + 8), filesz: r.u32(o + 16), memsz: r.u32(o + 20), flags: r.u32(o + 24), align: r.u32(o + 28) });
  }
  return out;
}

/** Map a virtual address to a file offset through the PT_LOAD segments (the only map a stripped file keeps). */
export function vaddrToOffset(phdrs: ProgramHeader[], addr: number): { offset: number; avail: number } | null {
  for (const p of phdrs) {
    if (p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz) {
      return { offset: p.offset + (addr - p.vaddr), avail: p.filesz - (addr - p.vaddr) };
    }
  }
  return null;
}
