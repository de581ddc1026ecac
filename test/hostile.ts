/**
 * Hand-built hostile files: small, internally consistent structures that make a naive reader do far more work than
 * the file's size (amplification), which random byte flips never produce. Each builder documents the attack.
 *
 * This module imports nothing: scripts/bench.mjs transpiles it on the fly (TypeScript's transpileModule) to build
 * the same files, so keep it self-contained.
 */

class Buf {
  readonly b: Uint8Array;
  readonly dv: DataView;
  constructor(size: number) {
    this.b = new Uint8Array(size);
    this.dv = new DataView(this.b.buffer);
  }
  u16(o: number, v: number) { this.dv.setUint16(o, v, true); }
  u32(o: number, v: number) { this.dv.setUint32(o, v >>> 0, true); }
  u64(o: number, v: number) { this.dv.setBigUint64(o, BigInt(v), true); }
  be32(o: number, v: number) { this.dv.setUint32(o, v >>> 0, false); }
  str(o: number, s: string) { for (let i = 0; i < s.length; i++) this.b[o + i] = s.charCodeAt(i); }
}

/** An ELF64 LE ET_DYN x86-64 header with `phnum` program headers at offset 64 and no section headers. */
function elf64(size: number, phnum: number): Buf {
  const f = new Buf(size);
  f.b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  f.u16(16, 3); f.u16(18, 62); f.u32(20, 1);
  f.u64(32, 64); f.u16(52, 64); f.u16(54, 56); f.u16(56, phnum);
  return f;
}

function phdr(f: Buf, i: number, type: number, offset: number, vaddr: number, filesz: number, align = 4) {
  const o = 64 + i * 56;
  f.u32(o, type); f.u32(o + 4, 4); f.u64(o + 8, offset); f.u64(o + 16, vaddr); f.u64(o + 24, vaddr);
  f.u64(o + 32, filesz); f.u64(o + 40, filesz); f.u64(o + 48, align);
}

/** Thousands of PT_NOTE headers all naming the same large region of empty (12-byte) notes. */
export function elfManyNoteSegments(phnum = 20_000, size = 4 << 20): Uint8Array {
  const f = elf64(size, phnum);
  const region = 64 + phnum * 56;
  for (let i = 0; i < phnum; i++) phdr(f, i, 4 /* PT_NOTE */, region, 0, size - region);
  return f.b;
}

/** One PT_DYNAMIC full of DT_NEEDED entries that all name the same 60 KiB string. */
export function elfNeededAmplification(size = 4 << 20, stringBytes = 60_000): Uint8Array {
  const f = elf64(size, 2);
  const dynOff = 0x1000, dynSize = size / 2, strOff = size * 3 / 4;
  phdr(f, 0, 1 /* PT_LOAD */, 0, 0, size, 0x1000);
  phdr(f, 1, 2 /* PT_DYNAMIC */, dynOff, dynOff, dynSize, 8);
  f.u64(dynOff, 5); f.u64(dynOff + 8, strOff); // DT_STRTAB
  f.u64(dynOff + 16, 10); f.u64(dynOff + 24, size - strOff); // DT_STRSZ
  for (let o = dynOff + 32; o + 16 <= dynOff + dynSize; o += 16) { f.u64(o, 1); f.u64(o + 8, 0); } // DT_NEEDED → index 0
  f.b.fill(0x61, strOff, strOff + stringBytes);
  return f.b;
}

/**
 * DT_VERNEED whose entries overlap (vn_next = 16) and each chain up to 65535 Elf_Vernaux records, every vna_name
 * pointing at the same long string.
 */
export function elfVerneedAmplification(size = 2 << 20, n = 70_000, stringBytes = 60_000): Uint8Array {
  const f = elf64(size, 2);
  const dynOff = 0x1000, vnOff = 0x2000, strOff = size / 2;
  phdr(f, 0, 1, 0, 0, size, 0x1000);
  phdr(f, 1, 2, dynOff, dynOff, 0x100, 8);
  const tags: [number, number][] = [[5, strOff], [10, size - strOff], [0x6ffffffe, vnOff], [0x6fffffff, Math.min(4000, n)]];
  tags.forEach(([t, v], i) => { f.u64(dynOff + i * 16, t); f.u64(dynOff + i * 16 + 8, v); });
  // 4000 Elf_Verneed, 16 bytes apart, each: vn_cnt 0xffff, vn_file 0, vn_aux 16 (the next record), vn_next 16.
  // The records double as Elf_Vernaux: vna_name at +8 reads vn_aux (16), vna_next at +12 reads vn_next (16).
  for (let i = 0; i < n; i++) {
    const o = vnOff + i * 16;
    f.u16(o, 1); f.u16(o + 2, 0xffff); f.u32(o + 4, 0); f.u32(o + 8, 16); f.u32(o + 12, 16);
  }
  f.b.fill(0x61, strOff, strOff + stringBytes);
  f.b.fill(0x62, strOff + 16, strOff + stringBytes);
  return f.b;
}

