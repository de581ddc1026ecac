/**
 * Hostile counts (test/hostile.ts SIZE_HOSTILE): headers by the tens of thousands in files of a few MiB, which once
 * cost the readers minutes through per-entry scans. Here: the exact outcome of each (the facts a reader must still
 * get right, or the refusal it must make). How long they take is measured by scripts/bench.mjs, not here.
 */
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { readElf } from '../src/formats/elf/index.js';
import { Image, type SectionHeader } from '../src/formats/pe/sections.js';
import type { BinaryResult } from '../src/facts/types.js';
import { readFileSync } from 'node:fs';
import { MemorySysroot } from '../src/resolve/memory.js';
import { resolveBinary } from '../src/resolve/index.js';
import { sample } from './helpers.js';
import { mulberry32 } from './fuzz.js';
import { MANY_NOTES, elfManyNoteHeaders, fatDistinctDylibs, peManySections } from './hostile.js';

const inspect = (bytes: Uint8Array, name: string): BinaryResult => inspectSource(new MemorySource(bytes, name), name);
const hex4 = (i: number) => i.toString(16).padStart(4, '0');

describe('Mach-O: universal file, 2 slices × n distinct dylibs', () => {
  for (const [n, shared] of [[65_536, 0], [4096, 1000]] as const) {
    it(`${n} per slice, ${shared} shared: no merged top-level list, the union in macho.dylibUnion, one slices-differ warning`, () => {
      const r = inspect(fatDistinctDylibs(n, shared), 'fat');
      if (r.error !== null || r.format !== 'macho') return expect.fail(r.error?.message ?? 'not Mach-O');
      expect(r.arch).toBe('universal');
      expect(r.slices!.map((s) => s.macho.archName)).toEqual(['x86_64', 'arm64']);
      const name = (s: 0 | 1, i: number) => `/${i < shared ? 's' : 'ab'[s]}/${hex4(i)}`;
      // Union by (name, kind) in first-seen order: slice 0's dylibs, then slice 1's not shared with it.
      const union = [...Array.from({ length: n }, (_, i) => name(0, i)), ...Array.from({ length: n - shared }, (_, i) => name(1, shared + i))];
      // The slices differ, so the top level holds no merged list (no slice loads in the union's order): [] and a
      // marker; each slice keeps its own list, and the union stays in macho.dylibUnion.
      expect([r.dylibs, r.needed, r.sliceDiffers]).toEqual([[], [], ['needed', 'dylibs']]);
      expect(r.slices!.map((s) => s.needed.length)).toEqual([n, n]);
      const u = r.macho.dylibUnion!;
      expect(u.length).toBe(2 * n - shared);
      expect(u.map((d) => d.name)).toEqual(union);
      expect(u.every((d) => d.kind === 'load' && d.class === 'absolute-other')).toBe(true);
      if (shared) expect(u[0].slices).toEqual(['x86_64', 'arm64']);
      expect(u[shared].slices).toEqual(['x86_64']);
      expect(u[n].slices).toEqual(['arm64']);
      const only = (s: 0 | 1) => Array.from({ length: n - shared }, (_, i) => `${name(s, shared + i)} (load)`).join(', ');
      expect(r.warnings.filter((w) => w.code === 'macho.slices-differ').map((w) => w.detail)).toEqual([
        `slices differ in dylibs: only in x86_64: ${only(0)}; only in arm64: ${only(1)}`,
      ]);
      // Each slice's own warnings, labelled, one per absolute install name: the first 64 kept, the rest counted.
      const abs = r.warnings.filter((w) => w.code === 'macho.absolute-dylib');
      expect(abs.length).toBe(65);
      expect(abs.at(-1)!.detail).toBe(`… and ${(2 * n - 64).toLocaleString('en-US')} more warnings of this kind`);
      expect(r.warnings.find((w) => w.code === 'macho.absolute-dylib')!.detail).toMatch(/^\[x86_64\] LC_LOAD_DYLIB \/[as]\/0000 is an absolute path/);
      expect(r.linkage).toBe('dynamic');
      expect(r.macho.linkageSummary).toBe('absolute-other');
    });
  }
});

