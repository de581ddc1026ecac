/**
 * Mach-O inputs the sample toolchain cannot produce (big-endian 32-bit dylibs, FAT_MAGIC_64, static executables,
 * slices that disagree in kind, broken load commands), built in memory, byte for byte as mach-o/loader.h and
 * mach-o/fat.h lay them out.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { classifyDylib, summarize } from '../src/facts/from-macho.js';
import { isAppleSystem } from '../src/resolve/dyld.js';
import { readFat, readMacho } from '../src/formats/macho/index.js';
import type { BinaryResult, MachoFacts } from '../src/facts/types.js';
import { sample } from './helpers.js';

const CPU_TYPE_X86_64 = 0x01000007, CPU_TYPE_ARM64 = 0x0100000c, CPU_TYPE_POWERPC = 18, CPU_TYPE_ARM64_32 = 0x0200000c;
const MH_OBJECT = 1, MH_EXECUTE = 2, MH_DYLIB = 6;
const MH_NOUNDEFS = 1, MH_DYLDLINK = 4, MH_TWOLEVEL = 0x80, MH_PIE = 0x200000;
const LC = {
  SEGMENT_64: 0x19, UNIXTHREAD: 0x5, LOAD_DYLIB: 0xc, ID_DYLIB: 0xd, LOAD_DYLINKER: 0xe, LOAD_WEAK_DYLIB: 0x80000018,
  UUID: 0x1b, RPATH: 0x8000001c, CODE_SIGNATURE: 0x1d, REEXPORT_DYLIB: 0x8000001f, VERSION_MIN_MACOSX: 0x24,
  VERSION_MIN_IPHONEOS: 0x25, MAIN: 0x80000028, BUILD_VERSION: 0x32, DYLD_CHAINED_FIXUPS: 0x80000034,
};
const ver = (a: number, b = 0, c = 0) => (a << 16) | (b << 8) | c;

class Bytes {
  private out: number[] = [];
  constructor(private le: boolean) {}
  u32(...vs: number[]): this {
    for (const v of vs) {
      const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
      this.out.push(...(this.le ? b.reverse() : b));
    }
    return this;
  }
  u64(v: number): this {
    return this.le ? this.u32(v % 2 ** 32, Math.floor(v / 2 ** 32)) : this.u32(Math.floor(v / 2 ** 32), v % 2 ** 32);
  }
  raw(b: ArrayLike<number>): this { this.out.push(...Array.from(b)); return this; }
  get bytes(): Uint8Array { return Uint8Array.from(this.out); }
}

interface Img {
  le?: boolean; is64?: boolean; cputype?: number; cpusubtype?: number; filetype?: number; flags?: number; ncmds?: number; sizeofcmds?: number;
  cmds: ((le: boolean, is64: boolean) => Uint8Array)[]; pad?: number;
}

const pad = (n: number, a: number) => Math.ceil(n / a) * a;
/** A load command: cmd, cmdsize, then `fixed` u32s, then an optional lc_str padded to the pointer size. */
const lc = (cmd: number, fixed: number[], str?: string, o: { cmdsize?: number; terminate?: boolean } = {}) => (le: boolean, is64: boolean) => {
  const s = str === undefined ? new Uint8Array(0) : new TextEncoder().encode(str + (o.terminate === false ? '' : '\0'));
  const size = o.cmdsize ?? pad(8 + fixed.length * 4 + s.length, is64 ? 8 : 4);
  const b = new Bytes(le).u32(cmd, size, ...fixed).raw(s).bytes;
  // An absurd cmdsize is written as is, with only the bytes the command really has behind it.
  const out = new Uint8Array(size > 4096 ? b.length : Math.max(size, 8));
  out.set(b.subarray(0, out.length));
  return out;
};
const dylib = (cmd: number, name: string, cur = ver(1), compat = ver(1)) => lc(cmd, [24, 0, cur, compat], name);
const rpath = (p: string) => lc(LC.RPATH, [12], p);
const dylinker = (p = '/usr/lib/dyld') => lc(LC.LOAD_DYLINKER, [12], p);
const uuid = () => lc(LC.UUID, [0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10]);
const main = () => (le: boolean) => new Bytes(le).u32(LC.MAIN, 24).u64(0x4000).u64(0).bytes;
const buildVersion = (platform: number, minos: number, sdk: number) => lc(LC.BUILD_VERSION, [platform, minos, sdk, 1, 3, ver(14, 0, 6)]);
const SYS = '/usr/lib/libSystem.B.dylib';

