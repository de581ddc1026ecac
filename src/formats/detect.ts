import type { ByteSource } from '../bytes/source.js';

/** What the first bytes of a file say it is. `null`: not a binary we read (text, archives, Java classes…). */
export type Sniffed = 'elf' | 'pe' | 'macho' | 'macho-fat' | null;

/** Bytes sniff() wants to see; fewer is fine (it answers from what it has). */
export const SNIFF_BYTES = 8;

export function sniff(b: Uint8Array): Sniffed {
  if (b.length < 4) return null;
  const m0 = b[0], m1 = b[1], m2 = b[2], m3 = b[3];
  if (m0 === 0x7f && m1 === 0x45 && m2 === 0x4c && m3 === 0x46) return 'elf';
  // 'MZ': the DOS stub every PE starts with; pe/ checks e_lfanew → "PE\0\0" before trusting it.
  if (m0 === 0x4d && m1 === 0x5a) return 'pe';
  // mach-o/loader.h: MH_MAGIC / MH_CIGAM / MH_MAGIC_64 / MH_CIGAM_64, in either byte order.
  if ((m0 === 0xfe && m1 === 0xed && m2 === 0xfa && (m3 === 0xce || m3 === 0xcf)) ||
      ((m0 === 0xce || m0 === 0xcf) && m1 === 0xfa && m2 === 0xed && m3 === 0xfe)) return 'macho';
  // mach-o/fat.h: FAT_MAGIC 0xcafebabe / FAT_MAGIC_64 0xcafebabf, always big-endian. A Java class file also starts
  // with 0xcafebabe, followed by minor and major version; its major version is >= 45, while nfat_arch is a small
  // count. LLVM's identify_magic draws the line at 43, and so do we.
  if (m0 === 0xca && m1 === 0xfe && m2 === 0xba && (m3 === 0xbe || m3 === 0xbf)) {
    if (b.length < 8) return null;
    const n = ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0;
    return n > 0 && n < 43 ? 'macho-fat' : null;
  }
  return null;
}

/**
 * Beyond the magic, does the file look like the binary sniff() named? Two bytes "MZ" begin many text files (and
 * every MS-DOS program): a PE also has e_lfanew (IMAGE_DOS_HEADER at 0x3c) pointing inside the file at "PE\0\0".
 * An ELF names its class (1 or 2) and byte order (1 or 2) in e_ident. Used to pass over such files inside a
 * directory; a file named on the command line is read whatever this says, and its error explains.
 */
export function plausible(src: ByteSource, kind: Sniffed): boolean {
  if (kind === 'pe') {
    if (src.size < 0x40) return false;
    const h = src.read(0x3c, 4);
    const lfanew = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
    if (lfanew < 4 || lfanew > src.size - 4) return false;
    const sig = src.read(lfanew, 4);
    return sig[0] === 0x50 && sig[1] === 0x45 && sig[2] === 0 && sig[3] === 0;
  }
  if (kind === 'elf') {
    if (src.size < 6) return false;
    const id = src.read(4, 2);
    return (id[0] === 1 || id[0] === 2) && (id[1] === 1 || id[1] === 2);
  }
  return kind !== null;
}

/** A human name for what a non-binary looks like, for messages about explicitly named files. */
export function describeNonBinary(b: Uint8Array): string {
  if (b.length === 0) return 'empty file';
  if (b.length >= 4 && b[0] === 0xca && b[1] === 0xfe && b[2] === 0xba && b[3] === 0xbe) {
    return 'Java class file (0xCAFEBABE with a class-file version), not a Mach-O universal binary';
  }
  if (b.length >= 8 && String.fromCharCode(...b.subarray(0, 8)) === '!<arch>\n') return 'static library archive (ar), not a linked binary';
  return 'not an ELF, PE or Mach-O binary';
}
