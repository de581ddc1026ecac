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
  pe: (src, path) => peFacts(path, readPe(src)),
  macho: (src, path) => machoFacts(path, readMacho(src)),
  'macho-fat': (src, path) => machoFatFacts(path, readFat(src)),
};

/** The readers, each binary's warnings capped per code (facts/warnings.ts). */
export const readers = Object.fromEntries(Object.entries(readerOf).map(([k, read]) => [k, (src: ByteSource, path: string, opts?: ReadOptions) => {
  const f = read(src, path, opts);
  f.warnings = capWarnings(f.warnings);
  return f;
}])) as Record<Exclude<Sniffed, null>, Reader>;