function image(i: Img): Uint8Array {
  const le = i.le ?? true, is64 = i.is64 ?? true;
  const cmds = i.cmds.map((c) => c(le, is64));
  const sizeofcmds = cmds.reduce((a, c) => a + c.length, 0);
  const h = new Bytes(le).u32(is64 ? 0xfeedfacf : 0xfeedface, i.cputype ?? CPU_TYPE_X86_64, i.cpusubtype ?? 3, i.filetype ?? MH_EXECUTE,
    i.ncmds ?? cmds.length, i.sizeofcmds ?? sizeofcmds, i.flags ?? (MH_NOUNDEFS | MH_DYLDLINK | MH_TWOLEVEL | MH_PIE));
  if (is64) h.u32(0);
  for (const c of cmds) h.raw(c);
  const b = h.bytes;
  const out = new Uint8Array(b.length + (i.pad ?? 64));
  out.set(b);
  return out;
}

/** A universal file: fat_header + fat_arch[_64] table, slices at 4 KiB boundaries (align 12). */
function fat(slices: { cputype: number; cpusubtype?: number; bytes: Uint8Array; offset?: number; size?: number }[], is64 = false): Uint8Array {
  const h = new Bytes(false).u32(is64 ? 0xcafebabf : 0xcafebabe, slices.length);
  let at = 4096;
  const placed = slices.map((s) => { const off = at; at = pad(at + s.bytes.length, 4096); return off; });
  slices.forEach((s, i) => {
    h.u32(s.cputype, s.cpusubtype ?? 0);
    if (is64) h.u64(s.offset ?? placed[i]).u64(s.size ?? s.bytes.length).u32(12, 0);
    else h.u32(s.offset ?? placed[i], s.size ?? s.bytes.length, 12);
  });
  const out = new Uint8Array(at);
  out.set(h.bytes);
  slices.forEach((s, i) => out.set(s.bytes, placed[i]));
  return out;
}

const run = (b: Uint8Array, name = 'crafted'): BinaryResult => inspectSource(new MemorySource(b, name), name);
function ok(b: Uint8Array): MachoFacts {
  const r = run(b);
  if (r.error !== null) throw new Error(`unexpected failure: ${r.error.message}`);
  if (r.format !== 'macho') throw new Error('not macho');
  return r;
}
function malformed(b: Uint8Array, reason?: RegExp): void {
  const r = run(b);
  expect(r.error?.code, JSON.stringify(r.error)).toBe('malformed');
  if (reason) expect(r.error!.message).toMatch(reason);
}

const exe = (extra: Img['cmds'] = [], o: Partial<Img> = {}) =>
  image({ cmds: [dylinker(), uuid(), buildVersion(1, ver(12), ver(13, 1)), main(), dylib(LC.LOAD_DYLIB, SYS, ver(1311)), ...extra], ...o });