describe('ELF: 65,534 PT_NOTE and 65,535 SHT_NOTE headers', () => {
  const bytes = elfManyNoteHeaders();

  it('finds the build ID in the segments and the Go build ID in the sections no segment covers', () => {
    const r = inspect(bytes, 'notes');
    if (r.error !== null || r.format !== 'elf') return expect.fail(r.error?.message ?? 'not ELF');
    expect(r.warnings).toEqual([]);
    expect(r.elf.segments.length).toBe(65_534);
    expect(new Set(r.elf.segments)).toEqual(new Set(['PT_NOTE']));
    expect(r.elf.hasSectionHeaders).toBe(true);
    expect(r.elf.buildId).toBe(MANY_NOTES.buildId);
    expect(r.elf.goBuildId).toBe(MANY_NOTES.goBuildId);
    expect(r.elf.noteOwners).toEqual(['Go']);
    expect({ type: r.type, linkage: r.linkage, libc: r.libc }).toEqual({ type: 'executable', linkage: 'static', libc: 'none' });
  });

  it('reads each region once: headers differing only in an alignment the walk treats alike are one region', () => {
    const f = readElf(new MemorySource(bytes));
    expect(f.sections.length).toBe(65_536);
    // e_shstrndx is SHN_UNDEF: no names (section 0's sh_size is the count, not a string table).
    expect(f.sections.every((s) => s.name === '')).toBe(true);
    expect(f.notes.map((n) => [n.owner, n.type])).toEqual([['GNU', 3], ['Go', 4]]);
  });

  it('a section inside a PT_NOTE is read through the segment only', () => {
    // Point every SHT_NOTE at the GNU note the segments hold: it is covered, so only the segments' notes remain.
    const b = elfManyNoteHeaders(3, 3);
    const dv = new DataView(b.buffer);
    const shoff = Number(dv.getBigUint64(40, true)), noteA = 64 + 3 * 56;
    for (let i = 1; i <= 3; i++) { dv.setBigUint64(shoff + i * 64 + 24, BigInt(noteA + 12), true); dv.setBigUint64(shoff + i * 64 + 32, 8n, true); }
    const f = readElf(new MemorySource(b));
    expect(f.notes.map((n) => n.owner)).toEqual(['GNU']);
  });
});

describe('PE: 1,536 sections, two overlapping, 262,140 imports', () => {
  it('reads every import through the last section', () => {
    const r = inspect(peManySections(), 'pe');
    if (r.error !== null || r.format !== 'pe') return expect.fail(r.error?.message ?? 'not PE');
    expect(r.warnings).toEqual([]);
    expect(r.pe.sections.length).toBe(1536);
    expect(r.pe.sections.at(-1)).toBe('.idata');
    expect(r.needed).toEqual(['dll0.dll', 'dll1.dll', 'dll2.dll', 'dll3.dll']);
    expect(r.imports.map((d) => d.functions.length)).toEqual([65_535, 65_535, 65_535, 65_535]);
    expect(r.imports.every((d) => d.functions.every((f) => f.name === 'fn' && f.hint === 0 && f.ordinal === null))).toBe(true);
    expect({ linkage: r.linkage, crt: r.crt }).toEqual({ linkage: 'dynamic', crt: 'none' });
  });

  it('more thunks than a file of its size can hold: refused with the imports limit, not read', () => {
    // Five descriptors sharing nothing but 1,536 sections: 327,675 imports > limits.maxImportsTotal (262,144).
    const r = inspect(peManySections(1536, 5, 65_535), 'pe');
    expect(r.error?.code).toBe('malformed');
    expect(r.error?.message).toBe(
      'imports from dll4.dll: more imported functions in all than a file of this size can hold (descriptors sharing thunk tables)');
  });
});

/** The lookup Image.locate replaced: the first section in table order holding the RVA, else the headers. */
function locateByScan(sections: SectionHeader[], sizeOfHeaders: number, rva: number) {
  for (const s of sections) {
    const extent = s.virtualSize !== 0 ? s.virtualSize : s.sizeOfRawData;
    if (rva >= s.virtualAddress && rva - s.virtualAddress < extent) {
      const delta = rva - s.virtualAddress;
      return { offset: s.pointerToRawData + delta, raw: Math.max(0, Math.min(s.sizeOfRawData, extent) - delta), mapped: extent - delta };
    }
  }
  const first = sections.reduce((m, s) => Math.min(m, s.virtualAddress), sizeOfHeaders);
  return rva < sizeOfHeaders && rva < first ? { offset: rva, raw: first - rva, mapped: first - rva } : null;
}

