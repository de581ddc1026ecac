import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { Reader } from '../../bytes/reader.js';
import type { Image } from './sections.js';
import { CV_SIGNATURE_NB10, CV_SIGNATURE_RSDS, IMAGE_DEBUG_DIRECTORY_SIZE, IMAGE_DEBUG_TYPE_CODEVIEW, PE_LIMITS } from './constants.js';

/** One IMAGE_DEBUG_DIRECTORY entry. */
export interface DebugEntry {
  type: number;
  sizeOfData: number;
  addressOfRawData: number;
  pointerToRawData: number;
}

/** The CodeView record a CODEVIEW entry points at: which PDB the debugger should load. */
export interface CodeView {
  signature: 'RSDS' | 'NB10';
  /** RSDS: the GUID as dumpbin prints it ({xxxxxxxx-xxxx-...}); NB10: the 32-bit signature in hex. */
  id: string;
  age: number;
  pdbPath: string;
}

export interface DebugDirectory {
  entries: DebugEntry[];
  codeView: CodeView | null;
}

const hex = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, '0');

export function readDebugDirectory(src: ByteSource, img: Image, rva: number, size: number): DebugDirectory {
  const count = Math.floor(size / IMAGE_DEBUG_DIRECTORY_SIZE);
  if (count > PE_LIMITS.maxDebugEntries) throw new MalformedError('pe', 0, `debug directory claims ${count} entries (limit ${PE_LIMITS.maxDebugEntries})`);
  if (count > img.available(rva) / IMAGE_DEBUG_DIRECTORY_SIZE) {
    throw new MalformedError('pe', 0, `debug directory (${count} entries at RVA 0x${rva.toString(16)}) runs past its section`);
  }
  const r = img.reader(rva, count * IMAGE_DEBUG_DIRECTORY_SIZE, 'IMAGE_DEBUG_DIRECTORY');
  const entries: DebugEntry[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * IMAGE_DEBUG_DIRECTORY_SIZE;
    entries.push({ type: r.u32(o + 12), sizeOfData: r.u32(o + 16), addressOfRawData: r.u32(o + 20), pointerToRawData: r.u32(o + 24) });
  }
  let codeView: CodeView | null = null;
  const cv = entries.find((e) => e.type === IMAGE_DEBUG_TYPE_CODEVIEW && e.sizeOfData >= 16);
  if (cv) {
    const n = Math.min(cv.sizeOfData, 24 + PE_LIMITS.maxNameBytes);
    // The mapped copy (AddressOfRawData) when there is one; PointerToRawData for records left out of the image.
    const cr = cv.addressOfRawData !== 0
      ? img.reader(cv.addressOfRawData, n, 'CodeView record')
      : new Reader(src.read(cv.pointerToRawData, n, 'pe', 'CodeView record'), true, 'pe', cv.pointerToRawData, 'CodeView record');
    const sig = cr.u32(0);
    if (sig === CV_SIGNATURE_RSDS) {
      const d1 = cr.u32(4), d2 = cr.u16(8), d3 = cr.u16(10);
      const d4 = Array.from(cr.bytes.subarray(12, 20), (b) => hex(b, 2)).join('');
      const id = `{${hex(d1, 8)}-${hex(d2, 4)}-${hex(d3, 4)}-${d4.slice(0, 4)}-${d4.slice(4)}}`;
      codeView = { signature: 'RSDS', id, age: cr.u32(20), pdbPath: cr.cstr(24, n - 24) };
    } else if (sig === CV_SIGNATURE_NB10) {
      codeView = { signature: 'NB10', id: hex(cr.u32(8), 8), age: cr.u32(12), pdbPath: cr.cstr(16, n - 16) };
    }
  }
  return { entries, codeView };
}
