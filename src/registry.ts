import type { ByteSource } from './bytes/source.js';
import type { BinaryFacts } from './facts/types.js';
import type { Sniffed } from './formats/detect.js';
import { readElf } from './formats/elf/index.js';
import { elfFacts } from './facts/from-elf.js';
import { readPe } from './formats/pe/index.js';
import { peFacts } from './facts/from-pe.js';
import { readFat, readMacho } from './formats/macho/index.js';
import { machoFacts, machoFatFacts } from './facts/from-macho.js';
import { capWarnings } from './facts/warnings.js';
import { elfLibs } from './facts/libs-elf.js';
import { peLibs } from './facts/libs-pe.js';
import { machoLibs } from './facts/libs-macho.js';

/** libs: also read symbols and read-only data for library fingerprints (costs reading far more of the file). */
export interface ReadOptions {
  libs?: boolean;
}

type Reader = (src: ByteSource, path: string, opts?: ReadOptions) => BinaryFacts;

/** One line per format: what to call for a file whose first bytes say it is that format. */
const readerOf: Record<Exclude<Sniffed, null>, Reader> = {
  elf: (src, path, opts) => {
    const e = readElf(src);
    const f = elfFacts(path, e);
    if (opts?.libs && !e.debugInfoOnly) f.libs = elfLibs(src, e, f.warnings);
    return f;
  },
  pe: (src, path, opts) => {
    const p = readPe(src);
    const f = peFacts(path, p);
    if (opts?.libs && !p.debugInfoOnly) f.libs = peLibs(src, p, [...f.needed, ...f.delayImports.map((d) => d.dll)], f.warnings);
    return f;
  },
  macho: (src, path, opts) => {
    const m = readMacho(src);
    const f = machoFacts(path, m);
    if (opts?.libs) f.libs = machoLibs(src, m, f.needed, f.installName, f.warnings);
    return f;
  },
  'macho-fat': (src, path, opts) => {
    const fat = readFat(src);
    const f = machoFatFacts(path, fat);
    // Each slice is loaded on its own, so each has its own libraries; the top level carries none.
    if (opts?.libs) {
      for (const s of f.slices ?? []) {
        const file = fat.slices[s.fatArch.index]?.file;
        if (file) s.libs = machoLibs(src, file, s.needed, s.installName, s.warnings);
      }
    }
    return f;
  },
};

/** The readers, each binary's warnings capped per code (facts/warnings.ts). */
export const readers = Object.fromEntries(Object.entries(readerOf).map(([k, read]) => [k, (src: ByteSource, path: string, opts?: ReadOptions) => {
  const f = read(src, path, opts);
  f.warnings = capWarnings(f.warnings);
  return f;
}])) as Record<Exclude<Sniffed, null>, Reader>;