/** A PE32+ whose import descriptors all share one thunk table of 65535 named imports. */
export function peSharedThunks(descriptors = 4000, thunks = 65_535): Uint8Array {
  const raw = 0x400, va = 0x1000;
  const descOff = 0, thunkOff = (descriptors + 1) * 20 + 8 & ~7, nameOff = thunkOff + (thunks + 1) * 8;
  const secSize = nameOff + 0x20 + 0x1ff & ~0x1ff;
  const f = new Buf(raw + secSize);
  f.str(0, 'MZ'); f.u32(0x3c, 0x40);
  f.str(0x40, 'PE\0\0');
  f.u16(0x44, 0x8664); f.u16(0x46, 1); f.u16(0x54, 240); f.u16(0x56, 0x22);
  const opt = 0x58;
  f.u16(opt, 0x20b); f.u64(opt + 24, 0x140000000); f.u32(opt + 32, 0x1000); f.u32(opt + 36, 0x200);
  f.u32(opt + 56, va + secSize); f.u32(opt + 60, raw); f.u16(opt + 68, 3); f.u32(opt + 108, 16);
  f.u32(opt + 112 + 8, va + descOff); f.u32(opt + 112 + 12, (descriptors + 1) * 20); // import directory
  const sec = opt + 240;
  f.str(sec, '.idata'); f.u32(sec + 8, secSize); f.u32(sec + 12, va); f.u32(sec + 16, secSize); f.u32(sec + 20, raw);
  f.u32(sec + 36, 0xc0000040);
  for (let i = 0; i < descriptors; i++) {
    const o = raw + descOff + i * 20;
    f.u32(o, va + thunkOff); f.u32(o + 12, va + nameOff + 2); f.u32(o + 16, va + thunkOff);
  }
  for (let i = 0; i < thunks; i++) f.u64(raw + thunkOff + i * 8, va + nameOff);
  f.str(raw + nameOff + 2, 'a.dll');
  return f.b;
}

/**
 * A universal file whose 40 fat_arch entries all point at the same slice, a thin Mach-O with `cmdsBytes` of load
 * commands (one big unknown command).
 */
export function fatSameSlice(arches = 40, cmdsBytes = 4 << 20): Uint8Array {
  const sliceOff = 0x1000, sliceSize = 32 + cmdsBytes;
  const f = new Buf(sliceOff + sliceSize);
  f.be32(0, 0xcafebabe); f.be32(4, arches);
  for (let i = 0; i < arches; i++) {
    const o = 8 + i * 20;
    f.be32(o, 0x01000007); f.be32(o + 4, 3); f.be32(o + 8, sliceOff); f.be32(o + 12, sliceSize); f.be32(o + 16, 12);
  }
  f.u32(sliceOff, 0xfeedfacf); f.u32(sliceOff + 4, 0x01000007); f.u32(sliceOff + 8, 3); f.u32(sliceOff + 12, 2);
  f.u32(sliceOff + 16, 1); f.u32(sliceOff + 20, cmdsBytes);
  f.u32(sliceOff + 32, 0x7fff0000); f.u32(sliceOff + 36, cmdsBytes);
  return f.b;
}

const hex4 = (i: number) => i.toString(16).padStart(4, '0');

/**
 * A universal file with two slices (x86_64, arm64), each an MH_DYLIB whose `n` LC_LOAD_DYLIB commands name `n`
 * distinct dylibs, none shared with the other slice (/a/xxxx and /b/xxxx: 32-byte commands, the smallest a
 * 64-bit image allows). Attack: the union of the slices' dylibs and the "which slice has which" comparison,
 * written as a find / includes per dylib, cost n² (2 × 65,536 dylibs, 4 MiB: minutes). `shared` of the names
 * are the same in both slices (then the union has 2n - shared entries).
 */
