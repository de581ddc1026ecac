import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import {
  IMAGE_NT_OPTIONAL_HDR32_MAGIC, IMAGE_NT_OPTIONAL_HDR64_MAGIC, IMAGE_NUMBEROF_DIRECTORY_ENTRIES,
  OPTIONAL_HEADER32_FIXED, OPTIONAL_HEADER64_FIXED,
} from './constants.js';

export interface DataDirectory {
  /** An RVA, except for IMAGE_DIRECTORY_ENTRY_SECURITY, where it is a file offset. */
  rva: number;
  size: number;
}

/** IMAGE_OPTIONAL_HEADER32 / IMAGE_OPTIONAL_HEADER64 (PE Format, "Optional Header (Image Only)"). */
export interface OptionalHeader {
  is64: boolean;
  majorLinkerVersion: number;
  minorLinkerVersion: number;
  addressOfEntryPoint: number;
  /** A PE32+ ImageBase need not fit in 2^53. */
  imageBase: bigint;
  sectionAlignment: number;
  fileAlignment: number;
  majorOperatingSystemVersion: number;
  minorOperatingSystemVersion: number;
  majorSubsystemVersion: number;
  minorSubsystemVersion: number;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checkSum: number;
  subsystem: number;
  dllCharacteristics: number;
  /** NumberOfRvaAndSizes as written. */
  numberOfRvaAndSizes: number;
  /** The data directories the header really holds (at most 16, the loader ignores the rest). */
  dataDirectories: DataDirectory[];
}

export function readOptionalHeader(src: ByteSource, offset: number, size: number): OptionalHeader {
  const r = new Reader(src.read(offset, size, 'pe', 'optional header'), true, 'pe', offset, 'optional header');
  const magic = r.u16(0);
  if (magic !== IMAGE_NT_OPTIONAL_HDR32_MAGIC && magic !== IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
    r.fail(0, `optional header Magic 0x${magic.toString(16)} is neither PE32 (0x10b) nor PE32+ (0x20b)`);
  }
  const is64 = magic === IMAGE_NT_OPTIONAL_HDR64_MAGIC;
  const fixed = is64 ? OPTIONAL_HEADER64_FIXED : OPTIONAL_HEADER32_FIXED;
  if (size < fixed) r.fail(0, `SizeOfOptionalHeader ${size} is smaller than the fixed part of ${is64 ? 'PE32+' : 'PE32'} (${fixed})`);
  const numberOfRvaAndSizes = r.u32(fixed - 4);
  const n = Math.min(numberOfRvaAndSizes, IMAGE_NUMBEROF_DIRECTORY_ENTRIES, Math.floor((size - fixed) / 8));
  const dataDirectories: DataDirectory[] = [];
  for (let i = 0; i < n; i++) dataDirectories.push({ rva: r.u32(fixed + i * 8), size: r.u32(fixed + i * 8 + 4) });
  return {
    is64,
    majorLinkerVersion: r.u8(2),
    minorLinkerVersion: r.u8(3),
    addressOfEntryPoint: r.u32(16),
    imageBase: is64 ? r.u64big(24) : BigInt(r.u32(28)),
    sectionAlignment: r.u32(32),
    fileAlignment: r.u32(36),
    majorOperatingSystemVersion: r.u16(40),
    minorOperatingSystemVersion: r.u16(42),
    majorSubsystemVersion: r.u16(48),
    minorSubsystemVersion: r.u16(50),
    sizeOfImage: r.u32(56),
    sizeOfHeaders: r.u32(60),
    checkSum: r.u32(64),
    subsystem: r.u16(68),
    dllCharacteristics: r.u16(70),
    numberOfRvaAndSizes,
    dataDirectories,
  };
}
