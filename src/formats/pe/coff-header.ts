import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { IMAGE_FILE_HEADER_SIZE, IMAGE_NT_SIGNATURE } from './constants.js';

/** "PE\0\0" followed by IMAGE_FILE_HEADER (PE Format, "COFF File Header (Object and Image)"). */
export interface CoffHeader {
  machine: number;
  numberOfSections: number;
  timeDateStamp: number;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
}

export function readCoffHeader(src: ByteSource, lfanew: number): CoffHeader {
  const r = new Reader(src.read(lfanew, 4 + IMAGE_FILE_HEADER_SIZE, 'pe', 'PE signature and IMAGE_FILE_HEADER'), true, 'pe', lfanew, 'IMAGE_FILE_HEADER');
  if (r.u32(0) !== IMAGE_NT_SIGNATURE) r.fail(0, 'no "PE\\0\\0" signature at e_lfanew (an NE/LE/MS-DOS executable, or not a PE)');
  return {
    machine: r.u16(4), numberOfSections: r.u16(6), timeDateStamp: r.u32(8), pointerToSymbolTable: r.u32(12),
    numberOfSymbols: r.u32(16), sizeOfOptionalHeader: r.u16(20), characteristics: r.u16(22),
  };
}
