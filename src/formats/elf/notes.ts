import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { limits } from '../../bytes/limits.js';

/** One Elf_Nhdr with its name and descriptor (gABI "Note Section"; 4-byte alignment, 8 for PT_NOTE p_align 8). */
export interface Note {
  owner: string;
  type: number;
  desc: Uint8Array;
}

/**
 * What is left to read across all note segments of a file: thousands of PT_NOTE headers may name one large
 * region, so the ceilings hold per file, not per segment.
 */
export interface NoteBudget {
  bytes: number;
  notes: number;
}

export const noteBudget = (): NoteBudget => ({ bytes: limits.maxNoteBytes, notes: limits.maxNotes });

/**
 * The notes of one segment or section, while `budget` lasts. Reading stops quietly at the budget: real note
 * segments are a few hundred bytes, and the notes we use (build-id, ABI tag) come first.
 */
export function readNotes(src: ByteSource, le: boolean, offset: number, size: number, align: number, budget: NoteBudget = noteBudget()): Note[] {
  const whole = Math.min(size, src.size - offset);
  const len = Math.min(whole, budget.bytes);
  if (len <= 0 || budget.notes <= 0) return [];
  // Cut short by the budget: a note running past the cut ends the walk instead of making the segment malformed.
  const cut = len < whole;
  budget.bytes -= len;
  const r = new Reader(src.read(offset, len, 'elf', 'notes'), le, 'elf', offset, 'note segment');
  // LLVM and the Linux kernel agree: the descriptor starts at the header+name rounded up to the note's alignment
  // (4, or 8 for 8-aligned PT_NOTE such as .note.gnu.property), and the next note at desc end rounded up the same.
  const a = align === 8 ? 8 : 4;
  const pad = (n: number) => Math.ceil(n / a) * a;
  const out: Note[] = [];
  let o = 0;
  while (o + 12 <= len && budget.notes > 0) {
    const namesz = r.u32(o), descsz = r.u32(o + 4), type = r.u32(o + 8);
    if ((namesz > len || descsz > len) && cut) break;
    if (namesz > len || descsz > len) r.fail(o, `note at +${o} claims ${namesz}+${descsz} bytes, more than its segment holds`);
    const descOff = o + pad(12 + namesz);
    const end = descOff + descsz;
    if (end > len && cut) break;
    if (end > len) r.fail(o, `note at +${o} claims ${namesz}+${descsz} bytes, more than its segment holds`);
    const owner = namesz > 0 ? r.fixedStr(o + 12, namesz) : '';
    out.push({ owner, type, desc: r.bytes.subarray(descOff, end) });
    budget.notes--;
    o = pad(end);
  }
  return out;
}
