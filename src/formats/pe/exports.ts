import type { Image } from './sections.js';
import { IMAGE_EXPORT_DIRECTORY_SIZE, PE_LIMITS } from './constants.js';

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
