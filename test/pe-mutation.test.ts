/**
 * The fuzz contract over every PE sample: truncated at every offset near the start and at intervals after, and
 * with absurd values scribbled over the headers and over each directory the reader follows (import, delay-import,
 * export, debug, load config), located from our own parse. Only MalformedError-backed failures or warnings may
 * come out (test/mutation.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sample, samplesUnder } from './helpers.js';
import { mutateAll } from './mutation.js';
import { MemorySource } from '../src/bytes/source.js';
import { readPe } from '../src/formats/pe/index.js';
import {
  IMAGE_DIRECTORY_ENTRY_DEBUG, IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT, IMAGE_DIRECTORY_ENTRY_EXPORT, IMAGE_DIRECTORY_ENTRY_IMPORT,
  IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG, IMAGE_SIZEOF_SECTION_HEADER,
} from '../src/formats/pe/constants.js';

function peSamples(): string[] {
  return [...samplesUnder('pe'), 'rust/hello-windows-gnu.exe'];
}

const FOLLOWED = [
  IMAGE_DIRECTORY_ENTRY_IMPORT, IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT, IMAGE_DIRECTORY_ENTRY_EXPORT, IMAGE_DIRECTORY_ENTRY_DEBUG,
  IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG,
];

/** Header region (DOS header through the section table) and each followed directory, as file ranges. */
export function regions(bytes: Uint8Array): [number, number][] {
  const f = readPe(new MemorySource(bytes));
  const headerEnd = f.lfanew + 24 + f.coff.sizeOfOptionalHeader + f.coff.numberOfSections * IMAGE_SIZEOF_SECTION_HEADER;
  const out: [number, number][] = [[0, headerEnd]];
  for (const i of FOLLOWED) {
    const d = f.directories[i];
    if (d && d.offset !== null) out.push([d.offset, d.offset + Math.min(Math.max(d.size, 40), 512)]);
  }
  // The first import's lookup table and name: what the descriptors point at.
  const imp = f.directories[IMAGE_DIRECTORY_ENTRY_IMPORT];
  if (imp?.offset != null && f.imports.length) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const iltRva = dv.getUint32(imp.offset, true);
    const sec = f.sections.find((s) => iltRva >= s.virtualAddress && iltRva < s.virtualAddress + s.virtualSize);
    if (sec) {
      const off = sec.pointerToRawData + (iltRva - sec.virtualAddress);
      out.push([off, off + 64]);
    }
  }
  return out;
}

describe('PE mutation: truncation and absurd values yield MalformedError or warnings only', () => {
  const all = peSamples();
  it('covers every sample', () => expect(all.length).toBeGreaterThanOrEqual(59));
  for (const p of all) {
    it(p, () => {
      const bytes = new Uint8Array(readFileSync(sample(p)));
      const scribble = regions(bytes);
      // the directories we claim to follow are really there to be scribbled over
      if (p.includes('delayload')) expect(scribble.length).toBeGreaterThanOrEqual(4);
      const n = mutateAll(bytes, p, { truncateDense: 1024, truncateStep: Math.max(1, Math.floor(bytes.length / 300)), scribble });
      expect(n).toBeGreaterThan(1000);
    });
  }
});