describe('Mach-O crafted: thin images', () => {
  it('a 32-bit big-endian PowerPC dylib with LC_VERSION_MIN_MACOSX', () => {
    const f = ok(image({
      le: false, is64: false, cputype: CPU_TYPE_POWERPC, cpusubtype: 100, filetype: MH_DYLIB, flags: MH_NOUNDEFS | MH_DYLDLINK | MH_TWOLEVEL,
      cmds: [
        dylib(LC.ID_DYLIB, '/usr/local/lib/libold.1.dylib', ver(2, 1), ver(2)), lc(LC.VERSION_MIN_MACOSX, [ver(10, 4), ver(10, 5)]),
        dylib(LC.LOAD_DYLIB, SYS, ver(88, 3, 11)),
      ],
    }));
    expect(f).toMatchObject({
      arch: 'ppc', bits: 32, endian: 'big', type: 'shared-library', linkage: 'dynamic', pie: null, libc: 'libsystem',
      installName: '/usr/local/lib/libold.1.dylib', minOS: '10.4', platform: 'macos',
    });
    expect(f.macho).toMatchObject({
      magic: 'MH_MAGIC', cpusubtype: 'CPU_SUBTYPE_POWERPC_970', archName: 'ppc970', sdk: '10.5',
      versionMins: [{ cmd: 'LC_VERSION_MIN_MACOSX', platform: 'macos', version: '10.4', sdk: '10.5' }],
    });
    expect(f.macho.idDylib).toEqual({ name: '/usr/local/lib/libold.1.dylib', currentVersion: '2.1.0', compatibilityVersion: '2.0.0' });
    expect(f.dylibs[0].currentVersion).toBe('88.3.11');
    expect(f.evidence.minOS).toEqual([{ field: 'LC_VERSION_MIN_MACOSX.version', value: '10.4' }]);
  });

  it('LC_VERSION_MIN_IPHONEOS says ios; arm64_32 keeps its own arch name', () => {
    const f = ok(image({
      cputype: CPU_TYPE_ARM64_32, cpusubtype: 1, is64: false,
      cmds: [dylinker(), lc(LC.VERSION_MIN_IPHONEOS, [ver(9), ver(9)]), dylib(LC.LOAD_DYLIB, SYS)],
    }));
    expect(f).toMatchObject({ arch: 'arm64_32', bits: 32, platform: 'ios', minOS: '9.0' });
  });

  it('arm64e and x86_64h: shared arch vocabulary at the top, the Apple name in the details', () => {
    const a = ok(exe([], { cputype: CPU_TYPE_ARM64, cpusubtype: 0x80000002 }));
    expect([a.arch, a.macho.archName, a.macho.cpusubtype]).toEqual(['aarch64', 'arm64e', 'CPU_SUBTYPE_ARM64E']);
    const x = ok(exe([], { cpusubtype: 8 }));
    expect([x.arch, x.macho.archName]).toEqual(['x86_64', 'x86_64h']);
  });

  it('a static executable (MH_EXECUTE without MH_DYLDLINK, no dylinker, no dylibs), like a kernel', () => {
    const f = ok(image({ flags: MH_NOUNDEFS, cmds: [lc(LC.UNIXTHREAD, [4, 42, ...new Array(42).fill(0)]), uuid()] }));
    expect(f).toMatchObject({ type: 'executable', linkage: 'static', pie: false, libc: 'unknown', interpreter: null, needed: [] });
    expect(f.macho.linkageSummary).toBe('none');
    expect(f.macho.unixThread).toBe(true);
    expect(f.evidence.linkage).toContainEqual({ field: 'MH_DYLDLINK', value: false });
  });

  it('an MH_OBJECT is relocatable, with no linkage verdict', () => {
    const f = ok(image({ filetype: MH_OBJECT, flags: 0x2000, cmds: [buildVersion(1, ver(11), ver(11))] }));
    expect(f).toMatchObject({ type: 'relocatable', linkage: null, pie: null, minOS: '11.0' });
    expect(f.macho.flags).toEqual(['MH_SUBSECTIONS_VIA_SYMBOLS']);
  });

  it('code signature, chained fixups, zippered build versions, dylib kinds, SDK and tools', () => {
    const f = ok(exe([
      lc(LC.CODE_SIGNATURE, [0x8000, 0x200]), lc(LC.DYLD_CHAINED_FIXUPS, [0x4000, 0x100]), buildVersion(6, ver(14), ver(17)),
      dylib(LC.LOAD_WEAK_DYLIB, '/System/Library/Frameworks/Metal.framework/Versions/A/Metal'),
      dylib(LC.REEXPORT_DYLIB, '@loader_path/libsub.dylib'),
    ]));
    expect(f.macho).toMatchObject({ codeSignature: { dataoff: 0x8000, datasize: 0x200 }, chainedFixups: true, sdk: '13.1' });
    expect(f.macho.buildVersions.map((b) => [b.platform, b.minos])).toEqual([['macos', '12.0'], ['maccatalyst', '14.0']]);
    expect(f.macho.buildVersions[0].tools).toEqual([{ tool: 'ld', version: '14.0.6' }]);
    expect([f.minOS, f.platform]).toEqual(['12.0', 'macos']);
    expect(f.macho.uuid).toBe('04030201-0807-0605-0C0B-0A09100F0E0D');
    expect(f.dylibs.map((d) => [d.kind, d.class])).toEqual([['load', 'apple-system'], ['weak', 'apple-system'], ['reexport', 'relative']]);
    expect(f.macho.linkageSummary).toBe('bundled');
  });

  it('an executable that loads dylibs without LC_LOAD_DYLINKER is flagged', () => {
    const f = ok(image({ cmds: [main(), dylib(LC.LOAD_DYLIB, SYS)] }));
    expect(f.linkage).toBe('dynamic');
    expect(f.warnings.map((w) => w.code)).toEqual(['macho.dylibs-without-dylinker']);
  });

  it('a broken optional command (short LC_UUID, LC_MAIN, LC_BUILD_VERSION ntools) is a warning; the rest is read', () => {
    const f = ok(exe([lc(LC.UUID, [1, 2]), lc(LC.MAIN, [0, 0]), lc(LC.BUILD_VERSION, [1, ver(11), ver(11), 1000])]));
    expect(f.warnings.map((w) => w.code)).toEqual(['macho.load-command', 'macho.load-command', 'macho.load-command']);
    expect(f.warnings[0].detail).toMatch(/LC_UUID cmdsize 16 is smaller/);
    expect(f.needed).toEqual([SYS]);
    expect(f.macho.uuid).toBe('04030201-0807-0605-0C0B-0A09100F0E0D');
  });

  it('a cmdsize not a multiple of 8 in a 64-bit image is a warning', () => {
    const f = ok(image({
      cmds: [dylinker(), lc(LC.RPATH, [12], '@rpath/x', { cmdsize: 24 }), lc(0x2a, [0, 0, 0], undefined, { cmdsize: 20 }), dylib(LC.LOAD_DYLIB, SYS)],
    }));
    expect(f.warnings.map((w) => w.code)).toEqual(['macho.cmdsize-alignment']);
    expect(f.needed).toEqual([SYS]);
  });

  it('what dyld itself rejects is malformed: unterminated or misplaced lc_str, bad cmdsize, absurd counts', () => {
    malformed(exe([lc(LC.RPATH, [12], '@executable_path/../lib', { terminate: false, cmdsize: 12 + 23 })]), /not terminated/);
    malformed(exe([lc(LC.RPATH, [400], 'x')]), /path.offset 400 is past the end/);
    malformed(exe([lc(LC.LOAD_DYLIB, [8, 0, 0, 0], 'libx')]), /dylib.name.offset 8 points inside/);
    malformed(exe([lc(LC.LOAD_DYLIB, [24, 0], undefined, { cmdsize: 16 })]), /smaller than the command/);
    malformed(exe([lc(LC.UUID, [], undefined, { cmdsize: 4 })]), /cmdsize 4, less than 8/);
    malformed(exe([lc(LC.UUID, [], undefined, { cmdsize: 0 })]), /cmdsize 0/);
    malformed(exe([lc(LC.UUID, [0, 0, 0, 0], undefined, { cmdsize: 0x7ffffff8 })]), /runs past sizeofcmds/);
    malformed(exe([], { ncmds: 0xffffffff }), /ncmds 4294967295 exceeds/);
    malformed(exe([], { ncmds: 1000 }), /cannot fit in sizeofcmds/);
    malformed(exe([], { ncmds: 7 }), /past sizeofcmds/);
    malformed(exe([], { sizeofcmds: 0x7fffffff }), /sizeofcmds 2147483647 runs past the end/);
    malformed(exe().subarray(0, 20), /shorter than mach_header_64/);
    malformed(exe([], { pad: 0 }).subarray(0, 100), /runs past the end of the image/);
  });

  it('reads only the header and the load commands', () => {
    const b = new Uint8Array(4 << 20);
    const img = exe();
    b.set(img);
    const src = new MemorySource(b, 'big');
    const f = readMacho(src);
    expect(f.lc.dylibs.length).toBe(1);
    expect(src.bytesRead).toBeLessThanOrEqual(32 + f.header.sizeofcmds + 4);
  });

  it('classifies install names', () => {
    const cases: [string, string][] = [
      ['/usr/lib/libc++.1.dylib', 'apple-system'], ['/System/Library/Frameworks/Foundation.framework/Versions/C/Foundation', 'apple-system'],
      ['/opt/homebrew/opt/zstd/lib/libzstd.1.dylib', 'homebrew'], ['/usr/local/Cellar/xz/5.4.5/lib/liblzma.5.dylib', 'homebrew'],
      ['/usr/local/opt/openssl@3/lib/libcrypto.3.dylib', 'homebrew'], ['@rpath/libfoo.dylib', 'relative'],
      ['@loader_path/../Frameworks/Bar.framework/Bar', 'relative'], ['@executable_path/libz.dylib', 'relative'],
      ['/Users/runner/work/x/libx.dylib', 'absolute-other'], ['/usr/local/lib/libfoo.dylib', 'absolute-other'],
      ['/Library/Frameworks/Python.framework/Versions/3.12/Python', 'absolute-other'], ['libbare.dylib', 'absolute-other'],
      ['/usr/libexec/x', 'absolute-other'], ['@rpathx/libfoo.dylib', 'absolute-other'],
      // Where it leads, `..` applied: out of Apple's /usr/lib into a home directory, or into Homebrew's.
      ['/usr/lib/../../Users/e.dyl', 'absolute-other'], ['/usr/lib/./libz.dylib', 'apple-system'],
      ['/usr/local/lib/../../../opt/homebrew/lib/x.dylib', 'homebrew'],
    ];
    for (const [n, c] of cases) expect([n, classifyDylib(n)]).toEqual([n, c]);
    // The resolver agrees: such a name is a file to find, not one of the shared cache's.
    expect([isAppleSystem('/usr/lib/../../Users/e.dyl'), isAppleSystem('/usr/lib/./libz.dylib')]).toEqual([false, true]);
  });

  it('linkage summary: worst class wins, homebrew before other absolute paths', () => {
    const d = (name: string) => ({ name, cmd: 'LC_LOAD_DYLIB', class: classifyDylib(name) });
    expect(summarize([]).summary).toBe('none');
    expect(summarize([d(SYS)]).summary).toBe('apple-only');
    expect(summarize([d(SYS), d('@rpath/a.dylib')]).summary).toBe('bundled');
    expect(summarize([d(SYS), d('@rpath/a.dylib'), d('/Users/me/b.dylib')]).summary).toBe('absolute-other');
    expect(summarize([d('/Users/me/b.dylib'), d('/opt/homebrew/lib/c.dylib')])).toEqual({
      summary: 'homebrew', evidence: [{ field: 'LC_LOAD_DYLIB', value: '/opt/homebrew/lib/c.dylib' }],
    });
  });
});

