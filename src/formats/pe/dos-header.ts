import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { E_LFANEW_OFFSET, IMAGE_DOS_HEADER_SIZE, IMAGE_DOS_SIGNATURE } from './constants.js';

/** IMAGE_DOS_HEADER: only e_magic and e_lfanew matter to a PE loader. */
export interface DosHeader {
  /** File offset of the "PE\0\0" signature. */
  lfanew: number;
}

export function readDosHeader(src: ByteSource): DosHeader {
  if (src.size < IMAGE_DOS_HEADER_SIZE) {
    throw new MalformedError('pe', 0, `file is ${src.size} bytes, shorter than IMAGE_DOS_HEADER (${IMAGE_DOS_HEADER_SIZE})`);
  }
  const r = new Reader(src.read(0, IMAGE_DOS_HEADER_SIZE, 'pe', 'IMAGE_DOS_HEADER'), true, 'pe', 0, 'IMAGE_DOS_HEADER');
  if (r.u16(0) !== IMAGE_DOS_SIGNATURE) r.fail(0, 'e_magic is not "MZ"');
  const lfanew = r.u32(E_LFANEW_OFFSET);
  if (lfanew < 4 || lfanew >= src.size) {
    // A plain DOS program (or a truncated PE) has no NT header where e_lfanew points.
    throw new MalformedError('pe', E_LFANEW_OFFSET,
      `e_lfanew ${lfanew} does not point inside the file (${src.size} bytes): an MS-DOS program or a truncated PE`);
  }
  return { lfanew };
}
