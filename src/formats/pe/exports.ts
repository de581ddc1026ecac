import type { Image } from './sections.js';
import { IMAGE_EXPORT_DIRECTORY_SIZE, PE_LIMITS } from './constants.js';
import { limits } from '../../bytes/limits.js';
import { latin1 } from '../../bytes/text.js';

/** IMAGE_EXPORT_DIRECTORY: the DLL's own name (which need not match its file name) and its export counts. */
export interface ExportDirectory {
  /** Name: what the DLL calls itself (what an import library built from it records). */
  dllName: string;
  ordinalBase: number;
  numberOfFunctions: number;
  numberOfNames: number;
}

export function readExports(img: Image, rva: number): ExportDirectory {
  const r = img.reader(rva, IMAGE_EXPORT_DIRECTORY_SIZE, 'IMAGE_EXPORT_DIRECTORY');
  const nameRva = r.u32(12), ordinalBase = r.u32(16), numberOfFunctions = r.u32(20), numberOfNames = r.u32(24);
  const addressOfFunctions = r.u32(28), addressOfNames = r.u32(32), addressOfNameOrdinals = r.u32(36);
  // The counts are reported, not walked; still, a count the tables cannot hold means the directory is garbage.
  if (numberOfFunctions > 0 && numberOfFunctions > img.available(addressOfFunctions) / 4) {
    r.fail(20, `NumberOfFunctions ${numberOfFunctions} does not fit the export address table at RVA 0x${addressOfFunctions.toString(16)}`);
  }
  if (numberOfNames > 0 && (numberOfNames > img.available(addressOfNames) / 4 || numberOfNames > img.available(addressOfNameOrdinals) / 2)) {
    r.fail(24, `NumberOfNames ${numberOfNames} does not fit the export name tables`);
  }
  const dllName = nameRva === 0 ? '' : img.cstr(nameRva, 'export DLL name', PE_LIMITS.maxNameBytes);
  return { dllName, ordinalBase, numberOfFunctions, numberOfNames };
}

/**
 * The exported names among `wanted`, read only when asked (inspect --libs): the name pointer table is walked in chunks
 * of PE_LIMITS.chunkEntries, its count already checked against the bytes the table has (readExports), and every name
 * read is charged to the image's name budget.
 */
export function readExportNames(img: Image, rva: number, wanted: ReadonlySet<string>): string[] {
  const r = img.reader(rva, IMAGE_EXPORT_DIRECTORY_SIZE, 'IMAGE_EXPORT_DIRECTORY');
  const numberOfNames = r.u32(24), addressOfNames = r.u32(32);
  if (numberOfNames === 0) return [];
  if (numberOfNames > img.available(addressOfNames) / 4) r.fail(24, `NumberOfNames ${numberOfNames} does not fit the export name pointer table`);
  if (numberOfNames > limits.maxSymbols) r.fail(24, `NumberOfNames ${numberOfNames} exceeds the limit of ${limits.maxSymbols}`);
  const longest = Math.max(0, ...[...wanted].map((w) => w.length));
  const out: string[] = [];
  for (let first = 0; first < numberOfNames; first += PE_LIMITS.chunkEntries) {
    const k = Math.min(PE_LIMITS.chunkEntries, numberOfNames - first);
    const t = img.reader(addressOfNames + first * 4, k * 4, 'export name pointer table');
    for (let i = 0; i < k; i++) {
      // Only as many bytes as the longest wanted name (+ NUL) per name: C++ names can be kilobytes, and a longer
      // name is not one we look for. So the walk costs at most (longest + 1) × count ≤ 8 × the file's size.
      const nameRva = t.u32(i * 4);
      const n = Math.min(longest + 1, img.available(nameRva));
      if (n <= 0) continue;
      const b = img.read(nameRva, n, 'export name');
      const z = b.indexOf(0);
      if (z < 0) continue;
      const name = latin1(b, 0, z);
      if (wanted.has(name)) out.push(name);
    }
  }
  return out;
}
