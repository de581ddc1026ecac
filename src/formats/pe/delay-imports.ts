import { MalformedError } from '../../bytes/errors.js';
import type { Image } from './sections.js';
import { DLATTR_RVA, IMAGE_DELAYLOAD_DESCRIPTOR_SIZE, PE_LIMITS } from './constants.js';
import { readThunks, type ImportedDll } from './imports.js';

/**
 * The delay-load import directory: IMAGE_DELAYLOAD_DESCRIPTORs (Attributes, DllNameRVA, ModuleHandleRVA,
 * ImportAddressTableRVA, ImportNameTableRVA, BoundImportAddressTableRVA, UnloadInformationTableRVA, TimeDateStamp),
 * up to one whose DllNameRVA is zero. Without dlattrRva (VC6 descriptors) the fields are VAs, not RVAs.
 * The loader never reads this table — delayimp's helper does, at first call — which is why tools that only follow
 * the import directory miss these DLLs.
 */
export function readDelayImports(img: Image, rva: number, is64: boolean, imageBase: bigint): ImportedDll[] {
  const out: ImportedDll[] = [];
  for (let at = rva; ; ) {
    const avail = Math.floor(img.available(at) / IMAGE_DELAYLOAD_DESCRIPTOR_SIZE);
    if (avail === 0) {
      throw new MalformedError('pe', 0, `delay-import directory at RVA 0x${rva.toString(16)} runs past its section without a terminating descriptor`);
    }
    const n = Math.min(avail, PE_LIMITS.chunkEntries);
    const r = img.reader(at, n * IMAGE_DELAYLOAD_DESCRIPTOR_SIZE, 'delay-import directory');
    for (let i = 0; i < n; i++) {
      const o = i * IMAGE_DELAYLOAD_DESCRIPTOR_SIZE;
      const attrs = r.u32(o), nameField = r.u32(o + 4), intField = r.u32(o + 16), stamp = r.u32(o + 28);
      if (nameField === 0) return out;
      if (out.length >= PE_LIMITS.maxDelayDescriptors) r.fail(o, `more than ${PE_LIMITS.maxDelayDescriptors} delay-import descriptors`);
      const toRva = (v: number): number => {
        if (attrs & DLATTR_RVA) return v;
        const d = BigInt(v) - imageBase;
        if (d < 0n || d > 0xffffffffn) r.fail(o, `delay-import descriptor (VA form) points at 0x${v.toString(16)}, below ImageBase`);
        return Number(d);
      };
      const dll = img.cstr(toRva(nameField), 'delay-import DLL name', PE_LIMITS.maxNameBytes);
      // The on-disk delay IAT holds pointers to the helper stubs, not names: only the INT names functions.
      const symbols = intField === 0 ? [] : readThunks(img, toRva(intField), is64, `delay imports from ${dll}`, toRva);
      out.push({ dll, symbols, bound: stamp !== 0, descriptorRva: at + o });
    }
    at += n * IMAGE_DELAYLOAD_DESCRIPTOR_SIZE;
  }
}