describe('Mach-O crafted: universal files', () => {
  const x86 = readFileSync(sample('macho/x86_64/bin/usefoo'));
  const arm = readFileSync(sample('macho/arm64/bin/usefoo'));

  it('FAT_MAGIC_64 with the two real usefoo slices', () => {
    const f = ok(fat([{ cputype: CPU_TYPE_X86_64, cpusubtype: 3, bytes: x86 }, { cputype: CPU_TYPE_ARM64, bytes: arm }], true));
    expect(f.macho.fat!.magic).toBe('FAT_MAGIC_64');
    expect(f.slices!.map((s) => [s.arch, s.fatArch.offset, s.fatArch.size])).toEqual([['x86_64', 4096, x86.length], ['aarch64', 20480, arm.length]]);
    expect(f.rpaths).toEqual(['@executable_path/../lib', '@loader_path/../Frameworks']);
    expect(f.warnings).toEqual([]);
    expect(f.evidence.slices[0]).toEqual({ field: 'FAT_MAGIC_64', value: 2 });
  });

  it('slices that differ in dylib kind, type and PIE: one warning each, per-slice dylib lists kept', () => {
    const a = exe([dylib(LC.LOAD_WEAK_DYLIB, '@rpath/libbar.dylib')]);
    const b = exe(
      [dylib(LC.LOAD_DYLIB, '@rpath/libbar.dylib'), rpath('@loader_path')],
      { cputype: CPU_TYPE_ARM64, cpusubtype: 0, filetype: MH_DYLIB, flags: MH_DYLDLINK },
    );
    const f = ok(fat([{ cputype: CPU_TYPE_X86_64, cpusubtype: 3, bytes: a }, { cputype: CPU_TYPE_ARM64, bytes: b }]));
    const differ = f.warnings.filter((w) => w.code === 'macho.slices-differ').map((w) => w.detail);
    expect(differ).toEqual([
      'slices differ in dylibs: only in x86_64: @rpath/libbar.dylib (weak); only in arm64: @rpath/libbar.dylib (load)',
      'slices differ in rpaths: only in arm64: @loader_path',
      'slices differ in type: x86_64 executable, arm64 shared-library',
      'slices differ in pie: x86_64 true, arm64 —',
    ]);
    expect(f.type).toBe('executable');
    expect(f.pie).toBeNull();
    // Same install names in the same order: needed is common; the kinds differ, so dylibs is [] and marked.
    expect(f.needed).toEqual([SYS, '@rpath/libbar.dylib']);
    expect(f.dylibs).toEqual([]);
    expect(f.sliceDiffers).toEqual(['dylibs', 'rpath', 'rpaths', 'type', 'pie']);
    expect(f.macho.dylibUnion!.map((d) => [d.name, d.kind, d.slices])).toEqual([
      [SYS, 'load', ['x86_64', 'arm64']], ['@rpath/libbar.dylib', 'weak', ['x86_64']], ['@rpath/libbar.dylib', 'load', ['arm64']],
    ]);
    expect(f.slices!.map((s) => s.dylibs.map((d) => d.kind))).toEqual([['load', 'weak'], ['load', 'load']]);
  });

  it('needed in a different order per slice: the top level is [] (no merged order), not the union', () => {
    const a = exe([dylib(LC.LOAD_DYLIB, '@rpath/liba.dylib'), dylib(LC.LOAD_DYLIB, '@rpath/libb.dylib')]);
    const b = exe([dylib(LC.LOAD_DYLIB, '@rpath/libb.dylib'), dylib(LC.LOAD_DYLIB, '@rpath/liba.dylib')], { cputype: CPU_TYPE_ARM64, cpusubtype: 0 });
    const f = ok(fat([{ cputype: CPU_TYPE_X86_64, cpusubtype: 3, bytes: a }, { cputype: CPU_TYPE_ARM64, bytes: b }]));
    expect([f.needed, f.dylibs, f.sliceDiffers]).toEqual([[], [], ['needed', 'dylibs']]);
    expect(f.slices!.map((s) => s.needed)).toEqual([
      [SYS, '@rpath/liba.dylib', '@rpath/libb.dylib'], [SYS, '@rpath/libb.dylib', '@rpath/liba.dylib'],
    ]);
    expect(f.warnings.map((w) => w.detail)).toContain('slices differ in dylibs: same entries in a different order');
  });

  it('a slice that cannot be read is reported with its reason; the other slices still are', () => {
    const bad = exe([], { ncmds: 1000 });
    const f = ok(fat([
      { cputype: CPU_TYPE_X86_64, bytes: x86 }, { cputype: CPU_TYPE_ARM64, bytes: bad }, { cputype: CPU_TYPE_ARM64, bytes: arm, size: 1 << 30 },
    ]));
    expect(f.slices!.length).toBe(1);
    expect(f.macho.fat!.arches.map((a) => a.error === null)).toEqual([true, false, false]);
    expect(f.macho.fat!.arches[2].error).toMatch(/runs past the end of the file/);
    expect(f.warnings.filter((w) => w.code === 'macho.slice-malformed').length).toBe(2);
  });

  it('a fat file with no readable slice, or an absurd fat_arch table, is malformed', () => {
    malformed(fat([{ cputype: CPU_TYPE_X86_64, bytes: x86, offset: 4 }]), /no readable slice/);
    malformed(fat([{ cputype: CPU_TYPE_X86_64, bytes: new Uint8Array(64) }]), /no readable slice.*not a Mach-O magic/);
    const f = fat([{ cputype: CPU_TYPE_X86_64, bytes: x86 }]);
    // nfat_arch 42 (still below a class file's major version, so sniffed as fat) with a 1-entry table in a small file.
    const g = f.slice(0, 200);
    new DataView(g.buffer).setUint32(4, 42);
    malformed(g, /fat_arch table \(42 × 20 bytes\) runs past the end/);
  });

  it('a slice whose header disagrees with its fat_arch cputype is a warning', () => {
    const f = ok(fat([{ cputype: CPU_TYPE_ARM64, bytes: x86 }]));
    expect(f.warnings.map((w) => w.code)).toEqual(['macho.slice-cputype']);
    expect(f.warnings[0].detail).toMatch(/^\[x86_64\] fat_arch\[0\]/);
  });

  it('reads only the fat table and each slice header + load commands', () => {
    const b = fat([{ cputype: CPU_TYPE_X86_64, bytes: x86 }, { cputype: CPU_TYPE_ARM64, bytes: arm }]);
    const src = new MemorySource(b, 'fat');
    const f = readFat(src);
    const want = 8 + 2 * 20 + f.slices.reduce((a, s) => a + 4 + 32 + s.file!.header.sizeofcmds, 0);
    expect(src.bytesRead).toBe(want);
  });

  it('a Java class file (0xCAFEBABE, then a class-file version) is not read as Mach-O', () => {
    const r = run(Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, 0, 0x1d]));
    expect(r.error?.code).toBe('not-a-binary');
  });
});
