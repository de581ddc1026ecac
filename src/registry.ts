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

type Reader = (src: ByteSource, path: string) => BinaryFacts;

/** One line per format: what to call for a file whose first bytes say it is that format. */
const readerOf: Record<Exclude<Sniffed, null>, Reader> = {
  elf: (src, path) => elfFacts(path, readElf(src)),
  pe: (src, path) => peFacts(path, readPe(src)),
  macho: (src, path) => machoFacts(path, readMacho(src)),
  'macho-fat': (src, path) => machoFatFacts(path, readFat(src)),
};

/** The readers, each binary's warnings capped per code (facts/warnings.ts). */
export const readers = Object.fromEntries(Object.entries(readerOf).map(([k, read]) => [k, (src: ByteSource, path: string) => {
  const f = read(src, path);
  f.warnings = capWarnings(f.warnings);
  return f;
}])) as Record<Exclude<Sniffed, null>, Reader>;
