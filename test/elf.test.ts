import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { facts, sample, tool } from './helpers.js';
import { readelfMany, readelfVersionNeeds } from './elf-readelf.js';
import { mutateAll } from './mutation.js';
import { MemorySource } from '../src/bytes/source.js';
import { readElf } from '../src/formats/elf/index.js';
import type { ElfFacts } from '../src/facts/types.js';

type Expect = Partial<Pick<ElfFacts, 'arch' | 'bits' | 'endian' | 'type' | 'linkage' | 'libc' | 'pie' | 'interpreter' | 'needed' | 'rpath' | 'runpath' | 'soname'>> & {
  relro?: 'none' | 'partial' | 'full'; bindNow?: boolean; nxStack?: boolean; textrel?: boolean; glibcFloor?: string | null;
};

const GLIBC_INTERP = '/lib64/ld-linux-x86-64.so.2';
const dynGlibc: Expect = { arch: 'x86_64', bits: 64, endian: 'little', type: 'executable', linkage: 'dynamic', libc: 'glibc', interpreter: GLIBC_INTERP, needed: ['libc.so.6'] };

/** Every committed ELF sample and what it must be. Built by scripts/build-samples.sh from samples/src. */
export const ELF_SAMPLES: Record<string, Expect> = {
  'elf/musl-static': { type: 'executable', linkage: 'static', libc: 'musl', pie: false, interpreter: null, needed: [] },
  'elf/musl-static-pie': { type: 'executable', linkage: 'static-pie', libc: 'musl', pie: true, interpreter: null, needed: [] },
  'elf/musl-dynamic': { type: 'executable', linkage: 'dynamic', libc: 'musl', pie: true, interpreter: '/lib/ld-musl-x86_64.so.1', needed: ['libc.so'], glibcFloor: null },
  'elf/glibc-pie': { ...dynGlibc, pie: true, relro: 'partial', bindNow: false, nxStack: true, textrel: false, glibcFloor: '2.34' },
  'elf/glibc-nopie': { ...dynGlibc, pie: false },
  'elf/glibc-static': { type: 'executable', linkage: 'static', libc: 'glibc', pie: false, interpreter: null, needed: [] },
  'elf/glibc-static-pie': { type: 'executable', linkage: 'static-pie', libc: 'glibc', pie: true, interpreter: null, needed: [] },
  'elf/libfoo.so.1': { type: 'shared-library', linkage: 'dynamic', libc: 'glibc', pie: null, soname: 'libfoo.so.1', needed: ['libc.so.6'], glibcFloor: '2.2.5' },
  'elf/libtextrel.so': { type: 'shared-library', soname: 'libtextrel.so', textrel: true },
  'elf/textrel-pie': { ...dynGlibc, textrel: true },
  'elf/execstack-nested': { ...dynGlibc, nxStack: false },
  'elf/execstack-flag': { ...dynGlibc, nxStack: false },
  'elf/bindnow-fullrelro': { ...dynGlibc, relro: 'full', bindNow: true },
  'elf/lazy-norelro': { ...dynGlibc, relro: 'none', bindNow: false },
  'elf/i386-pie': { arch: 'i386', bits: 32, endian: 'little', type: 'executable', linkage: 'dynamic', libc: 'glibc', interpreter: '/lib/ld-linux.so.2', needed: ['libtiny32.so', 'libc.so.6'], rpath: ['$ORIGIN'], runpath: [] },
  'elf/libtiny32.so': { arch: 'i386', bits: 32, type: 'shared-library', soname: 'libtiny32.so', libc: 'none' },
  'elf/ppc64-be': { arch: 'ppc64', bits: 64, endian: 'big', type: 'executable', linkage: 'dynamic', pie: true, interpreter: '/lib64/ld64.so.1', needed: ['libtinybe.so'], runpath: ['$ORIGIN'], rpath: [] },
  'elf/libtinybe.so': { arch: 'ppc64', endian: 'big', type: 'shared-library', soname: 'libtinybe.so' },
  'elf/mips32-be': { arch: 'mips', bits: 32, endian: 'big', type: 'executable', linkage: 'dynamic', interpreter: '/lib/ld.so.1', needed: ['libtinymips.so'], runpath: ['$ORIGIN'] },
  'elf/libtinymips.so': { arch: 'mips', bits: 32, endian: 'big', type: 'shared-library', soname: 'libtinymips.so' },
  'elf-tree/bin/use-rpath': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib'], runpath: [] },
  'elf-tree/bin/use-runpath': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: [], runpath: ['$ORIGIN/../lib'] },
  'elf-tree/bin/use-rpath-rustlib': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'], runpath: [] },
  'elf-tree/bin/use-runpath-rustlib': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: [], runpath: ['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'] },
  'rust/dynamic': { ...dynGlibc, needed: ['libgcc_s.so.1', 'libc.so.6', 'ld-linux-x86-64.so.2'], pie: true, relro: 'full', bindNow: true },
  'rust/crt-static': { type: 'executable', linkage: 'static-pie', libc: 'glibc', pie: true, interpreter: null, needed: [] },
  'rust/crt-static-nopie': { type: 'executable', linkage: 'static', libc: 'glibc', pie: false, interpreter: null, needed: [] },
  'rust/libcdy.so': { type: 'shared-library', linkage: 'dynamic', libc: 'glibc', soname: null, pie: null },
  'rust/librdy.so': { type: 'shared-library', soname: 'librdy.so', needed: ['libstd-d1237ef7159db0a2.so'] },
  'rust/use-rdy': { ...dynGlibc, needed: ['librdy.so', 'libstd-d1237ef7159db0a2.so', 'libc.so.6'], runpath: ['$ORIGIN/../lib', '$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib'] },
};

