import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import { FAT_ARCH_64_SIZE, FAT_ARCH_SIZE, FAT_HEADER_SIZE, FAT_MAGIC, FAT_MAGIC_64 } from './constants.js';

/** struct fat_header (mach-o/fat.h): always big-endian. */
export interface FatHeader {
  magic: 'FAT_MAGIC' | 'FAT_MAGIC_64';
  nfatArch: number;
  arches: FatArch[];
}

/** struct fat_arch / fat_arch_64: where one slice lives in the file. */
export interface FatArch {
  cputype: number;
  cpusubtype: number;
  offset: number;
  size: number;
  /** Alignment as a power of 2 (fat_arch.align). */
  align: number;
}

export function readFatHeader(src: ByteSource): FatHeader {
  if (src.size < FAT_HEADER_SIZE) throw new MalformedError('macho', 0, `file is ${src.size} bytes, shorter than fat_header (${FAT_HEADER_SIZE})`);
  const h = new Reader(src.read(0, FAT_HEADER_SIZE, 'macho', 'fat_header'), false, 'macho', 0, 'fat_header');
  const m = h.u32(0);
  if (m !== FAT_MAGIC && m !== FAT_MAGIC_64) throw new MalformedError('macho', 0, `magic 0x${m.toString(16)} is neither FAT_MAGIC nor FAT_MAGIC_64`);
  const is64 = m === FAT_MAGIC_64;
  const nfatArch = h.u32(4);
  const entsize = is64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
  if (nfatArch === 0) throw new MalformedError('macho', 4, 'nfat_arch is 0: a universal file with no slices');
  if (nfatArch > limits.maxFatArches) throw new MalformedError('macho', 4, `nfat_arch ${nfatArch} exceeds the limit of ${limits.maxFatArches}`);
  if (nfatArch > (src.size - FAT_HEADER_SIZE) / entsize) {
    throw new MalformedError('macho', FAT_HEADER_SIZE, `fat_arch table (${nfatArch} × ${entsize} bytes) runs past the end of the file (${src.size} bytes)`);
  }
  const r = new Reader(src.read(FAT_HEADER_SIZE, nfatArch * entsize, 'macho', 'fat_arch table'), false, 'macho', FAT_HEADER_SIZE, 'fat_arch table');
  const arches: FatArch[] = [];
  for (let i = 0; i < nfatArch; i++) {
    const o = i * entsize;
    arches.push(is64
      ? { cputype: r.u32(o), cpusubtype: r.u32(o + 4), offset: r.u64(o + 8), size: r.u64(o + 16), align: r.u32(o + 24) }
      : { cputype: r.u32(o), cpusubtype: r.u32(o + 4), offset: r.u32(o + 8), size: r.u32(o + 12), align: r.u32(o + 16) });
  }
  return { magic: is64 ? 'FAT_MAGIC_64' : 'FAT_MAGIC', nfatArch, arches };
}

/** Problems with one slice's placement that make it unreadable (cctools' lipo and LLVM reject the same). */
export function checkSlice(a: FatArch, index: number, fileSize: number, nfatArch: number, is64: boolean): string | null {
  const tableEnd = FAT_HEADER_SIZE + nfatArch * (is64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE);
  if (a.offset < tableEnd) return `fat_arch[${index}] offset ${a.offset} lies inside the fat header (which ends at ${tableEnd})`;
  if (a.offset > fileSize || a.size > fileSize - a.offset) {
    return `fat_arch[${index}] (${a.size} bytes at ${a.offset}) runs past the end of the file (${fileSize} bytes)`;
  }
  return null;
}
