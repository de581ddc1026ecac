import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { ElfHeader } from './header.js';
import type { ProgramHeader } from './program-headers.js';
import { DT_NULL } from './constants.js';

/** One Elf32_Dyn / Elf64_Dyn. `tag` keeps the full 64-bit value only where it fits a number (all defined tags do). */
export interface DynEntry {
  tag: number;
  /** d_val / d_ptr; null when it does not fit in 2^53 (hostile input; meaningless for every tag we read). */
  val: number | null;
  /** Low 32 bits of d_val, for flag words. */
  lo: number;
}

/** Read the dynamic array from PT_DYNAMIC up to DT_NULL (gABI "Dynamic Section"). */
export function readDynamic(src: ByteSource, h: ElfHeader, dyn: ProgramHeader): DynEntry[] {
  const entsize = h.is64 ? 16 : 8;
  if (dyn.offset >= src.size) throw new MalformedError('elf', dyn.offset, `PT_DYNAMIC at ${dyn.offset} starts past the end of the file (${src.size} bytes)`);
  const avail = Math.min(dyn.filesz, src.size - dyn.offset);
  const count = Math.min(Math.floor(avail / entsize), limits.maxDynamicEntries);
  // Read in chunks up to DT_NULL: p_filesz may claim megabytes (or a sparse file's gigabytes) after a short table.
  const CHUNK = 256;
  const out: DynEntry[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const at = dyn.offset + start * entsize;
    const r = new Reader(src.read(at, n * entsize, 'elf', 'dynamic section'), h.le, 'elf', at, 'dynamic section');
    for (let i = 0; i < n; i++) {
      const o = i * entsize;
      let tag: number;
      let val: number | null;
      if (h.is64) {
        // d_tag is Elf64_Sxword; defined tags are below 2^31. Larger or negative ones are unknown: tag -1.
        const tlo = r.u32(h.le ? o : o + 4), thi = r.u32(h.le ? o + 4 : o);
        tag = thi === 0 && tlo <= 0x7fffffff ? tlo : -1;
        const vlo = r.u32(h.le ? o + 8 : o + 12), vhi = r.u32(h.le ? o + 12 : o + 8);
        val = vhi < 0x200000 ? vhi * 0x100000000 + vlo : null;
      } else {
        tag = r.u32(o);
        val = r.u32(o + 4);
      }
      if (tag === DT_NULL) return out;
      out.push({ tag, val, lo: r.wordLo32(o + entsize / 2, h.is64) });
    }
  }
  return out;
}
