import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { MACH_HEADER_64_SIZE, MACH_HEADER_SIZE, MH_CIGAM, MH_CIGAM_64, MH_MAGIC, MH_MAGIC_64 } from './constants.js';

/** struct mach_header / mach_header_64 (mach-o/loader.h). `offset` is where it sits in the file (non-zero in a fat slice). */
export interface MachHeader {
  offset: number;
  /** The magic in the image's own byte order (MH_CIGAM* only ever means "other byte order than the host"). */
  magic: 'MH_MAGIC' | 'MH_MAGIC_64';
  is64: boolean;
  le: boolean;
  cputype: number;
  cpusubtype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  flags: number;
  /** sizeof the header: load commands start right after it. */
  size: number;
}

/** Read the header of the thin Mach-O image occupying [offset, offset + size) of `src`. */
export function readHeader(src: ByteSource, offset: number, size: number): MachHeader {
  if (size < 4) throw new MalformedError('macho', offset, `image is ${size} bytes, too short for a Mach-O magic`);
  const b = src.read(offset, 4, 'macho', 'Mach-O magic');
  // The magic read as a big-endian word: MH_MAGIC* for a big-endian image (PowerPC), MH_CIGAM* (the magic
  // byte-swapped) for a little-endian one (x86, arm).
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  if (be !== MH_MAGIC && be !== MH_MAGIC_64 && be !== MH_CIGAM && be !== MH_CIGAM_64) {
    throw new MalformedError('macho', offset, `magic 0x${be.toString(16).padStart(8, '0')} is not a Mach-O magic`);
  }
  const le = be === MH_CIGAM || be === MH_CIGAM_64;
  const is64 = be === MH_MAGIC_64 || be === MH_CIGAM_64;
  const magic = is64 ? 'MH_MAGIC_64' : 'MH_MAGIC';
  const hsize = is64 ? MACH_HEADER_64_SIZE : MACH_HEADER_SIZE;
  if (size < hsize) throw new MalformedError('macho', offset, `image is ${size} bytes, shorter than ${is64 ? 'mach_header_64' : 'mach_header'} (${hsize})`);
  const r = new Reader(src.read(offset, hsize, 'macho', 'Mach-O header'), le, 'macho', offset, 'Mach-O header');
  return {
    offset, magic, is64, le,
    cputype: r.u32(4), cpusubtype: r.u32(8), filetype: r.u32(12), ncmds: r.u32(16), sizeofcmds: r.u32(20), flags: r.u32(24),
    size: hsize,
  };
}
