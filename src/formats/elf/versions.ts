import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { StringTable } from './strings.js';

/** Elf_Verneed + its Elf_Vernaux chain (LSB "Symbol Versioning", .gnu.version_r). Same layout in ELF32 and ELF64. */
export interface VersionNeed {
  file: string;
  versions: string[];
}

export function readVersionNeeds(src: ByteSource, le: boolean, offset: number, avail: number, count: number, strtab: StringTable): VersionNeed[] {
  if (count > limits.maxVersionNeeds || count > avail / 16) {
    throw new MalformedError('elf', offset, `DT_VERNEEDNUM ${count} does not fit the ${avail} bytes of its segment`);
  }
  const out: VersionNeed[] = [];
  let at = 0;
  let totalAux = 0;
  const rd = (o: number, n: number, what: string) => {
    if (o < 0 || o + n > avail) throw new MalformedError('elf', offset + o, `${what} at +${o} lies outside its segment (${avail} bytes)`);
    return new Reader(src.read(offset + o, n, 'elf', what), le, 'elf', offset + o, what);
  };
  for (let i = 0; i < count; i++) {
    const vn = rd(at, 16, 'Elf_Verneed');
    const cnt = vn.u16(2), file = vn.u32(4), aux = vn.u32(8), next = vn.u32(12);
    totalAux += cnt;
    if (totalAux > limits.maxVersionAux) throw new MalformedError('elf', offset + at, `vn_cnt totals ${totalAux}, over the limit of ${limits.maxVersionAux}`);
    const versions: string[] = [];
    let a = at + aux;
    for (let j = 0; j < cnt; j++) {
      const va = rd(a, 16, 'Elf_Vernaux');
      versions.push(strtab.get(va.u32(8)));
      const vnext = va.u32(12);
      if (vnext === 0) break;
      a += vnext;
    }
    out.push({ file: strtab.get(file), versions });
    if (next === 0) break;
    at += next;
  }
  return out;
}
