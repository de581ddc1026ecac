import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SAMPLES, facts, inspectFile, sample, tool } from './helpers.js';
import { readelfMany, readelfVersionNeeds } from './elf-readelf.js';
import { mutateAll } from './mutation.js';
import { MemorySource } from '../src/bytes/source.js';
import { readElf } from '../src/formats/elf/index.js';
import { inspectSource } from '../src/inspect.js';
import type { ElfFacts } from '../src/facts/types.js';
import { versionFloors } from '../src/facts/from-elf.js';
import { compareVersions } from '../src/facts/versions.js';
import { MANY_NOTES, elfManyNoteHeaders } from './hostile.js';

type Expect = Partial<Pick<ElfFacts,
  'arch' | 'bits' | 'endian' | 'type' | 'linkage' | 'libc' | 'pie' | 'interpreter' | 'needed' | 'rpath' | 'runpath' | 'soname'
>> & {
  relro?: 'none' | 'partial' | 'full'; bindNow?: boolean; nxStack?: boolean; textrel?: boolean; glibcFloor?: string | null;
};

const GLIBC_INTERP = '/lib64/ld-linux-x86-64.so.2';
const dynGlibc: Expect = {
  arch: 'x86_64', bits: 64, endian: 'little', type: 'executable', linkage: 'dynamic', libc: 'glibc', interpreter: GLIBC_INTERP, needed: ['libc.so.6'],
};