describe('ELF samples: facts and verdicts', () => {
  for (const [path, want] of Object.entries(ELF_SAMPLES)) {
    it(path, () => {
      const f = facts(sample(path));
      expect(f.format).toBe('elf');
      if (f.format !== 'elf') return;
      const { relro, bindNow, nxStack, textrel, glibcFloor, ...common } = want;
      expect(f).toMatchObject(common);
      if (relro !== undefined) expect(f.hardening.relro).toBe(relro);
      if (bindNow !== undefined) expect(f.hardening.bindNow).toBe(bindNow);
      if (nxStack !== undefined) expect(f.hardening.nxStack).toBe(nxStack);
      if (textrel !== undefined) expect(f.hardening.textrel).toBe(textrel);
      if (glibcFloor !== undefined) expect(f.elf.floors.glibc).toBe(glibcFloor);
      expect(f.warnings).toEqual([]);
      // Every verdict names what it rests on.
      if (f.linkage !== null) expect(f.evidence.linkage.length).toBeGreaterThan(0);
      if (f.libc !== 'unknown') expect(f.evidence.libc.length).toBeGreaterThan(0);
    });
  }

  it('tells a static-PIE from a shared library, and says why', () => {
    const pie = facts(sample('elf/glibc-static-pie'));
    const so = facts(sample('elf/libfoo.so.1'));
    expect(pie.evidence.type).toContainEqual({ field: 'DF_1_PIE', value: true });
    expect(so.evidence.type).toContainEqual({ field: 'DT_SONAME', value: 'libfoo.so.1' });
  });

  it('reads the ABI tag, build id and .comment toolchain strings', () => {
    const f = facts(sample('elf/glibc-static')) as ElfFacts;
    expect(f.elf.abiTag).toEqual({ os: 'Linux', version: '3.2.0' });
    expect(f.elf.buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(f.elf.comments.some((c) => c.startsWith('GCC:'))).toBe(true);
    const r = facts(sample('rust/dynamic')) as ElfFacts;
    expect(r.elf.comments.some((c) => c.startsWith('rustc version'))).toBe(true);
    expect(r.evidence.libc).toEqual([{ field: 'PT_INTERP', value: GLIBC_INTERP }]);
  });

  it('static musl: libc from musl-only symbols when present; stripped, it is unknown rather than guessed', () => {
    const f = facts(sample('elf/musl-static')) as ElfFacts;
    expect(f.libc).toBe('musl');
    expect(f.evidence.libc).toContainEqual({ field: 'symbol', value: '__init_libc' });
    expect(f.elf.abiTag).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-'));
    const stripped = join(dir, 'musl-static-stripped');
    tool('strip', ['-o', stripped, sample('elf/musl-static')]);
    const s = facts(stripped);
    expect(s.linkage).toBe('static');
    expect(s.libc).toBe('unknown');
    expect(s.evidence.libc).toEqual([]);
  });

  it('reports all three spellings of BIND_NOW', () => {
    const f = facts(sample('elf/bindnow-fullrelro')) as ElfFacts;
    const fields = f.evidence.bindNow.map((e) => e.field);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.every((x) => ['DT_BIND_NOW', 'DT_FLAGS', 'DT_FLAGS_1'].includes(x))).toBe(true);
  });
});

