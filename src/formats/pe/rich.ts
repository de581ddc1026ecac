import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { DANS_SIGNATURE, E_LFANEW_OFFSET, PE_LIMITS, RICH_SIGNATURE } from './constants.js';

/** One @comp.id record: the tool (product id) and its build number, and how many objects it produced. */
export interface RichEntry {
  productId: number;
  build: number;
  count: number;
}

export interface RichHeader {
  /** File offset of the "DanS" marker. */
  offset: number;
  entries: RichEntry[];
  /** The XOR key is a checksum of the DOS header and the entries; a mismatch means the header was edited. */
  checksumValid: boolean;
}

const rol = (v: number, n: number) => ((v << (n & 31)) | (v >>> ((32 - (n & 31)) & 31))) >>> 0;

/**
 * The Rich header (undocumented; link.exe writes it, lld-link and GNU ld do not): "DanS" ^ key, three padding
 * words, (comp.id, count) pairs, "Rich", key — all XORed with key — between the DOS stub and e_lfanew.
 * Returns null when there is none; throws MalformedError when "Rich" is there but the structure is not.
 */
export function readRichHeader(src: ByteSource, lfanew: number): RichHeader | null {
  const end = Math.min(lfanew, src.size, PE_LIMITS.maxRichScanBytes) & ~3;
  if (end <= 0x40) return null;
  const bytes = src.read(0, end, 'pe', 'DOS stub');
  const r = new Reader(bytes, true, 'pe', 0, 'Rich header');
  let rich = -1;
  for (let o = 0x40; o + 8 <= end; o += 4) {
    if (r.u32(o) === RICH_SIGNATURE) { rich = o; break; }
  }
  if (rich < 0) return null;
  const key = r.u32(rich + 4);
  let dans = -1;
  for (let o = rich - 4; o >= 0x40 && (rich - o) / 8 <= PE_LIMITS.maxRichEntries + 2; o -= 4) {
    if ((r.u32(o) ^ key) >>> 0 === DANS_SIGNATURE) { dans = o; break; }
  }
  if (dans < 0) r.fail(rich, 'Rich header: "Rich" marker without a matching "DanS"');
  const first = dans + 16;
  if (first > rich || (rich - first) % 8 !== 0) r.fail(dans, `Rich header: ${rich - dans} bytes between "DanS" and "Rich" do not hold whole entries`);
  const entries: RichEntry[] = [];
  let sum = dans >>> 0;
  for (let i = 0; i < dans; i++) {
    if (i >= E_LFANEW_OFFSET && i < E_LFANEW_OFFSET + 4) continue;
    sum = (sum + rol(bytes[i], i)) >>> 0;
  }
  for (let o = first; o < rich; o += 8) {
    const id = (r.u32(o) ^ key) >>> 0;
    const count = (r.u32(o + 4) ^ key) >>> 0;
    entries.push({ productId: id >>> 16, build: id & 0xffff, count });
    sum = (sum + rol(id, count)) >>> 0;
  }
  return { offset: dans, entries, checksumValid: sum === key };
}
