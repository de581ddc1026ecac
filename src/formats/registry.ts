import type { ByteSource } from '../bytes/source.js';
import type { BinaryFacts } from '../facts/types.js';
import type { Sniffed } from './detect.js';
import { readElf } from './elf/index.js';
import { elfFacts } from '../facts/from-elf.js';
import { MalformedError } from '../bytes/errors.js';

type Reader = (src: ByteSource, path: string) => BinaryFacts;

/** One line per format: what to call for a file whose first bytes say it is that format. */
export const readers: Record<Exclude<Sniffed, null>, Reader> = {
  elf: (src, path) => elfFacts(path, readElf(src)),
  pe: () => { throw new MalformedError('pe', 0, 'PE reading is not available in this build'); },
  macho: () => { throw new MalformedError('macho', 0, 'Mach-O reading is not available in this build'); },
  'macho-fat': () => { throw new MalformedError('macho', 0, 'Mach-O reading is not available in this build'); },
};