export function fatDistinctDylibs(n = 65_536, shared = 0): Uint8Array {
  if (n > 0x10000 || shared > n) throw new Error('fatDistinctDylibs: n is at most 65,536 (4 hex digits, and ncmds limit)');
  const cmds = n * 32, sliceSize = 32 + cmds;
  const off0 = 0x1000, off1 = off0 + sliceSize + 0x3fff & ~0x3fff;
  const f = new Buf(off1 + sliceSize);
  f.be32(0, 0xcafebabe); f.be32(4, 2);
  const cpus = [[0x01000007, 3], [0x0100000c, 0]];
  [off0, off1].forEach((off, s) => {
    const a = 8 + s * 20;
    f.be32(a, cpus[s][0]); f.be32(a + 4, cpus[s][1]); f.be32(a + 8, off); f.be32(a + 12, sliceSize); f.be32(a + 16, 14);
    f.u32(off, 0xfeedfacf); f.u32(off + 4, cpus[s][0]); f.u32(off + 8, cpus[s][1]); f.u32(off + 12, 6 /* MH_DYLIB */);
    f.u32(off + 16, n); f.u32(off + 20, cmds); f.u32(off + 24, 0x85 /* MH_NOUNDEFS | MH_DYLDLINK | MH_TWOLEVEL */);
    for (let i = 0; i < n; i++) {
      const o = off + 32 + i * 32;
      f.u32(o, 0xc /* LC_LOAD_DYLIB */); f.u32(o + 4, 32); f.u32(o + 8, 24); f.u32(o + 12, 2);
      f.u32(o + 16, 0x10000); f.u32(o + 20, 0x10000);
      f.str(o + 24, `/${i < shared ? 's' : 'ab'[s]}/${hex4(i)}`);
    }
  });
  return f.b;
}

/** The notes the ELF below carries: what a reader that gets through its headers must still find. */
export const MANY_NOTES = { buildId: '00112233445566778899aabbccddeeff01234567', goBuildId: 'hostile/go-build-id' };

/**
 * An ELF64 ET_EXEC with `phnum` PT_NOTE program headers over one GNU build-id note and `shnum` SHT_NOTE sections
 * over one Go build-id note that no segment covers (section 0 holds the real count: gABI extended numbering). Every
 * header has its own alignment (16 + its index; never 8, which would lay the notes out differently), so no two name
 * the same (offset, size, align). Attack: "is this section already read through a segment?" asked per section of
 * every segment (65,534 × 65,535 at 7.8 MiB: tens of seconds), and 131,069 regions each read again because only
 * their p_align differs.
 */
export function elfManyNoteHeaders(phnum = 65_534, shnum = 65_535): Uint8Array {
  const noteA = 64 + phnum * 56, noteB = noteA + 36;
  const go = MANY_NOTES.goBuildId, goSize = 16 + (go.length + 3 & ~3);
  const shoff = noteB + goSize + 7 & ~7;
  const f = elf64(shoff + (shnum + 1) * 64, phnum);
  f.u16(16, 2 /* ET_EXEC */); f.u64(40, shoff); f.u16(58, 64); f.u16(60, 0); f.u16(62, 0);
  // NT_GNU_BUILD_ID: namesz 4, descsz 20, type 3, "GNU\0", 20 bytes.
  f.u32(noteA, 4); f.u32(noteA + 4, 20); f.u32(noteA + 8, 3); f.str(noteA + 12, 'GNU');
  for (let i = 0; i < 20; i++) f.b[noteA + 16 + i] = parseInt(MANY_NOTES.buildId.slice(2 * i, 2 * i + 2), 16);
  // NT_GO_BUILDID: namesz 3, "Go\0" padded to 4, the ID as the descriptor.
  f.u32(noteB, 3); f.u32(noteB + 4, go.length); f.u32(noteB + 8, 4); f.str(noteB + 12, 'Go'); f.str(noteB + 16, go);
  for (let i = 0; i < phnum; i++) phdr(f, i, 4 /* PT_NOTE */, noteA, 0, 36, 16 + i);
  f.u64(shoff + 32, shnum + 1); // section 0: sh_size = the section count, e_shnum = 0
  for (let i = 1; i <= shnum; i++) {
    const o = shoff + i * 64;
    f.u32(o + 4, 7 /* SHT_NOTE */); f.u64(o + 24, noteB); f.u64(o + 32, goSize); f.u64(o + 48, 16 + i);
  }
  return f.b;
}

/**
 * A PE32+ with `sections` section headers: sections 0..n-3 are empty 4 KiB ranges, n-2 overlaps n-3 by half, and
 * the last one (.idata) holds `descriptors` import descriptors, each with its own table of `thunks` named imports
 * all pointing at one hint/name entry. Attack: with two sections overlapping, an RVA lookup that remembers the
 * last section it hit is unsafe, and the fallback scanned the section table (1,536 sections × ~800,000 lookups for
 * 262,140 imports: seconds).
 */
