import { describe, expect, it } from 'vitest';
import { join, relative } from 'node:path';
import { LLVM_BIN, SAMPLES, cli, facts, inspectFile, sample, tool, samplesUnder } from './helpers.js';
import type { MachoFacts, MachoSlice } from '../src/facts/types.js';

function machoSamples(): string[] {
  return [...samplesUnder('macho')];
}

const mfacts = (p: string): MachoFacts => {
  const f = facts(sample(p));
  if (f.format !== 'macho') throw new Error(`${p}: not Mach-O`);
  return f;
};
const dylibs = (f: MachoFacts | MachoSlice) => f.dylibs.map((d) => `${d.name} ${d.kind} ${d.class}`);
const codes = (f: MachoFacts) => f.warnings.map((w) => w.code);
const SYS = '/usr/lib/libSystem.B.dylib load apple-system';

describe('Mach-O samples: facts', () => {
  it('finds every sample the build script makes', () => {
    const all = machoSamples();
    expect(all.length).toBeGreaterThanOrEqual(22);
    for (const a of ['x86_64', 'arm64']) {
      for (const f of [
        'bin/hello', 'bin/usefoo', 'bin/homebrew-user', 'bin/upward', 'bin/lazy', 'lib/libfoo.dylib', 'lib/libreexp.dylib', 'lib/plugin.bundle',
        'Frameworks/libbar.dylib',
      ]) {
        expect(all).toContain(`macho/${a}/${f}`);
      }
    }
  });

  for (const a of ['x86_64', 'arm64'] as const) {
    const arch = a === 'arm64' ? 'aarch64' : 'x86_64';
    const P = (p: string) => `macho/${a}/${p}`;
    const signed = a === 'arm64';

    it(`${a}: hello is a PIE executable linked only against Apple's libSystem`, () => {
      const f = mfacts(P('bin/hello'));
      expect(f).toMatchObject({
        format: 'macho', arch, bits: 64, endian: 'little', type: 'executable', linkage: 'dynamic', pie: true,
        libc: 'libsystem', interpreter: '/usr/lib/dyld', needed: ['/usr/lib/libSystem.B.dylib'], rpath: [], runpath: [],
        soname: null, rpaths: [], installName: null, minOS: '11.0', platform: 'macos', slices: null,
      });
      expect(dylibs(f)).toEqual([SYS]);
      expect(f.dylibs[0]).toMatchObject({ cmd: 'LC_LOAD_DYLIB', currentVersion: '1311.0.0', compatibilityVersion: '1.0.0' });
      expect(f.macho).toMatchObject({
        magic: 'MH_MAGIC_64', filetype: 'MH_EXECUTE', archName: a, linkageSummary: 'apple-only', sdk: '11.0',
        flags: ['MH_NOUNDEFS', 'MH_DYLDLINK', 'MH_TWOLEVEL', 'MH_PIE'], dylinker: '/usr/lib/dyld', fat: null,
        chainedFixups: false, dyldInfo: true,
      });
      expect(f.macho.main).not.toBeNull();
      expect(f.macho.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      expect(f.macho.codeSignature !== null).toBe(signed);
      expect(f.evidence.linkageSummary).toEqual([{ field: 'LC_LOAD_DYLIB', value: '/usr/lib/libSystem.B.dylib' }]);
      expect(f.evidence.pie).toEqual([{ field: 'MH_PIE', value: true }]);
      expect(f.warnings).toEqual([]);
    });

    it(`${a}: libfoo.dylib has an @rpath install name and its versions`, () => {
      const f = mfacts(P('lib/libfoo.dylib'));
      expect(f).toMatchObject({
        type: 'shared-library', linkage: 'dynamic', pie: null, interpreter: null, installName: '@rpath/libfoo.dylib', soname: '@rpath/libfoo.dylib',
      });
      expect(f.macho.idDylib).toEqual({ name: '@rpath/libfoo.dylib', currentVersion: '1.2.3', compatibilityVersion: '1.0.0' });
      expect(f.macho.filetype).toBe('MH_DYLIB');
      expect(f.macho.linkageSummary).toBe('apple-only');
      expect(f.evidence.installName).toEqual([{ field: 'LC_ID_DYLIB', value: '@rpath/libfoo.dylib' }]);
    });

    it(`${a}: libbar.dylib`, () => {
      const f = mfacts(P('Frameworks/libbar.dylib'));
      expect(f.installName).toBe('@rpath/libbar.dylib');
      expect(f.macho.idDylib).toMatchObject({ currentVersion: '0.0.0', compatibilityVersion: '0.0.0' });
      expect(f.macho.flags).toContain('MH_NO_REEXPORTED_DYLIBS');
    });

    it(`${a}: usefoo loads bundled libraries through two rpaths, one of them weakly`, () => {
      const f = mfacts(P('bin/usefoo'));
      expect(dylibs(f)).toEqual(['@rpath/libfoo.dylib load relative', '@rpath/libbar.dylib weak relative', SYS]);
      expect(f.dylibs[0]).toMatchObject({ currentVersion: '1.2.3', compatibilityVersion: '1.0.0' });
      expect(f.dylibs[1].cmd).toBe('LC_LOAD_WEAK_DYLIB');
      expect(f.rpaths).toEqual(['@executable_path/../lib', '@loader_path/../Frameworks']);
      expect(f.rpath).toEqual(f.rpaths);
      expect(f.needed).toEqual(['@rpath/libfoo.dylib', '@rpath/libbar.dylib', '/usr/lib/libSystem.B.dylib']);
      expect(f.macho.linkageSummary).toBe('bundled');
      expect(f.evidence.linkageSummary.map((e) => e.value)).toEqual(['@rpath/libfoo.dylib', '@rpath/libbar.dylib']);
      expect(f.warnings).toEqual([]);
    });

    it(`${a}: libreexp.dylib re-exports libfoo`, () => {
      const f = mfacts(P('lib/libreexp.dylib'));
      expect(f.installName).toBe('@rpath/libreexp.dylib');
      // ld64.lld 14 writes libfoo twice: an LC_LOAD_DYLIB and the LC_REEXPORT_DYLIB (llvm-otool -L shows both).
      expect(dylibs(f)).toEqual(['@rpath/libfoo.dylib load relative', '@rpath/libfoo.dylib reexport relative', SYS]);
      expect(f.dylibs[1].cmd).toBe('LC_REEXPORT_DYLIB');
    });

    it(`${a}: plugin.bundle is an MH_BUNDLE`, () => {
      const f = mfacts(P('lib/plugin.bundle'));
      expect(f).toMatchObject({ type: 'bundle', linkage: 'dynamic', pie: null, installName: null, interpreter: null });
      expect(f.macho.filetype).toBe('MH_BUNDLE');
      expect(dylibs(f)).toEqual([SYS]);
    });

    it(`${a}: homebrew-user depends on Homebrew and on a build-machine path, and says so`, () => {
      const f = mfacts(P('bin/homebrew-user'));
      expect(dylibs(f)).toEqual([
        '/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib load homebrew',
        '/Users/runner/work/proj/target/release/libfoo.dylib load absolute-other',
        SYS,
      ]);
      expect(f.dylibs[0]).toMatchObject({ currentVersion: '3.0.0', compatibilityVersion: '3.0.0' });
      expect(f.macho.linkageSummary).toBe('homebrew');
      expect(f.evidence.linkageSummary).toEqual([{ field: 'LC_LOAD_DYLIB', value: '/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib' }]);
      expect(codes(f)).toEqual(['macho.absolute-dylib']);
      expect(f.warnings[0].detail).toContain('/Users/runner/work/proj/target/release/libfoo.dylib');
    });

    for (const [k, cmd] of [['upward', 'LC_LOAD_UPWARD_DYLIB'], ['lazy', 'LC_LAZY_LOAD_DYLIB']] as const) {
      it(`${a}: ${k} names libupward with ${cmd}`, () => {
        const f = mfacts(P(`bin/${k}`));
        expect(dylibs(f)).toEqual([`@rpath/libupward.dylib ${k} relative`, '@rpath/libfoo.dylib load relative', SYS]);
        expect(f.dylibs[0].cmd).toBe(cmd);
        expect(f.rpaths).toEqual(['@executable_path/../lib']);
        expect(f.macho.codeSignature).toBeNull();
      });
    }
  }

  it('ppc: a 32-bit big-endian PowerPC executable with LC_UNIXTHREAD', () => {
    const f = mfacts('macho/ppc/hello-ppc');
    expect(f).toMatchObject({
      arch: 'ppc', bits: 32, endian: 'big', type: 'executable', linkage: 'dynamic', pie: false, libc: 'libsystem',
      interpreter: '/usr/lib/dyld', needed: ['/usr/lib/libSystem.B.dylib'], minOS: null, platform: null,
    });
    expect(f.macho).toMatchObject({
      magic: 'MH_MAGIC', cputype: 'CPU_TYPE_POWERPC', cpusubtype: 'CPU_SUBTYPE_POWERPC_ALL', archName: 'ppc',
      flags: ['MH_NOUNDEFS', 'MH_DYLDLINK', 'MH_TWOLEVEL'], unixThread: true, main: null, ncmds: 8,
      uuid: '4C494E4B-504C-414E-9A11-CE0FC0FFEE01', segments: ['__PAGEZERO', '__TEXT', '__LINKEDIT'],
    });
    expect(f.dylibs[0]).toMatchObject({ currentVersion: '1311.0.0', compatibilityVersion: '1.0.0' });
    expect(f.warnings).toEqual([]);
  });

  it('universal usefoo: both slices reported, in agreement', () => {
    const f = mfacts('macho/universal/bin/usefoo');
    expect(f).toMatchObject({
      arch: 'universal', type: 'executable', linkage: 'dynamic', pie: true, libc: 'libsystem', minOS: '11.0',
      platform: 'macos', interpreter: '/usr/lib/dyld', rpaths: ['@executable_path/../lib', '@loader_path/../Frameworks'],
    });
    expect(f.slices!.map((s) => [s.arch, s.macho.archName, s.fatArch.offset, s.fatArch.cputype])).toEqual([
      ['x86_64', 'x86_64', 4096, 'CPU_TYPE_X86_64'],
      ['aarch64', 'arm64', 32768, 'CPU_TYPE_ARM64'],
    ]);
    expect(f.macho.fat).toMatchObject({ magic: 'FAT_MAGIC', arches: [{ arch: 'x86_64', error: null }, { arch: 'arm64', error: null }] });
    for (const s of f.slices!) {
      expect(s.slices).toBeNull();
      expect(dylibs(s)).toEqual(['@rpath/libfoo.dylib load relative', '@rpath/libbar.dylib weak relative', SYS]);
      expect(s.rpaths).toEqual(f.rpaths);
    }
    expect(f.dylibs.map((d) => d.slices)).toEqual([['x86_64', 'arm64'], ['x86_64', 'arm64'], ['x86_64', 'arm64']]);
    // Every slice agrees: the top-level lists are theirs, in their order, and nothing is marked.
    expect(f.needed).toEqual(f.slices![0].needed);
    expect(f.sliceDiffers).toEqual([]);
    expect(f.macho.dylibUnion).toEqual(f.dylibs);
    expect(f.slices![0].macho.dylibUnion).toBeNull();
    expect(f.macho.linkageSummary).toBe('bundled');
    expect(f.warnings).toEqual([]);
    // Each slice is the same as the thin file it was made from (apart from where it sits).
    const strip = (x: MachoFacts | MachoSlice) => ({ ...x, path: '', fatArch: undefined });
    expect(strip(f.slices![0])).toEqual(strip({ ...mfacts('macho/x86_64/bin/usefoo'), slices: null }));
    expect(strip(f.slices![1])).toEqual(strip({ ...mfacts('macho/arm64/bin/usefoo'), slices: null }));
  });

  it('universal libfoo.dylib: install name in both slices', () => {
    const f = mfacts('macho/universal/lib/libfoo.dylib');
    expect(f).toMatchObject({ arch: 'universal', type: 'shared-library', installName: '@rpath/libfoo.dylib', soname: '@rpath/libfoo.dylib', pie: null });
    expect(f.slices!.map((s) => s.installName)).toEqual(['@rpath/libfoo.dylib', '@rpath/libfoo.dylib']);
    expect(f.warnings).toEqual([]);
  });

  it('universal mismatch: the differences between slices are warnings, and top-level minOS and rpaths are not a guess', () => {
    const f = mfacts('macho/universal/bin/mismatch');
    expect(f.slices!.map((s) => s.minOS)).toEqual(['10.15', '11.0']);
    expect(f.slices!.map((s) => s.rpaths)).toEqual([
      ['@executable_path/../lib', '@loader_path/../Frameworks', '/usr/local/lib'],
      ['@executable_path/../lib'],
    ]);
    expect(f.minOS).toBeNull();
    expect(f.platform).toBe('macos');
    // No merged rpath list at the top (it was the union, no slice's list): [] and the fields named in sliceDiffers.
    expect([f.rpaths, f.rpath]).toEqual([[], []]);
    expect(f.sliceDiffers).toEqual(['rpath', 'rpaths', 'minOS']);
    expect(f.needed).toEqual(f.slices![0].needed);
    const differ = f.warnings.filter((w) => w.code === 'macho.slices-differ').map((w) => w.detail);
    expect(differ).toEqual([
      'slices differ in rpaths: only in x86_64: @loader_path/../Frameworks, /usr/local/lib',
      'slices differ in minOS: x86_64 10.15, arm64 11.0',
    ]);
  });

  it('java.class shares 0xCAFEBABE but is not read as a universal binary', () => {
    const r = inspectFile(sample('misc/java.class'));
    expect(r.error?.code).toBe('not-a-binary');
    expect(r.error?.message).toContain('Java class file');
  });

  it('truncated-macho is malformed, not a crash', () => {
    const r = inspectFile(sample('misc/truncated-macho'));
    expect(r.format).toBe('macho');
    expect(r.error?.code).toBe('malformed');
  });
});

// ------------------------------------------------------------------------------------------------ cross-checks

interface ToolCmd {
  cmd: string; name?: string; path?: string; current?: string; compat?: string; minos?: string; sdk?: string; platform?: string; uuid?: string;
}

/** llvm-objdump --macho --private-headers, parsed into the header and the load commands in order. */
function objdump(path: string, arch?: string): { filetype: string; cputype: string; flags: string[]; ncmds: number; cmds: ToolCmd[] } {
  const out = tool(join(LLVM_BIN, 'llvm-objdump'), ['--macho', '--private-headers', ...(arch ? [`--arch=${arch}`] : []), path]);
  const lines = out.split('\n');
  const hi = lines.findIndex((l) => /^\s*magic\s+cputype/.test(l));
  const h = lines[hi + 1].trim().split(/\s+/);
  const cmds: ToolCmd[] = [];
  let cur: ToolCmd | null = null;
  for (const l of lines.slice(hi + 2)) {
    let m: RegExpExecArray | null;
    if ((m = /^\s*cmd (LC_\w+)$/.exec(l))) cmds.push((cur = { cmd: m[1] }));
    else if (!cur) continue;
    else if ((m = /^\s*name (.*) \(offset \d+\)$/.exec(l))) cur.name = m[1];
    else if ((m = /^\s*path (.*) \(offset \d+\)$/.exec(l))) cur.path = m[1];
    else if ((m = /^\s*current version (\S+)$/.exec(l))) cur.current = m[1];
    else if ((m = /^\s*compatibility version (\S+)$/.exec(l))) cur.compat = m[1];
    else if ((m = /^\s*minos (\S+)$/.exec(l))) cur.minos = m[1];
    else if ((m = /^\s*sdk (\S+)$/.exec(l))) cur.sdk = m[1];
    else if ((m = /^\s*platform (\S+)$/.exec(l))) cur.platform = m[1];
    else if ((m = /^\s*uuid (\S+)$/.exec(l))) cur.uuid = m[1];
  }
  return { cputype: h[1], filetype: h[4], ncmds: Number(h[5]), flags: h.slice(7), cmds };
}

/** llvm-otool -L: the install name (dylibs only) then every dylib with versions and kind. */
function otoolL(path: string, arch?: string): string[] {
  const out = tool(join(LLVM_BIN, 'llvm-otool'), ['-L', ...(arch ? ['-arch', arch] : []), path]);
  return out.split('\n').filter((l) => l.startsWith('\t')).map((l) => l.trim());
}

const DYLIB_CMDS = ['LC_LOAD_DYLIB', 'LC_LOAD_WEAK_DYLIB', 'LC_REEXPORT_DYLIB', 'LC_LAZY_LOAD_DYLIB', 'LC_LOAD_UPWARD_DYLIB'];
const OTOOL_KIND: Record<string, string> = { load: '', weak: ', weak', reexport: ', reexport', lazy: ', lazy', upward: ', upward' };

function crossCheck(f: MachoFacts | MachoSlice, path: string, arch?: string): void {
  const t = objdump(path, arch);
  const m = f.macho;
  expect(m.filetype).toBe(`MH_${t.filetype}`);
  expect(m.flags).toEqual(t.flags.map((x) => `MH_${x}`));
  expect(m.ncmds).toBe(t.ncmds);
  expect(m.loadCommands).toEqual(t.cmds.map((c) => c.cmd));
  const tDylibs = t.cmds.filter((c) => DYLIB_CMDS.includes(c.cmd));
  expect(f.dylibs.map((d) => [d.cmd, d.name, d.currentVersion, d.compatibilityVersion])).toEqual(tDylibs.map((c) => [c.cmd, c.name, c.current, c.compat]));
  const id = t.cmds.find((c) => c.cmd === 'LC_ID_DYLIB');
  expect(f.installName).toBe(id?.name ?? null);
  if (id) expect(m.idDylib).toEqual({ name: id.name, currentVersion: id.current, compatibilityVersion: id.compat });
  expect(f.rpaths).toEqual(t.cmds.filter((c) => c.cmd === 'LC_RPATH').map((c) => c.path));
  expect(f.interpreter).toBe(t.cmds.find((c) => c.cmd === 'LC_LOAD_DYLINKER')?.name ?? null);
  const bv = t.cmds.find((c) => c.cmd === 'LC_BUILD_VERSION');
  expect(f.minOS).toBe(bv?.minos ?? null);
  expect(f.platform).toBe(bv?.platform ?? null);
  expect(m.sdk).toBe(bv?.sdk ?? null);
  expect(m.uuid).toBe(t.cmds.find((c) => c.cmd === 'LC_UUID')?.uuid ?? null);
  expect(m.codeSignature !== null).toBe(t.cmds.some((c) => c.cmd === 'LC_CODE_SIGNATURE'));
  expect(m.chainedFixups).toBe(t.cmds.some((c) => c.cmd === 'LC_DYLD_CHAINED_FIXUPS'));

  const lines = otoolL(path, arch);
  const expected = [
    ...(f.installName ? [`${f.installName} (compatibility version ${m.idDylib!.compatibilityVersion}, current version ${m.idDylib!.currentVersion})`] : []),
    ...f.dylibs.map((d) => `${d.name} (compatibility version ${d.compatibilityVersion}, current version ${d.currentVersion}${OTOOL_KIND[d.kind]})`),
  ];
  expect(lines).toEqual(expected);
}

describe('Mach-O samples: cross-checked against llvm-objdump --macho --private-headers and llvm-otool -L', () => {
  for (const p of machoSamples()) {
    it(p, () => {
      const f = mfacts(p);
      if (f.slices) {
        expect(f.slices.length).toBe(f.macho.fat!.arches.length);
        for (const s of f.slices) crossCheck(s, sample(p), s.macho.archName);
        // A top-level list is every slice's list when they all agree (same entries, same order), else [] and named
        // in sliceDiffers: never a union in an order no slice loads in.
        for (const k of ['needed', 'rpath'] as const) {
          const same = f.slices.every((s) => JSON.stringify(s[k]) === JSON.stringify(f.slices![0][k]));
          expect(f[k], k).toEqual(same ? f.slices[0][k] : []);
          expect(f.sliceDiffers!.includes(k), k).toBe(!same);
        }
      } else {
        crossCheck(f, sample(p));
      }
    });
  }
});

describe('Mach-O: CLI', () => {
  it('inspect samples/macho shows every sample and exits 0', () => {
    const r = cli(['inspect', 'samples/macho']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${machoSamples().length} binaries inspected`);
    expect(r.stdout).toContain('universal');
    expect(r.stdout).toContain('slices differ in minOS: x86_64 10.15, arm64 11.0');
  });

  it('inspect --json on a universal file has the Mach-O fields', () => {
    const r = cli(['inspect', '--json', 'samples/macho/universal/bin/usefoo']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout).binaries[0];
    expect(b).toMatchObject({
      format: 'macho', arch: 'universal', installName: null, minOS: '11.0', platform: 'macos',
      rpaths: ['@executable_path/../lib', '@loader_path/../Frameworks'],
    });
    expect(b.dylibs[1]).toMatchObject({ name: '@rpath/libbar.dylib', kind: 'weak', class: 'relative' });
    expect(b.slices.map((s: MachoSlice) => s.macho.archName)).toEqual(['x86_64', 'arm64']);
    expect(b.slices[1].fatArch).toMatchObject({ offset: 32768, cputype: 'CPU_TYPE_ARM64' });
  });

  it('inspect --long shows the Mach-O details block', () => {
    const r = cli(['inspect', '--long', 'samples/macho/universal/bin/mismatch', 'samples/macho/x86_64/lib/libfoo.dylib']);
    expect(r.code).toBe(0);
    for (const s of [
      'install name', '@rpath/libfoo.dylib (load, relative, current 1.2.3, compat 1.0.0; x86_64 arm64)', 'linkage summary', 'slices', 'x86_64 @4096',
      'UUID', 'MH_PIE', 'x86_64: macos 10.15 (SDK 11.0)',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });
});