/** Every committed ELF sample and what it must be. Built by scripts/build-samples.sh from samples/src. */
export const ELF_SAMPLES: Record<string, Expect> = {
  'elf/musl-static': { type: 'executable', linkage: 'static', libc: 'musl', pie: false, interpreter: null, needed: [] },
  'elf/musl-static-pie': { type: 'executable', linkage: 'static-pie', libc: 'musl', pie: true, interpreter: null, needed: [] },
  'elf/musl-dynamic': {
    type: 'executable', linkage: 'dynamic', libc: 'musl', pie: true, interpreter: '/lib/ld-musl-x86_64.so.1', needed: ['libc.so'], glibcFloor: null,
  },
  'elf/glibc-pie': { ...dynGlibc, pie: true, relro: 'partial', bindNow: false, nxStack: true, textrel: false, glibcFloor: '2.34' },
  'elf/glibc-nopie': { ...dynGlibc, pie: false },
  'elf/glibc-static': { type: 'executable', linkage: 'static', libc: 'glibc', pie: false, interpreter: null, needed: [] },
  'elf/glibc-static-pie': { type: 'executable', linkage: 'static-pie', libc: 'glibc', pie: true, interpreter: null, needed: [] },
  'elf/libfoo.so.1': {
    type: 'shared-library', linkage: 'dynamic', libc: 'glibc', pie: null, soname: 'libfoo.so.1', needed: ['libc.so.6'], glibcFloor: '2.2.5',
  },
  'elf/libtextrel.so': { type: 'shared-library', soname: 'libtextrel.so', textrel: true },
  'elf/textrel-pie': { ...dynGlibc, textrel: true },
  'elf/execstack-nested': { ...dynGlibc, nxStack: false },
  'elf/execstack-flag': { ...dynGlibc, nxStack: false },
  'elf/bindnow-fullrelro': { ...dynGlibc, relro: 'full', bindNow: true },
  'elf/lazy-norelro': { ...dynGlibc, relro: 'none', bindNow: false },
  'elf/i386-pie': {
    arch: 'i386', bits: 32, endian: 'little', type: 'executable', linkage: 'dynamic', libc: 'glibc', interpreter: '/lib/ld-linux.so.2',
    needed: ['libtiny32.so', 'libc.so.6'], rpath: ['$ORIGIN'], runpath: [],
  },
  'elf/libtiny32.so': { arch: 'i386', bits: 32, type: 'shared-library', soname: 'libtiny32.so', libc: 'none' },
  'elf/ppc64-be': {
    arch: 'ppc64', bits: 64, endian: 'big', type: 'executable', linkage: 'dynamic', pie: true, interpreter: '/lib64/ld64.so.1',
    needed: ['libtinybe.so'], runpath: ['$ORIGIN'], rpath: [],
  },
  'elf/libtinybe.so': { arch: 'ppc64', endian: 'big', type: 'shared-library', soname: 'libtinybe.so' },
  'elf/mips32-be': {
    arch: 'mips', bits: 32, endian: 'big', type: 'executable', linkage: 'dynamic', interpreter: '/lib/ld.so.1', needed: ['libtinymips.so'],
    runpath: ['$ORIGIN'],
  },
  'elf/libtinymips.so': { arch: 'mips', bits: 32, endian: 'big', type: 'shared-library', soname: 'libtinymips.so' },
  'elf-tree/bin/use-rpath': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib'], runpath: [] },
  'elf-tree/bin/use-runpath': { ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: [], runpath: ['$ORIGIN/../lib'] },
  'elf-tree/bin/use-rpath-rustlib': {
    ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'], runpath: [],
  },
  'elf-tree/bin/use-runpath-rustlib': {
    ...dynGlibc, needed: ['libfoo.so.1', 'libc.so.6'], rpath: [], runpath: ['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'],
  },
  'rust/dynamic': { ...dynGlibc, needed: ['libgcc_s.so.1', 'libc.so.6', 'ld-linux-x86-64.so.2'], pie: true, relro: 'full', bindNow: true },
  'rust/crt-static': { type: 'executable', linkage: 'static-pie', libc: 'glibc', pie: true, interpreter: null, needed: [] },
  'rust/crt-static-nopie': { type: 'executable', linkage: 'static', libc: 'glibc', pie: false, interpreter: null, needed: [] },
  'rust/libcdy.so': { type: 'shared-library', linkage: 'dynamic', libc: 'glibc', soname: null, pie: null },
  'rust/librdy.so': { type: 'shared-library', soname: 'librdy.so', needed: ['libstd-d1237ef7159db0a2.so'] },
  'rust/use-rdy': {
    ...dynGlibc, needed: ['librdy.so', 'libstd-d1237ef7159db0a2.so', 'libc.so.6'],
    runpath: ['$ORIGIN/../lib', '$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib'],
  },
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

  it('each spelling of BIND_NOW alone makes bindNow and full RELRO (legacy DT_BIND_NOW from ld --disable-new-dtags)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-bindnow-'));
    const legacy = join(dir, 'legacy');
    tool('gcc', ['-O2', '-g0', '-Wl,-z,relro,-z,now,--disable-new-dtags', '-o', legacy, join(SAMPLES, 'src/c/hello.c')]);
    /** The file with the dynamic entry `tag` given value `val` (or turned into `newTag`). */
    const patch = (path: string, tag: number, val: bigint, newTag?: number) => {
      const b = new Uint8Array(readFileSync(path));
      const e = readElf(new MemorySource(b));
      const dyn = e.phdrs.find((p) => p.type === 2)!;
      const i = e.dynamic!.findIndex((d) => d.tag === tag);
      expect(i, `tag ${tag} in ${path}`).toBeGreaterThanOrEqual(0);
      const dv = new DataView(b.buffer);
      if (newTag !== undefined) dv.setBigUint64(dyn.offset + i * 16, BigInt(newTag), true);
      else dv.setBigUint64(dyn.offset + i * 16 + 8, val, true);
      const out = join(dir, `${basename(path)}-${tag}-${newTag ?? val}`);
      writeFileSync(out, b);
      return out;
    };
    const DT_BIND_NOW = 24, DT_FLAGS = 30, DT_FLAGS_1 = 0x6ffffffb, DT_DEBUG = 21;
    const flags1 = (p: string) => BigInt(readElf(new MemorySource(new Uint8Array(readFileSync(p)))).dynamic!.find((d) => d.tag === DT_FLAGS_1)!.lo);
    const noNow = (p: string) => patch(p, DT_FLAGS_1, flags1(p) & ~1n);
    const cases: [string, string, string | null][] = [
      [noNow(legacy), 'DT_BIND_NOW', '(BIND_NOW)'],
      [noNow(sample('elf/bindnow-fullrelro')), 'DT_FLAGS', 'BIND_NOW'],
      [patch(sample('elf/bindnow-fullrelro'), DT_FLAGS, 0n), 'DT_FLAGS_1', 'NOW'],
      [patch(noNow(legacy), DT_BIND_NOW, 0n, DT_DEBUG), '', null],
    ];
    for (const [path, field, readelfSays] of cases) {
      const f = facts(path) as ElfFacts;
      const d = tool('readelf', ['-dW', path]);
      if (readelfSays) {
        expect(d).toContain(readelfSays);
        expect(f.evidence.bindNow.map((e) => e.field), path).toEqual([field]);
        expect(f.hardening).toMatchObject({ bindNow: true, relro: 'full' });
      } else {
        expect(d).not.toMatch(/BIND_NOW|Flags:.*\bNOW\b/);
        expect(f.hardening).toMatchObject({ bindNow: false, relro: 'partial' });
      }
    }
  });

  it('bionic: an Android interpreter (/system/bin/linker64) names the libc', () => {
    // musl-dynamic with its PT_INTERP string rewritten (no NDK here to build a real one).
    const b = new Uint8Array(readFileSync(sample('elf/musl-dynamic')));
    const e = readElf(new MemorySource(b));
    const interp = e.phdrs.find((p) => p.type === 3)!;
    b.fill(0, interp.offset, interp.offset + interp.filesz);
    b.set(Buffer.from('/system/bin/linker64'), interp.offset);
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-bionic-'));
    writeFileSync(join(dir, 'android'), b);
    expect(tool('readelf', ['-lW', join(dir, 'android')])).toContain('[Requesting program interpreter: /system/bin/linker64]');
    const f = facts(join(dir, 'android'));
    expect(f).toMatchObject({ libc: 'bionic', interpreter: '/system/bin/linker64', linkage: 'dynamic' });
    expect(f.evidence.libc).toEqual([{ field: 'PT_INTERP', value: '/system/bin/linker64' }]);
  });

  it('notes outside every PT_NOTE are read from their sections (the Go linker leaves .note.gnu.build-id out)', () => {
    // glibc-pie with the PT_NOTE that covers .note.gnu.build-id and .note.ABI-tag turned into PT_NULL.
    const b = new Uint8Array(readFileSync(sample('elf/glibc-pie')));
    const e = readElf(new MemorySource(b));
    const i = e.phdrs.findIndex((p) => p.type === 4 && p.filesz === 0x44);
    new DataView(b.buffer).setUint32(64 + i * 56, 0, true);
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-notes-'));
    writeFileSync(join(dir, 'go-like'), b);
    const f = facts(join(dir, 'go-like')) as ElfFacts;
    expect(f.elf.buildId).toBe('011614ba0cd96d55d96233f2289541a7b8b379a4');
    expect(f.elf.abiTag).toEqual({ os: 'Linux', version: '3.2.0' });
    expect(tool('readelf', ['-nW', join(dir, 'go-like')])).toContain('Build ID: 011614ba0cd96d55d96233f2289541a7b8b379a4');
  });
});