describe('PE Image.locate: the lowest-indexed section holding an RVA, however sections overlap', () => {
  const src = new MemorySource(new Uint8Array(16));
  const sec = (virtualAddress: number, virtualSize: number, sizeOfRawData: number, pointerToRawData: number): SectionHeader => ({
    name: '', virtualAddress, virtualSize, sizeOfRawData, pointerToRawData, characteristics: 0,
  });

  it('overlaps: the earlier section wins, on either side of the later one', () => {
    const sections = [sec(0x2000, 0x1000, 0x200, 0x400), sec(0x1000, 0x3000, 0x3000, 0x800), sec(0x2800, 0x100, 0, 0)];
    const img = new Image(src, sections, 0x400);
    expect(img.locate(0x1800)?.offset).toBe(0x800 + 0x800);
    expect(img.locate(0x2800)).toEqual({ offset: 0x400 + 0x800, raw: 0, mapped: 0x800 });
    expect(img.locate(0x3000)?.offset).toBe(0x800 + 0x2000);
    expect(img.locate(0x4000)).toBeNull();
    expect(img.locate(0x100)).toEqual({ offset: 0x100, raw: 0x300, mapped: 0x300 });
  });

  it('agrees with a scan of the section table on random tables', () => {
    const rnd = mulberry32(7);
    const pick = (n: number) => Math.floor(rnd() * n);
    for (let t = 0; t < 300; t++) {
      const n = 1 + pick(40);
      // Few distinct addresses (multiples of 0x100 below 0x4000) so that starts, ends and overlaps coincide often.
      const sections = Array.from({ length: n }, () => sec(pick(64) * 0x100, rnd() < 0.2 ? 0 : pick(24) * 0x100, pick(24) * 0x100, pick(1 << 16)));
      const sizeOfHeaders = pick(16) * 0x100;
      const img = new Image(src, sections, sizeOfHeaders);
      for (let k = 0; k < 200; k++) {
        const rva = rnd() < 0.5 ? pick(0x5000) : pick(0x50) * 0x100 + (rnd() < 0.5 ? 0 : 0xff);
        expect(img.locate(rva), `table ${t}, RVA 0x${rva.toString(16)}`).toEqual(locateByScan(sections, sizeOfHeaders, rva));
      }
    }
  });
});

// Shipped trees hold every member of an input (resolve/memory.ts). Both cases took tens of seconds when quadratic
// (a parent walk that re-normalised the whole name per level; a directory re-listed, sorted and scanned per DLL).
describe('shipped trees: attacker-sized names and directories', () => {
  it('a member named a/a/…/f of 32,000 levels is placed; past PATH_MAX no loader can open it, so it is not found', () => {
    const deep = `${'a/'.repeat(32_000)}f.txt`;
    const root = new MemorySysroot().add(deep, new Uint8Array(0)).add(`${'b/'.repeat(2_000)}f.txt`, new Uint8Array(0));
    expect(root.list('/')).toEqual(['a', 'b']);
    expect(root.isFile(deep)).toBe(false);
    expect(root.isFile(`${'b/'.repeat(2_000)}f.txt`)).toBe(true);
    expect(root.list(`/${'b/'.repeat(2_000)}`)).toEqual(['f.txt']);
  });

  it('20,000 programs in one directory, each resolving its DLLs there (case-insensitively)', () => {
    const exe = inspectSource(new MemorySource(new Uint8Array(readFileSync(sample('pe/mingw/usefoo.exe'))), 'usefoo.exe'), 'usefoo.exe');
    const root = new MemorySysroot({ '/app/FOO.DLL': { facts: inspectSource(new MemorySource(
      new Uint8Array(readFileSync(sample('pe/mingw/foo.dll'))), 'foo.dll'), 'foo.dll') } });
    for (let i = 0; i < 20_000; i++) root.add(`/app/p${i}.exe`, { facts: { ...exe, path: `/app/p${i}.exe` } });
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = resolveBinary(`/app/p${i}.exe`, { sysroot: root, inspect: inspectSource })[0];
      if (r.deps.find((d) => d.name.toLowerCase() === 'foo.dll')?.path === '/app/FOO.DLL') found++;
    }
    expect(found).toBe(20_000);
  });
});
