import type { ByteSource } from '../../bytes/source.js';
import { MalformedError, isMalformed } from '../../bytes/errors.js';
import type { Warning } from '../../bytes/warning.js';
import { readHeader, type MachHeader } from './header.js';
import { readLoadCommands, type LoadCommands } from './load-commands.js';
import { checkSlice, readFatHeader, type FatArch, type FatHeader } from './fat.js';

/** Everything linkplan reads from one thin Mach-O image, still in the format's own terms. */
export interface MachoFile {
  header: MachHeader;
  /** Bytes of the image (the whole file, or the fat slice). */
  size: number;
  lc: LoadCommands;
  warnings: Warning[];
}

/** One fat_arch entry and what came of reading the slice it points at: the image, or why it could not be read. */
export interface FatSlice {
  arch: FatArch;
  file: MachoFile | null;
  error: { reason: string; offset: number } | null;
}

export interface FatFile {
  header: FatHeader;
  slices: FatSlice[];
  warnings: Warning[];
}

/**
 * Read the thin Mach-O image in [offset, offset + size) of `src` (the whole file by default; a slice of a
 * universal file otherwise). Reads the header and the sizeofcmds bytes of load commands, nothing else.
 */
export function readMacho(src: ByteSource, offset = 0, size = src.size - offset): MachoFile {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset > src.size || size > src.size - offset) {
    throw new MalformedError('macho', Math.max(0, offset), `image (${size} bytes at ${offset}) is not inside the file (${src.size} bytes)`);
  }
  const header = readHeader(src, offset, size);
  const lc = readLoadCommands(src, header, size);
  return { header, size, lc, warnings: lc.warnings };
}

/**
 * Read a universal (fat) file: the fat_arch table, then every slice's header and load commands. A slice that
 * cannot be read is reported on its own (the others still are); only a file whose every slice is unreadable is
 * malformed as a whole.
 */
export function readFat(src: ByteSource): FatFile {
  const header = readFatHeader(src);
  const warnings: Warning[] = [];
  const read: { i: number; arch: FatArch }[] = [];
  const slices: FatSlice[] = header.arches.map((arch, i) => {
    const entry = 8 + i * (header.magic === 'FAT_MAGIC_64' ? 32 : 20);
    const bad = checkSlice(arch, i, src.size, header.nfatArch, header.magic === 'FAT_MAGIC_64');
    if (bad) return { arch, file: null, error: { reason: bad, offset: entry } };
    // A slice sharing bytes with one already read is not read again: lipo never writes that, LLVM rejects the
    // file, and forty entries naming one slice would otherwise cost forty reads of its load commands.
    const other = read.find((p) => arch.offset < p.arch.offset + p.arch.size && p.arch.offset < arch.offset + arch.size);
    if (other) {
      const reason = `fat_arch[${i}] (${arch.size} bytes at ${arch.offset}) overlaps fat_arch[${other.i}] ` +
        `(${other.arch.size} bytes at ${other.arch.offset})`;
      return { arch, file: null, error: { reason, offset: entry } };
    }
    read.push({ i, arch });
    try {
      const file = readMacho(src, arch.offset, arch.size);
      if (file.header.cputype !== arch.cputype) {
        file.warnings.push({
          code: 'macho.slice-cputype', detail: `fat_arch[${i}] says cputype ${arch.cputype}, the slice's header says ${file.header.cputype}`,
          offset: arch.offset + 4,
        });
      }
      return { arch, file, error: null };
    } catch (e) {
      if (!isMalformed(e)) throw e;
      return { arch, file: null, error: { reason: e.reason, offset: e.offset } };
    }
  });
  const ok = slices.filter((s) => s.file !== null);
  if (ok.length === 0) {
    const first = slices[0].error!;
    throw new MalformedError('macho', first.offset, `no readable slice in the universal file (first: ${first.reason})`);
  }
  // Slices overlapping each other: lipo never writes that; a reader that trusts one slice may read another's bytes.
  const sorted = [...header.arches].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1];
    if (sorted[i].offset < p.offset + p.size) {
      warnings.push({ code: 'macho.slices-overlap', detail: `slices at ${p.offset} (+${p.size}) and ${sorted[i].offset} overlap` });
      break;
    }
  }
  return { header, slices, warnings };
}
