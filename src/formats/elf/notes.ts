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
  // LLVM and the Linux kernel agree: the descriptor starts at the header+name rounded up to the note's alignment
  // (4, or 8 for 8-aligned PT_NOTE such as .note.gnu.property), and the next note at desc end rounded up the same.
  const a = align === 8 ? 8 : 4;
  const pad = (n: number) => Math.ceil(n / a) * a;
  const out: Note[] = [];
  let o = 0;
  while (o + 12 <= len && out.length < limits.maxNotes) {
    const namesz = r.u32(o), descsz = r.u32(o + 4), type = r.u32(o + 8);
    if (namesz > len || descsz > len) r.fail(o, `note at +${o} claims ${namesz}+${descsz} bytes, more than its segment holds`);
    const descOff = o + pad(12 + namesz);
    const end = descOff + descsz;
    if (end > len) r.fail(o, `note at +${o} claims ${namesz}+${descsz} bytes, more than its segment holds`);
    const owner = namesz > 0 ? r.fixedStr(o + 12, namesz) : '';
    out.push({ owner, type, desc: r.bytes.subarray(descOff, end) });
    o = pad(end);
  }
  return out;
}