/** Floors as the issue defines them, from readelf -V: the highest GLIBC_ / GLIBCXX_ / CXXABI_ / GCC_ version required. */
function readelfFloors(path: string) {
  const names = readelfVersionNeeds(path).map((n) => (n === 'GLIBC_ABI_DT_RELR' ? 'GLIBC_2.36' : n));
  const top = (prefix: string) => {
    const vs = names.map((n) => new RegExp(`^${prefix}_(\\d+(?:\\.\\d+)+)$`).exec(n)?.[1]).filter((v): v is string => !!v);
    return vs.sort((a, b) => {
      const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
      for (let i = 0; i < 4; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
      return 0;
    }).at(-1) ?? null;
  };
  return { glibc: top('GLIBC'), glibcxx: top('GLIBCXX'), cxxabi: top('CXXABI'), gcc: top('GCC') };
}

describe('ELF floors cross-checked against readelf -V', () => {
  it('rust/dynamic needs libgcc_s: a GCC_ floor', () => {
    const f = facts(sample('rust/dynamic')) as ElfFacts;
    expect(f.elf.floors).toEqual(readelfFloors(sample('rust/dynamic')));
    expect(f.elf.floors.gcc).toMatch(/^\d+\.\d+/);
  });

  it('C++ programs under /usr/bin: GLIBCXX_, CXXABI_, GCC_ and GLIBC_ floors', () => {
    const cxx = readdirSync('/usr/bin').sort().map((n) => join('/usr/bin', n)).filter((p) => {
      try {
        const st = statSync(p);
        return st.isFile() && st.size < 64 << 20 && readFileSync(p).includes('GLIBCXX_');
      } catch { return false; }
    }).slice(0, 25);
    // Debian's llvm tools and many others are C++: a machine without one would be a broken test machine.
    expect(cxx.length).toBeGreaterThan(0);
    let withCxx = 0;
    for (const p of cxx) {
      const r = inspectFile(p);
      if (r.error !== null || r.format !== 'elf') continue;
      expect(r.elf.floors, p).toEqual(readelfFloors(p));
      if (r.elf.floors.glibcxx) withCxx++;
    }
    expect(withCxx).toBeGreaterThan(0);
  });
});

/** readelf's spellings of the header fields, in ours (binutils readelf.c get_osabi_name / get_machine_name). */
const READELF_OSABI: Record<string, string> = {
  'UNIX - System V': 'SYSV', 'UNIX - GNU': 'GNU', 'UNIX - FreeBSD': 'FREEBSD', 'UNIX - NetBSD': 'NETBSD', 'UNIX - OpenBSD': 'OPENBSD',
};
const READELF_MACHINE: Record<string, string> = {
  'Advanced Micro Devices X86-64': 'EM_X86_64', 'Intel 80386': 'EM_386', AArch64: 'EM_AARCH64', ARM: 'EM_ARM',
  PowerPC64: 'EM_PPC64', PowerPC: 'EM_PPC', 'MIPS R3000': 'EM_MIPS', 'RISC-V': 'EM_RISCV', 'IBM S/390': 'EM_S390',
};
/** Program header types both tools name; others (OS-specific, unknown) are left out of the comparison. */
const SEGMENTS = new Set(['PHDR', 'INTERP', 'LOAD', 'DYNAMIC', 'NOTE', 'TLS', 'GNU_STACK', 'GNU_RELRO', 'GNU_EH_FRAME', 'GNU_PROPERTY']);

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
      // Header: class, byte order, OS/ABI, machine.
      expect(f.elf.class, where).toBe(v.cls);
      expect(f.endian, where).toBe(v.data);
      if (READELF_OSABI[v.osabi]) expect(f.elf.osabi, where).toBe(READELF_OSABI[v.osabi]);
      if (READELF_MACHINE[v.machine]) expect(f.elf.machine, where).toBe(READELF_MACHINE[v.machine]);
      // Program headers (PT_PHDR, PT_INTERP, PT_LOAD, PT_DYNAMIC, PT_TLS, PT_GNU_RELRO, PT_GNU_STACK…) in order, and the stack's flags.
      expect(f.elf.segments.filter((t) => SEGMENTS.has(t.slice(3))), where).toEqual(v.segments.filter((t) => SEGMENTS.has(t)).map((t) => `PT_${t}`));
      expect(f.elf.gnuStack, where).toBe(v.gnuStack === null ? null : v.gnuStack.replace('E', 'X'));
      expect(f.elf.tls, where).toBe(v.segments.includes('TLS'));
      expect(f.elf.relro, where).toBe(v.segments.includes('GNU_RELRO'));
      // Notes: GNU build ID and ABI tag.
      expect(f.elf.buildId, where).toBe(v.buildId);
      expect(f.elf.abiTag ? `${f.elf.abiTag.os} ${f.elf.abiTag.version}` : null, where).toBe(v.abiTag);
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
    const { inspectPaths } = await import('../src/node/inspect-paths.js');
    const r = await inspectPaths(['/usr/bin', '/usr/lib'], { archives: false });
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

describe('the glibc floor evidence quotes the version the file names', () => {
  it('GLIBC_ABI_DT_RELR floors glibc at 2.36, and the evidence says GLIBC_ABI_DT_RELR, not an invented GLIBC_2.36', () => {
    const relr = versionFloors([{ file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_ABI_DT_RELR', 'GLIBC_2.34'] }]);
    expect(relr.floors.glibc).toBe('2.36');
    expect(relr.evidence).toEqual([{ field: 'vna_name', value: 'GLIBC_ABI_DT_RELR (glibc 2.36 introduced DT_RELR)' }]);
    expect(JSON.stringify(relr.evidence)).not.toContain('GLIBC_2.36');
  });

  it('a real version is quoted as is: above DT_RELR\'s 2.36, and at a tie with it', () => {
    const quoted = (versions: string[]) => versionFloors([{ file: 'libc.so.6', versions }]).evidence;
    expect(quoted(['GLIBC_ABI_DT_RELR', 'GLIBC_2.38'])).toEqual([{ field: 'vna_name', value: 'GLIBC_2.38' }]);
    expect(quoted(['GLIBC_ABI_DT_RELR', 'GLIBC_2.36'])).toEqual([{ field: 'vna_name', value: 'GLIBC_2.36' }]);
    expect(versionFloors([{ file: 'libc.so.6', versions: ['GLIBC_2.2.5'] }, { file: 'libm.so.6', versions: ['GLIBC_2.29'] }]).evidence)
      .toEqual([{ field: 'vna_name', value: 'GLIBC_2.29' }]);
    expect(versionFloors([{ file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.29'] }]).evidence).toEqual([]);
  });
});

describe('note regions: the scan for a few headers and the maps for many agree', () => {
  const notesOf = (b: Uint8Array) => readElf(new MemorySource(b)).notes.map((n) => `${n.owner}:${n.type}:${n.desc.length}`);
  const both = ['GNU:3:20', `Go:4:${MANY_NOTES.goBuildId.length}`];
  it('a note section inside a PT_NOTE is not read again: the notes readelf -n lists, once each', () => {
    for (const s of ['elf/glibc-pie', 'elf/glibc-static']) {
      const listed = tool('readelf', ['-nW', sample(s)]).split('\n').filter((l) => /^\s+\S+\s+0x[0-9a-f]+\s/.test(l));
      expect(listed.length).toBeGreaterThan(0);
      const owners = listed.map((l) => `${l.trim().split(/\s+/)[0]}:${parseInt(l.trim().split(/\s+/)[1], 16)}`);
      expect(notesOf(new Uint8Array(readFileSync(sample(s)))).map((n) => n.replace(/:\d+:/, ':'))).toEqual(owners);
    }
  });
  // Below, at and above the count where readElf stops scanning (8 regions) and builds coverage() and maps instead.
  for (const [ph, sh] of [[1, 1], [3, 4], [8, 1], [9, 1], [1, 9], [12, 12]]) {
    it(`${ph} PT_NOTE and ${sh} SHT_NOTE headers, all different: each note once`, () => {
      expect(notesOf(elfManyNoteHeaders(ph, sh))).toEqual(both);
    });
    it(`${ph} PT_NOTE and ${sh} SHT_NOTE headers naming the same regions alike: still each note once`, () => {
      const b = elfManyNoteHeaders(ph, sh);
      const v = new DataView(b.buffer);
      // Every p_align and sh_addralign 4: the headers now name the same (offset, size, alignment) over and over.
      for (let i = 0; i < ph; i++) v.setBigUint64(64 + i * 56 + 48, 4n, true);
      const shoff = Number(v.getBigUint64(40, true));
      for (let i = 1; i <= sh; i++) v.setBigUint64(shoff + i * 64 + 48, 4n, true);
      expect(notesOf(b)).toEqual(both);
    });
  }
});

describe('compareVersions', () => {
  // The split-and-Number() comparison it replaced, as the reference: every pair of these must compare alike.
  // Up to the first part Number() cannot read (NaN: "a", "PRIVATE", "0l"), which is compared as a library version since.
  const reference = (a: string, b: string) => {
    if (a === b) return 0;
    const pa = a.split('.'), pb = b.split('.');
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
      if (Number.isNaN(d)) return compareVersions(a, b);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  };
  it('library versions: a letter suffix after the bare number, a pre-release before it (OpenSSL 1.1.0l < 1.1.1 < 1.1.1a < 1.1.1k)', () => {
    const ordered = ['1.0.2z', '1.0.2za', '1.1.0l', '1.1.1-pre9', '1.1.1', '1.1.1a', '1.1.1k', '1.1.1w', '3.0.0-alpha1', '3.0.0-alpha17',
      '3.0.0-beta1', '3.0.0', '3.0.13', '3.2.0rc1', '3.2.0'];
    for (const [i, a] of ordered.entries()) {
      for (const [j, b] of ordered.entries()) expect([a, b, compareVersions(a, b)]).toEqual([a, b, Math.sign(i - j)]);
    }
    expect([compareVersions('2.28', '2.28.0a'), compareVersions('PRIVATE', '2.2.5'), compareVersions('a', 'b')]).toEqual([-1, -1, -1]);
  });
  it('orders as the split-and-Number() comparison did, odd parts included', () => {
    const parts = ['', '0', '1', '2', '10', '34', '3.4', '2.2.5', 'a', ' 1', '1e3', '0x10', '007', '99999999999999999999', '-1', '.', '1.',
      '.1', 'PRIVATE'];
    const names = parts.flatMap((x) => parts.flatMap((y) => [`${x}.${y}`, x + y]));
    let pairs = 0;
    for (const a of names) {
      for (const b of names) {
        pairs++;
        if (compareVersions(a, b) !== reference(a, b)) expect([a, b, compareVersions(a, b)]).toEqual([a, b, reference(a, b)]);
      }
    }
    expect(pairs).toBeGreaterThan(500_000);
    expect([compareVersions('2.28', '2.28.0'), compareVersions('2.3.4', '2.34'), compareVersions('3.4.29', '3.4.3')]).toEqual([0, -1, 1]);
  });
});

describe('the C library\'s own files are its, not "none"', () => {
  it('glibc\'s loader, by its SONAME; musl\'s libc.so (its loader: no SONAME, nothing needed), by the __dls3 it exports', () => {
    const ld = readdirSync('/lib64').find((n) => /^ld-linux.*\.so\.\d$/.test(n));
    expect(ld, 'this machine\'s glibc loader in /lib64').toBeDefined();
    expect((inspectFile(join('/lib64', ld!)) as ElfFacts))
      .toMatchObject({ libc: 'glibc', evidence: expect.objectContaining({ libc: [{ field: 'DT_SONAME', value: ld }] }) });
    // A stripped shared object exporting musl's loader stages, as musl's libc.so does, built here (gcc, no libc).
    const d = mkdtempSync(join(tmpdir(), 'linkplan-musl-libc-'));
    writeFileSync(join(d, 'l.c'), 'void __dls2b(void){}\nvoid __dls3(void){}\nint __libc_start_main(void){return 0;}\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-nostdlib', '-s', '-o', join(d, 'libc.so'), join(d, 'l.c')]);
    const m = inspectFile(join(d, 'libc.so')) as ElfFacts;
    expect([m.soname, m.needed, m.interpreter]).toEqual([null, [], null]);
    expect(m).toMatchObject({ libc: 'musl', evidence: expect.objectContaining({ libc: [{ field: 'symbol', value: '__dls3' }] }) });
    // Without it, such an object is still one bound to no libc.
    writeFileSync(join(d, 'n.c'), 'int f(void){return 0;}\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-nostdlib', '-s', '-o', join(d, 'libn.so'), join(d, 'n.c')]);
    expect((inspectFile(join(d, 'libn.so')) as ElfFacts).libc).toBe('none');
  });
});

describe('an object file\'s stack: its .note.GNU-stack section (no PT_GNU_STACK in ET_REL)', () => {
  // crt1.o of this machine's libc6-dev (the compiler the machine has brings it), cross-checked with readelf.
  const CRT1 = '/usr/lib/x86_64-linux-gnu/crt1.o';
  const inspectBytes = (b: Uint8Array) => {
    const r = inspectSource(new MemorySource(b, CRT1), CRT1);
    if (r.error !== null) throw new Error(r.error.message);
    return r as ElfFacts;
  };
  it('crt1.o: a non-executable .note.GNU-stack is a non-executable stack; SHF_EXECINSTR or no note is not', () => {
    const b = new Uint8Array(readFileSync(CRT1));
    const note = tool('readelf', ['-SW', CRT1]).split('\n').find((l) => l.includes('.note.GNU-stack'));
    expect(note, 'readelf lists .note.GNU-stack').toBeDefined();
    expect(note).not.toMatch(/ X /);
    const f = inspectBytes(b);
    expect([f.type, f.hardening.nxStack]).toEqual(['relocatable', true]);
    expect(f.evidence.nxStack).toEqual([{ field: '.note.GNU-stack', value: 'not executable' }]);
    // The same file with the section's flags set to SHF_EXECINSTR (as -Wa,--execstack writes), then renamed away.
    const shoff = Number(new DataView(b.buffer).getBigUint64(0x28, true));
    const shentsize = new DataView(b.buffer).getUint16(0x3a, true), shnum = new DataView(b.buffer).getUint16(0x3c, true);
    const shstrndx = new DataView(b.buffer).getUint16(0x3e, true);
    const strOff = Number(new DataView(b.buffer).getBigUint64(shoff + shstrndx * shentsize + 0x18, true));
    let at = -1;
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * shentsize;
      const name = new DataView(b.buffer).getUint32(h, true);
      if (Buffer.from(b.subarray(strOff + name, strOff + name + 15)).toString('latin1') === '.note.GNU-stack') at = h;
    }
    expect(at).toBeGreaterThan(0);
    const x = b.slice();
    new DataView(x.buffer).setBigUint64(at + 8, 4n, true); // sh_flags = SHF_EXECINSTR
    expect([inspectBytes(x).hardening.nxStack, inspectBytes(x).evidence.nxStack]).toEqual([false, [{ field: '.note.GNU-stack', value: 'SHF_EXECINSTR' }]]);
    const gone = b.slice();
    const nameAt = strOff + new DataView(b.buffer).getUint32(at, true);
    gone[nameAt + 1] = 'm'.charCodeAt(0); // ".mote.GNU-stack": no such note
    expect([inspectBytes(gone).hardening.nxStack, inspectBytes(gone).evidence.nxStack]).toEqual([false, [{ field: '.note.GNU-stack', value: null }]]);
  });
});

describe('addresses past 2^53 (a kernel image at 0xffffffff81000000, a core dump\'s vsyscall page)', () => {
  it('are read, not refused: e_entry as hex, the facts as before; offsets and sizes past 2^53 still are errors', () => {
    const b = new Uint8Array(readFileSync(sample('elf/musl-static')));
    const v = new DataView(b.buffer);
    const before = inspectSource(new MemorySource(b.slice(), 'k'), 'k') as ElfFacts;
    v.setBigUint64(0x18, 0xffffffff81000000n, true); // e_entry
    const phoff = Number(v.getBigUint64(0x20, true)), phnum = v.getUint16(0x38, true);
    for (let i = 0; i < phnum; i++) v.setBigUint64(phoff + i * 56 + 16, 0xffffffff81000000n + BigInt(i) * 0x1000n, true); // p_vaddr
    const f = inspectSource(new MemorySource(b, 'k'), 'k') as ElfFacts;
    expect(f.error).toBeNull();
    expect(f.elf.entry).toBe('0xffffffff81000000');
    expect([f.type, f.linkage, f.libc]).toEqual([before.type, before.linkage, before.libc]);
    // A shared object whose DT_STRTAB address is past 2^53 (linked into kernel space): its names come from the string
    // table .dynamic's sh_link names, as readelf reads them.
    const so = new Uint8Array(readFileSync(sample('elf/libfoo.so.1')));
    const want = inspectSource(new MemorySource(so.slice(), 'so'), 'so') as ElfFacts;
    const sv = new DataView(so.buffer);
    const sphoff = Number(sv.getBigUint64(0x20, true));
    let dynOff = -1, dynSize = 0;
    for (let i = 0; i < sv.getUint16(0x38, true); i++) {
      const ph = sphoff + i * 56;
      if (sv.getUint32(ph, true) === 2) { dynOff = Number(sv.getBigUint64(ph + 8, true)); dynSize = Number(sv.getBigUint64(ph + 32, true)); }
    }
    expect(dynOff).toBeGreaterThan(0);
    for (let o = dynOff; o < dynOff + dynSize; o += 16) if (sv.getBigUint64(o, true) === 5n) sv.setBigUint64(o + 8, 0xffffffff81000000n, true); // DT_STRTAB
    const far = inspectSource(new MemorySource(so, 'so'), 'so') as ElfFacts;
    expect(far.error).toBeNull();
    expect([far.soname, far.needed]).toEqual([want.soname, want.needed]);
    // An offset there is no file for: still refused.
    v.setBigUint64(phoff + 8, 0xffffffff81000000n, true); // p_offset
    const bad = inspectSource(new MemorySource(b, 'k'), 'k');
    expect(bad.error?.message).toMatch(/64-bit value 0xffffffff81000000 is out of range/);
  });
});
