import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { limits } from '../../bytes/limits.js';

/** One Elf_Nhdr with its name and descriptor (gABI "Note Section"; 4-byte alignment, 8 for PT_NOTE p_align 8). */
export interface Note {
  owner: string;
  type: number;
  desc: Uint8Array;
}

export function readNotes(src: ByteSource, le: boolean, offset: number, size: number, align: number): Note[] {
  const len = Math.min(size, src.size - offset, limits.maxStructBytes);
  if (len <= 0) return [];
  const r = new Reader(src.read(offset, len, 'elf', 'notes'), le, 'elf', offset, 'note segment');
  const a = align === 8 ? 8 : 4;
  const pad = (n: number) => (n + a - 1) & ~(a - 1);
  const out: Note[] = [];
  let o = 0;
  while (o + 12 <= len && out.length < limits.maxNotes) {
    const namesz = r.u32(o), descsz = r.u32(o + 4), type = r.u32(o + 8);
    const nameOff = o + 12;
    const descOff = nameOff + pad(namesz);
    if (namesz > len || descsz > len || descOff + descsz > len) r.fail(o, `note at +${o} claims ${namesz}+${descsz} bytes, more than its segment holds`);
    const owner = namesz > 0 ? r.fixedStr(nameOff, namesz) : '';
    out.push({ owner, type, desc: r.bytes.subarray(descOff, descOff + descsz) });
    o = descOff + pad(descsz);
  }
  return out;
}