export function peManySections(sections = 1536, descriptors = 4, thunks = 65_535): Uint8Array {
  const opt = 0x58, table = opt + 240;
  const raw = table + sections * 40 + 0x1ff & ~0x1ff;
  const base = 0x10000, va = base + sections * 0x1000;
  const descOff = 0, thunkOff = (descriptors + 1) * 20 + 7 & ~7, tableBytes = (thunks + 1) * 8;
  const hintOff = thunkOff + descriptors * tableBytes, dllOff = hintOff + 8;
  const secSize = dllOff + descriptors * 16 + 0x1ff & ~0x1ff;
  const f = new Buf(raw + secSize);
  f.str(0, 'MZ'); f.u32(0x3c, 0x40);
  f.str(0x40, 'PE\0\0');
  f.u16(0x44, 0x8664); f.u16(0x46, sections); f.u16(0x54, 240); f.u16(0x56, 0x22);
  f.u16(opt, 0x20b); f.u64(opt + 24, 0x140000000); f.u32(opt + 32, 0x1000); f.u32(opt + 36, 0x200);
  f.u32(opt + 56, va + secSize + 0xfff & ~0xfff); f.u32(opt + 60, raw); f.u16(opt + 68, 3); f.u32(opt + 108, 16);
  f.u32(opt + 112 + 8, va + descOff); f.u32(opt + 112 + 12, (descriptors + 1) * 20); // import directory
  for (let i = 0; i < sections; i++) {
    const o = table + i * 40;
    const last = i === sections - 1;
    f.str(o, last ? '.idata' : `.s${i}`);
    f.u32(o + 8, last ? secSize : 0x1000);
    f.u32(o + 12, last ? va : i === sections - 2 ? base + (i - 1) * 0x1000 + 0x800 : base + i * 0x1000);
    if (last) { f.u32(o + 16, secSize); f.u32(o + 20, raw); }
    f.u32(o + 36, last ? 0xc0000040 : 0x40000040);
  }
  for (let d = 0; d < descriptors; d++) {
    const o = raw + descOff + d * 20, t = thunkOff + d * tableBytes;
    f.u32(o, va + t); f.u32(o + 12, va + dllOff + d * 16); f.u32(o + 16, va + t);
    for (let i = 0; i < thunks; i++) f.u64(raw + t + i * 8, va + hintOff);
    f.str(raw + dllOff + d * 16, `dll${d}.dll`);
  }
  f.str(raw + hintOff + 2, 'fn');
  return f.b;
}

/**
 * Attacks on the cost of work per header or per entry (as opposed to bytes read): counts near the readers' limits
 * in files of a few MiB. Each must cost about what an ordinary file of its size does, and grow linearly with its
 * counts (scripts/bench.mjs measures both). `scale` multiplies the counts that drive the attack (1: as named).
 */
export const SIZE_HOSTILE: Record<string, (scale?: number) => Uint8Array> = {
  'Mach-O: universal file, 2 slices × 65,536 distinct dylibs': (k = 1) => fatDistinctDylibs(Math.round(65_536 * k)),
  'ELF: 65,534 PT_NOTE and 65,535 SHT_NOTE headers': (k = 1) => elfManyNoteHeaders(Math.round(65_534 * k), Math.round(65_535 * k)),
  'PE: 1,536 sections (two overlapping), 262,140 imports': (k = 1) => peManySections(1536, 4, Math.round(65_535 * k)),
};

export const HOSTILE: Record<string, () => Uint8Array> = {
  'ELF: 20,000 PT_NOTE headers over one 3 MiB region of empty notes': () => elfManyNoteSegments(),
  'ELF: 130,000 DT_NEEDED entries naming one 60 KiB string': () => elfNeededAmplification(),
  'ELF: overlapping Elf_Verneed records chaining 65,535 Elf_Vernaux each': () => elfVerneedAmplification(),
  'PE: 4,000 import descriptors sharing one thunk table of 65,535 names': () => peSharedThunks(),
  'Mach-O: 40 fat_arch entries pointing at one slice with 4 MiB of load commands': () => fatSameSlice(),
};

/** Small versions of the same files, as bases for the fuzzer (which then breaks them further). */
export const SMALL_HOSTILE: Record<string, () => Uint8Array> = {
  'hostile/elf-notes': () => elfManyNoteSegments(300, 64 << 10),
  'hostile/elf-needed': () => elfNeededAmplification(64 << 10, 2000),
  'hostile/elf-verneed': () => elfVerneedAmplification(64 << 10, 1000, 2000),
  'hostile/pe-thunks': () => peSharedThunks(100, 500),
  'hostile/fat-same-slice': () => fatSameSlice(40, 4096),
  'hostile/fat-dylibs': () => fatDistinctDylibs(1024, 100),
  'hostile/elf-note-headers': () => elfManyNoteHeaders(1000, 1000),
  'hostile/pe-sections': () => peManySections(1536, 4, 500),
};