describe('ELF cross-check against readelf', () => {
  function crossCheck(paths: string[]): number {
    const views = readelfMany(paths);
    let checked = 0;
    for (const p of paths) {
      const v = views.get(p);
      if (!v || !v.eType) continue;
      const f = facts(p);
      if (f.format !== 'elf' || f.type === 'debug-info') continue;
      const where = `${p}`;
      expect(f.elf.eType, where).toBe(v.eType);
      expect(f.interpreter, where).toBe(v.interp);
      expect(f.needed, where).toEqual(v.needed);
      expect(f.soname, where).toBe(v.soname);
      expect(f.rpath, where).toEqual(v.rpath === null ? [] : v.rpath.split(':'));
      expect(f.runpath, where).toEqual(v.runpath === null ? [] : v.runpath.split(':'));
      expect([...f.elf.flags].sort(), where).toEqual([...new Set(v.flags)].sort());
      expect([...f.elf.flags1].sort(), where).toEqual([...new Set(v.flags1)].sort());
      expect([...f.elf.dynamicTags].sort(), where).toEqual([...new Set(v.tags)].sort());
      checked++;
    }
    return checked;
  }

  it('every sample', () => {
    const paths = Object.keys(ELF_SAMPLES).map(sample);
    expect(crossCheck(paths)).toBe(paths.length);
  });

  it('version needs and glibc floor of every dynamic sample', () => {
    for (const p of Object.keys(ELF_SAMPLES)) {
      const f = facts(sample(p)) as ElfFacts;
      const names = readelfVersionNeeds(sample(p));
      expect(f.elf.versionNeeds.flatMap((v) => v.versions).sort(), p).toEqual([...names].sort());
    }
  });

  it('every ELF file under /usr/bin and /usr/lib of this machine', async () => {
    const { inspectPaths } = await import('../src/cli/files.js');
    const r = inspectPaths(['/usr/bin', '/usr/lib']);
    const elf = r.binaries.filter((b) => b.format === 'elf' && b.error === null && b.type !== 'debug-info').map((b) => b.path);
    const failed = r.binaries.filter((b) => b.format === 'elf' && b.error !== null);
    // A system's own binaries are well-formed: none may fail to parse.
    expect(failed.map((b) => `${b.path}: ${b.error?.message}`)).toEqual([]);
    expect(elf.length).toBeGreaterThan(100);
    const n = crossCheck(elf);
    expect(n).toBeGreaterThan(elf.length * 0.95);
  }, 300_000);

  it('agrees with llvm-readobj on the big-endian and 32-bit samples', () => {
    for (const p of ['elf/ppc64-be', 'elf/mips32-be', 'elf/i386-pie', 'elf/libtinybe.so']) {
      const t = tool('llvm-readobj', ['--needed-libs', '--dynamic-table', '--file-headers', sample(p)]);
      const f = facts(sample(p));
      // llvm-readobj --needed-libs lists names sorted, not in load order.
      const needed = [...t.matchAll(/^\s+(\S+)$/gm)].map((m) => m[1]).filter((x) => f.needed.includes(x));
      expect([...needed].sort()).toEqual([...f.needed].sort());
      expect(t).toContain(f.endian === 'big' ? 'BigEndian' : 'LittleEndian');
      if (f.soname) expect(t).toContain(`Library soname: [${f.soname}]`);
      for (const r of f.runpath) expect(t).toContain(`Library runpath: [${f.runpath.join(':')}]`);
    }
  });
});

describe('ELF mutation: only MalformedError or warnings', () => {
  for (const path of Object.keys(ELF_SAMPLES)) {
    it(path, () => {
      const bytes = new Uint8Array(readFileSync(sample(path)));
      const parsed = readElf(new MemorySource(bytes));
      const ranges: [number, number][] = [[0, 1024]];
      for (const p of parsed.phdrs) {
        if (p.type === 2 || p.type === 4) ranges.push([p.offset, Math.min(p.offset + p.filesz, p.offset + 2048)]);
      }
      const shoff = parsed.header.shoff;
      if (shoff) ranges.push([shoff, Math.min(bytes.length, shoff + 2048)]);
      const n = mutateAll(bytes, path, { truncateDense: 1024, scribble: ranges });
      expect(n).toBeGreaterThan(1000);
    });
  }
});
