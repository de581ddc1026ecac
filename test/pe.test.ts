import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LLVM_BIN, SAMPLES, cli, facts, inspectFile, sample, samplesUnder, tool } from './helpers.js';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import type { PeFacts } from '../src/facts/types.js';
import { classifyCrt, type CrtInput } from '../src/facts/from-pe.js';
import { classifyDll, crtDll } from '../src/facts/windows-dlls.js';

function peSamples(): string[] {
  return [...samplesUnder('pe'), 'rust/hello-windows-gnu.exe'];
}

const pe = (p: string): PeFacts => {
  const f = facts(p.startsWith('/') ? p : sample(p));
  if (f.format !== 'pe') throw new Error(`${p}: not PE`);
  return f;
};
const sorted = (xs: string[]) => [...xs].sort();
const fnNames = (f: PeFacts, dll: string, delay = false) =>
  (delay ? f.delayImports : f.imports).find((i) => i.dll === dll)?.functions.map((x) => x.name ?? `#${x.ordinal}`);

const UCRT_RT = 'api-ms-win-crt-runtime-l1-1-0.dll', UCRT_STDIO = 'api-ms-win-crt-stdio-l1-1-0.dll';

/** samples/README.md, "PE, MSVC-shaped": the same set for every architecture. */
const MSVC: Record<string, { crt: PeFacts['crt']; needed: string[]; delay?: string[]; dllName?: string; libc: PeFacts['libc'] }> = {
  'md_like.dll': { crt: 'msvc-dynamic', needed: ['VCRUNTIME140.dll', UCRT_RT, UCRT_STDIO, 'KERNEL32.dll'], dllName: 'md_like.dll', libc: 'ucrt' },
  'mt_like.dll': { crt: 'msvc-static', needed: ['KERNEL32.dll'], dllName: 'mt_like.dll', libc: 'unknown' },
  'hybrid.dll': { crt: 'msvc-hybrid', needed: [UCRT_RT, UCRT_STDIO, 'KERNEL32.dll'], dllName: 'hybrid.dll', libc: 'ucrt' },
  'debug.dll': { crt: 'msvc-debug', needed: ['VCRUNTIME140D.dll', 'ucrtbased.dll', 'KERNEL32.dll'], dllName: 'debug.dll', libc: 'ucrt' },
  'msvcp.dll': { crt: 'msvc-dynamic', needed: ['MSVCP140.dll', 'VCRUNTIME140.dll', UCRT_STDIO], dllName: 'msvcp.dll', libc: 'ucrt' },
  'resonly.dll': { crt: 'none', needed: [], libc: 'none' },
  'hello.exe': { crt: 'msvc-hybrid', needed: ['ucrtbase.dll', 'KERNEL32.dll', 'mt_like.dll'], libc: 'ucrt' },
  'use_md.exe': { crt: 'msvc-static', needed: ['KERNEL32.dll', 'md_like.dll'], libc: 'unknown' },
  'delayload.exe': { crt: 'msvc-hybrid', needed: ['ucrtbase.dll', 'KERNEL32.dll'], delay: ['mt_like.dll'], libc: 'ucrt' },
  'dupcase.exe': { crt: 'msvc-static', needed: ['kernel32.dll', 'KERNEL32.dll'], libc: 'unknown' },
  'legacy.exe': { crt: 'legacy-msvcr', needed: ['MSVCR100.dll'], libc: 'unknown' },
};
const ARCHES = { x64: ['x86_64', 64, 'AMD64', 'PE32+'], arm64: ['aarch64', 64, 'ARM64', 'PE32+'], x86: ['i386', 32, 'I386', 'PE32'] } as const;

/** samples/README.md, "PE, MinGW": imports in descriptor order. */
const K = 'KERNEL32.dll', M = 'msvcrt.dll';
const MINGW: Record<string, { crt: PeFacts['crt']; needed: string[]; gcc?: string[]; type: PeFacts['type']; arch?: string }> = {
  'hello.exe': { crt: 'mingw-msvcrt', needed: [K, M], type: 'executable' },
  'foo.dll': { crt: 'mingw-msvcrt', needed: [K, M], type: 'shared-library' },
  'foo-unstripped.dll': { crt: 'mingw-msvcrt', needed: [K, M], type: 'shared-library' },
  'usefoo.exe': { crt: 'mingw-msvcrt', needed: ['foo.dll', K, M], type: 'executable' },
  'pthread-dyn.exe': { crt: 'mingw-msvcrt', needed: [K, M, 'libwinpthread-1.dll'], gcc: ['libwinpthread-1.dll'], type: 'executable' },
  'pthread-static.exe': { crt: 'mingw-msvcrt', needed: [K, M], type: 'executable' },
  'cxx-dyn.exe': {
    crt: 'mingw-msvcrt', needed: [K, M, 'libgcc_s_seh-1.dll', 'libstdc++-6.dll'], gcc: ['libgcc_s_seh-1.dll', 'libstdc++-6.dll'], type: 'executable',
  },
  'cxx-static.exe': { crt: 'mingw-msvcrt', needed: [K, M], type: 'executable' },
  'cxx-dyn.dll': {
    crt: 'mingw-msvcrt', needed: [K, M, 'libgcc_s_seh-1.dll', 'libstdc++-6.dll'], gcc: ['libgcc_s_seh-1.dll', 'libstdc++-6.dll'],
    type: 'shared-library',
  },
  'cxx-static.dll': { crt: 'mingw-msvcrt', needed: [K, M], type: 'shared-library' },
  'thr-dyn.dll': { crt: 'mingw-msvcrt', needed: [K, M, 'libwinpthread-1.dll'], gcc: ['libwinpthread-1.dll'], type: 'shared-library' },
  'thr-static.dll': { crt: 'mingw-msvcrt', needed: [K, M], type: 'shared-library' },
  'hello32.exe': { crt: 'mingw-msvcrt', needed: [K, M], type: 'executable', arch: 'i386' },
  'cxx32-dyn.exe': {
    crt: 'mingw-msvcrt', needed: [K, M, 'libgcc_s_dw2-1.dll', 'libstdc++-6.dll'], gcc: ['libgcc_s_dw2-1.dll', 'libstdc++-6.dll'], type: 'executable',
    arch: 'i386',
  },
  'hello-ucrt.exe': {
    crt: 'mingw-ucrt', type: 'executable',
    needed: [K, ...['environment', 'heap', 'math', 'private', 'runtime', 'stdio', 'string', 'time'].map((x) => `api-ms-win-crt-${x}-l1-1-0.dll`)],
  },
  'hello-ucrtbase.exe': { crt: 'mingw-ucrt', needed: [K, 'ucrtbase.dll'], type: 'executable' },
};

describe('PE samples: facts and CRT verdicts', () => {
  it('finds every sample the build script makes', () => {
    const all = peSamples();
    for (const a of Object.keys(ARCHES)) for (const f of Object.keys(MSVC)) expect(all).toContain(`pe/msvc/${a}/${f}`);
    for (const f of Object.keys(MINGW)) expect(all).toContain(`pe/mingw/${f}`);
    expect(all).toContain('pe/overlay/hello-overlay.exe');
    expect(all).toContain('pe/overlay/hello-signed.exe');
  });

  for (const [a, [arch, bits, machine, magic]] of Object.entries(ARCHES)) {
    for (const [file, x] of Object.entries(MSVC)) {
      it(`msvc/${a}/${file}: ${x.crt}`, () => {
        const f = pe(`pe/msvc/${a}/${file}`);
        const isDll = file.endsWith('.dll');
        expect([f.arch, f.bits, f.endian, f.pe.machine, f.pe.magic]).toEqual([arch, bits, 'little', machine, magic]);
        expect(f.type).toBe(isDll ? 'shared-library' : 'executable');
        expect(f.crt).toBe(x.crt);
        expect(f.libc).toBe(x.libc);
        expect(f.needed).toEqual(x.needed);
        expect(f.delayImports.map((d) => d.dll)).toEqual(x.delay ?? []);
        expect(f.dllName).toBe(x.dllName ?? null);
        expect(f.soname).toBe(x.dllName ?? null);
        expect([f.interpreter, f.rpath, f.runpath]).toEqual([null, [], []]);
        expect(f.linkage).toBe(x.needed.length || x.delay ? 'dynamic' : 'static');
        expect(f.pie).toBe(isDll ? null : true);
        // lld-link: linker 14.0, no Rich header, a Repro debug entry (/Brepro)
        expect([f.pe.linkerVersion, f.pe.rich, f.pe.toolchain]).toEqual(['14.0', null, 'lld']);
        expect(f.pe.debugTypes).toContain('REPRO');
        expect(f.pe.subsystem).toBe(isDll ? 'WINDOWS_GUI' : 'WINDOWS_CUI');
        const dc = a === 'x86' ? ['DYNAMIC_BASE', 'NO_SEH', 'NX_COMPAT'] : ['DYNAMIC_BASE', 'HIGH_ENTROPY_VA', 'NX_COMPAT'];
        expect(sorted(f.dllCharacteristics)).toEqual(sorted(isDll ? dc : [...dc, 'TERMINAL_SERVER_AWARE']));
        // every verdict names what it rests on
        expect(f.evidence.crt.length).toBeGreaterThan(0);
        for (const d of f.pe.crtDlls) expect(f.evidence.crt.map((e) => e.value)).toContain(d);
        expect(f.warnings).toEqual([]);
      });
    }
  }

  for (const [file, x] of Object.entries(MINGW)) {
    it(`mingw/${file}: ${x.crt}`, () => {
      const f = pe(`pe/mingw/${file}`);
      expect(f.arch).toBe(x.arch ?? 'x86_64');
      expect(f.type).toBe(x.type);
      expect(f.crt).toBe(x.crt);
      expect(f.libc).toBe(x.crt === 'mingw-ucrt' ? 'ucrt' : 'msvcrt');
      expect(f.needed).toEqual(x.needed);
      expect(f.pe.gccRuntime).toEqual(x.gcc ?? []);
      for (const g of x.gcc ?? []) expect(f.evidence.crt).toContainEqual({ field: 'import', value: g });
      expect([f.pe.linkerVersion, f.pe.rich, f.pe.toolchain]).toEqual(['2.40', null, 'gnu']);
      expect(f.dllName).toBe(x.type === 'shared-library' ? file : null);
      if (f.arch === 'x86_64') expect(sorted(f.dllCharacteristics)).toEqual(['DYNAMIC_BASE', 'HIGH_ENTROPY_VA', 'NX_COMPAT']);
      expect(f.warnings).toEqual([]);
    });
  }

  it('mingw-ucrt rests on the UCRT imports plus MinGW markers (not msvc-hybrid)', () => {
    const f = pe('pe/mingw/hello-ucrt.exe');
    expect(f.evidence.crt).toContainEqual({ field: 'import', value: 'api-ms-win-crt-private-l1-1-0.dll' });
    expect(f.evidence.crt).toContainEqual({ field: 'MajorLinkerVersion.MinorLinkerVersion', value: '2.40' });
    expect(pe('pe/mingw/hello-ucrtbase.exe').evidence.crt).toContainEqual({ field: 'import', value: 'ucrtbase.dll' });
  });

  it('the hybrid verdict names the missing vcruntime', () => {
    expect(pe('pe/msvc/x64/hybrid.dll').evidence.crt).toContainEqual({ field: 'VCRUNTIME140.dll', value: null });
  });

  it('unstripped MinGW DLL (COFF symbol table) parses', () => {
    const f = pe('pe/mingw/foo-unstripped.dll');
    expect(f.pe.coffSymbols).toBeGreaterThan(500);
    expect(f.pe.overlay).not.toBeNull(); // the symbol table lies after the sections
    expect(pe('pe/mingw/foo.dll').pe.coffSymbols).toBe(0);
  });

  it('Rust windows-gnu: mingw-msvcrt, symbols kept', () => {
    const f = pe('rust/hello-windows-gnu.exe');
    expect(f.crt).toBe('mingw-msvcrt');
    expect(f.libc).toBe('msvcrt');
    expect(f.needed).toEqual([
      'api-ms-win-core-synch-l1-2-0.dll', 'bcryptprimitives.dll', 'KERNEL32.dll', 'msvcrt.dll', 'ntdll.dll', 'USERENV.dll', 'WS2_32.dll',
    ]);
    expect(f.imports.filter((i) => i.class === 'system').map((i) => i.dll)).toEqual([
      'api-ms-win-core-synch-l1-2-0.dll', 'bcryptprimitives.dll', 'KERNEL32.dll', 'ntdll.dll', 'USERENV.dll', 'WS2_32.dll',
    ]);
    expect(f.pe.coffSymbols).toBeGreaterThan(0);
    expect(f.pe.toolchain).toBe('gnu');
  });

  it('imports: functions, case-duplicate DLLs kept raw and de-duplicated in importDlls, classes', () => {
    const f = pe('pe/msvc/x64/dupcase.exe');
    expect(f.needed).toEqual(['kernel32.dll', 'KERNEL32.dll']);
    expect(f.pe.importDlls).toEqual(['kernel32.dll']);
    expect(fnNames(f, 'kernel32.dll')).toEqual(['ExitProcess', 'GetCurrentProcessId']);
    expect(fnNames(f, 'KERNEL32.dll')).toEqual(['GetStdHandle', 'WriteFile']);
    const md = pe('pe/msvc/x64/md_like.dll');
    expect(md.imports.map((i) => [i.dll, i.class])).toEqual([['VCRUNTIME140.dll', 'crt'], [UCRT_RT, 'crt'], [UCRT_STDIO, 'crt'], ['KERNEL32.dll', 'system']]);
    expect(fnNames(md, 'VCRUNTIME140.dll')).toEqual(['memcpy', 'memset']);
    expect(pe('pe/msvc/x64/use_md.exe').imports.find((i) => i.dll === 'md_like.dll')?.class).toBe('application');
    expect(fnNames(pe('pe/msvc/x86/msvcp.dll'), 'MSVCP140.dll')).toContain('?_Xlength_error@std@@YAXPBD@Z');
    expect(fnNames(pe('pe/msvc/x64/msvcp.dll'), 'MSVCP140.dll')).toContain('?_Xlength_error@std@@YAXPEBD@Z');
  });

  it('delay imports are kept apart from imports and out of needed', () => {
    for (const a of Object.keys(ARCHES)) {
      const f = pe(`pe/msvc/${a}/delayload.exe`);
      expect(f.needed).not.toContain('mt_like.dll');
      expect(f.delayImports).toEqual([{ dll: 'mt_like.dll', class: 'application', bound: false, functions: [{ name: 'mt_foo', hint: 0, ordinal: null }] }]);
      expect(fnNames(f, 'KERNEL32.dll')).toEqual(['ExitProcess', 'GetProcAddress', 'LoadLibraryA']);
    }
  });

  it('DllCharacteristics variations, GUARD_CF flag vs instrumentation, PDB path', () => {
    const dc = (p: string) => sorted(pe(`pe/msvc/x64/${p}`).dllCharacteristics);
    expect(dc('hello-guardcf.exe')).toEqual(['DYNAMIC_BASE', 'GUARD_CF', 'HIGH_ENTROPY_VA', 'NX_COMPAT', 'TERMINAL_SERVER_AWARE']);
    expect(dc('hello-fixed.exe')).toEqual(['HIGH_ENTROPY_VA', 'NX_COMPAT', 'TERMINAL_SERVER_AWARE']);
    expect(dc('hello-nohighentropy.exe')).toEqual(['DYNAMIC_BASE', 'NX_COMPAT', 'TERMINAL_SERVER_AWARE']);
    expect(dc('hello-nonx.exe')).toEqual(['DYNAMIC_BASE', 'HIGH_ENTROPY_VA', 'TERMINAL_SERVER_AWARE']);
    expect(dc('md_like-guardcf.dll')).toEqual(['DYNAMIC_BASE', 'GUARD_CF', 'HIGH_ENTROPY_VA', 'NX_COMPAT']);
    expect(dc('md_like-nodynamicbase.dll')).toEqual(['HIGH_ENTROPY_VA', 'NX_COMPAT']);
    expect(dc('md_like-nohighentropy-nonx.dll')).toEqual(['DYNAMIC_BASE']);

    const fixed = pe('pe/msvc/x64/hello-fixed.exe');
    expect(fixed.pie).toBe(false);
    expect(fixed.pe.characteristics).toContain('RELOCS_STRIPPED');
    expect(fixed.evidence.pie).toEqual([{ field: 'DllCharacteristics DYNAMIC_BASE', value: false }, { field: 'Characteristics RELOCS_STRIPPED', value: true }]);
    // DYNAMIC_BASE with its relocations stripped: the loader cannot move it, so no PIE (the warning says why).
    const b = Buffer.from(readFileSync(sample('pe/msvc/x64/hello.exe')));
    const coff = b.readUInt32LE(0x3c) + 4;
    b.writeUInt16LE(b.readUInt16LE(coff + 18) | 0x0001, coff + 18);
    const stripped = inspectSource(new MemorySource(new Uint8Array(b), 'stripped.exe'), 'stripped.exe') as PeFacts;
    expect([stripped.dllCharacteristics, stripped.pe.characteristics])
      .toEqual([expect.arrayContaining(['DYNAMIC_BASE']), expect.arrayContaining(['RELOCS_STRIPPED'])]);
    expect(stripped.pie).toBe(false);
    expect(stripped.warnings.map((w) => w.code)).toContain('pe.dynamic-base-without-relocs');

    // lld-link sets GUARD_CF without a load config: the flag is there, the instrumentation is not.
    const cfg = pe('pe/msvc/x64/hello-guardcf.exe');
    expect(cfg.pe.guardCf).toEqual({ enabled: true, instrumented: false, flags: [], functionCount: null });
    expect(cfg.pe.loadConfig).toBeNull();
    expect(pe('pe/msvc/x64/hello.exe').pe.guardCf.enabled).toBe(false);

    const pdb = pe('pe/msvc/x64/hello-pdb.exe');
    expect(pdb.pe.pdb?.path).toBe('hello.pdb');
    expect(pdb.pe.pdb?.signature).toBe('RSDS');
    expect(pdb.pe.pdb?.id).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(pdb.pe.debugTypes).toEqual(['CODEVIEW', 'REPRO']);
    expect(pe('pe/msvc/x64/hello.exe').pe.pdb).toBeNull();
  });

  it('resource-only DLL: no imports, no code, CRT none', () => {
    const f = pe('pe/msvc/x64/resonly.dll');
    expect([f.linkage, f.crt, f.pe.entryPoint, f.imports.length]).toEqual(['static', 'none', 0, 0]);
    expect(f.evidence.crt).toContainEqual({ field: 'code sections', value: 0 });
  });

  it('overlay and (fake) Authenticode signature', () => {
    const o = pe('pe/overlay/hello-overlay.exe');
    expect(o.pe.overlay).toEqual({ offset: 2048, size: 4096 });
    expect(o.pe.certificate).toBeNull();
    const s = pe('pe/overlay/hello-signed.exe');
    expect(s.pe.certificate).toEqual({ offset: 2048, size: 288 });
    expect(s.pe.overlay).toEqual({ offset: 2048, size: 288 });
    for (const f of [o, s]) {
      expect(f.crt).toBe('msvc-hybrid');
      expect(f.needed).toEqual(pe('pe/msvc/x64/hello.exe').needed);
      expect(f.warnings).toEqual([]);
    }
  });

  it('the export directory names the DLL, whatever the file is called', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-pe-'));
    copyFileSync(sample('pe/msvc/x64/md_like.dll'), join(dir, 'renamed.dll'));
    const f = pe(join(dir, 'renamed.dll'));
    expect(f.dllName).toBe('md_like.dll');
    expect(f.pe.exports).toEqual({ dllName: 'md_like.dll', functions: 2, names: 1 }); // NumberOfFunctions counts lld's empty ordinal-0 slot
  });

  it('reads only the byte ranges it needs', async () => {
    const { FileSource } = await import('../src/node/file-source.js');
    const src = FileSource.open(sample('pe/mingw/cxx-static.exe'));
    try {
      inspectSource(src, 'cxx-static.exe');
      expect(src.bytesRead).toBeLessThan(64 * 1024);
      expect(src.size).toBeGreaterThan(900 * 1024);
    } finally {
      src.close();
    }
  });
});

describe('PE: Rich header (link.exe) as toolchain evidence', () => {
  const rol = (v: number, n: number) => ((v << (n & 31)) | (v >>> ((32 - (n & 31)) & 31))) >>> 0;
  /** Move the NT headers of an lld-link sample up and write a Rich header into the DOS stub, as link.exe does. */
  function withRich(path: string, entries: [number, number, number][]): Uint8Array {
    const b = new Uint8Array(readFileSync(path));
    const dv = new DataView(b.buffer);
    const lfanew = dv.getUint32(0x3c, true);
    const nt = 24 + dv.getUint16(lfanew + 20, true) + dv.getUint16(lfanew + 6, true) * 40;
    const at = 0x80 + 16 + entries.length * 8 + 8;
    const newLfanew = (at + 7) & ~7;
    expect(newLfanew + nt).toBeLessThanOrEqual(dv.getUint32(lfanew + 24 + 60, true)); // fits in SizeOfHeaders
    const ntBytes = b.slice(lfanew, lfanew + nt);
    b.fill(0, 0x40, lfanew + nt);
    b.set(ntBytes, newLfanew);
    dv.setUint32(0x3c, newLfanew, true);
    let sum = 0x80;
    for (let i = 0; i < 0x80; i++) if (i < 0x3c || i >= 0x40) sum = (sum + rol(b[i], i)) >>> 0;
    for (const [prod, build, count] of entries) sum = (sum + rol(((prod << 16) | build) >>> 0, count)) >>> 0;
    const key = sum;
    dv.setUint32(0x80, 0x536e6144 ^ key, true);
    for (let i = 1; i < 4; i++) dv.setUint32(0x80 + i * 4, key, true);
    entries.forEach(([prod, build, count], i) => {
      dv.setUint32(0x90 + i * 8, (((prod << 16) | build) ^ key) >>> 0, true);
      dv.setUint32(0x94 + i * 8, (count ^ key) >>> 0, true);
    });
    dv.setUint32(0x90 + entries.length * 8, 0x68636952, true);
    dv.setUint32(0x94 + entries.length * 8, key, true);
    return b;
  }
  const run = (b: Uint8Array) => {
    const r = inspectSource(new MemorySource(b, 'rich.dll'), 'rich.dll');
    if (r.error !== null || r.format !== 'pe') throw new Error(String(r.error?.message));
    return r;
  };

  it('is read, checksummed, and names the MSVC linker', () => {
    const entries: [number, number, number][] = [[0x0104, 30148, 12], [0x0105, 30148, 3], [0x0102, 30148, 1]];
    const f = run(withRich(sample('pe/msvc/x64/mt_like.dll'), entries));
    expect(f.pe.rich).toEqual({ entries: entries.map(([productId, build, count]) => ({ productId, build, count })), checksumValid: true });
    expect(f.pe.toolchain).toBe('msvc');
    expect(f.crt).toBe('msvc-static');
    expect(f.evidence.crt).toContainEqual({ field: 'Rich header', value: true });
    expect(f.needed).toEqual(['KERNEL32.dll']);
  });

  it('an edited entry breaks the checksum; a "Rich" without "DanS" is a warning', () => {
    const b = withRich(sample('pe/msvc/x64/md_like.dll'), [[0x0104, 30148, 12]]);
    b[0x94] ^= 1; // count
    expect(run(b).pe.rich?.checksumValid).toBe(false);
    b[0x80] ^= 0xff; // DanS
    const f = run(b);
    expect(f.pe.rich).toBeNull();
    expect(f.warnings.map((w) => w.code)).toEqual(['pe.rich-header']);
    expect(f.crt).toBe('msvc-dynamic');
  });
});

describe('PE: DLL classes and the CRT verdict over literal imports', () => {
  it('classifies DLLs', () => {
    const cases: [string, string][] = [
      ['KERNEL32.dll', 'system'], ['ntdll.dll', 'system'], ['api-ms-win-core-synch-l1-2-0.dll', 'system'],
      ['ext-ms-win-ntuser-window-l1-1-0.dll', 'system'], ['WS2_32.dll', 'system'], ['bcryptprimitives.dll', 'system'],
      ['api-ms-win-crt-stdio-l1-1-0.dll', 'crt'], ['ucrtbase.dll', 'crt'], ['VCRUNTIME140_1.dll', 'crt'],
      ['msvcp140_atomic_wait.dll', 'crt'], ['MSVCR120.dll', 'crt'], ['msvcrt.dll', 'crt'], ['libgcc_s_seh-1.dll', 'crt'],
      ['libstdc++-6.dll', 'crt'], ['libwinpthread-1.dll', 'crt'], ['libc++.dll', 'crt'], ['cygwin1.dll', 'crt'],
      ['md_like.dll', 'application'], ['Qt6Core.dll', 'application'], ['python312.dll', 'application'],
    ];
    for (const [d, c] of cases) expect([d, classifyDll(d)]).toEqual([d, c]);
    expect(crtDll('VCRUNTIME140D.dll')).toEqual({ role: 'vcruntime', debug: true });
    expect(crtDll('vcruntime140_1d.dll')).toEqual({ role: 'vcruntime', debug: true });
    expect(crtDll('msvcr100d.dll')).toEqual({ role: 'legacy', debug: true });
    expect(crtDll('msvcr100.dll')).toEqual({ role: 'legacy', debug: false });
    expect(crtDll('ucrtbased.dll')).toEqual({ role: 'ucrt', debug: true });
  });

  const base: CrtInput = {
    imports: [], delayImports: [], linkerVersion: [14, 36], rich: true, goBuildId: null, goBuildInfo: null, clr: false, hasCode: true,
    subsystem: 'WINDOWS_CUI',
  };
  const crt = (i: Partial<CrtInput>) => classifyCrt({ ...base, ...i });

  it('decides each verdict from what it rests on', () => {
    expect(crt({ imports: ['KERNEL32.dll', 'VCRUNTIME140.dll', 'VCRUNTIME140_1.dll', 'api-ms-win-crt-runtime-l1-1-0.dll'] }).crt).toBe('msvc-dynamic');
    expect(crt({ imports: ['KERNEL32.dll', 'MSVCP140.dll', 'ucrtbased.dll'] }).crt).toBe('msvc-debug');
    expect(crt({ imports: ['msvcr90d.dll'] }).evidence).toEqual([{ field: 'import', value: 'msvcr90d.dll' }]);
    expect(crt({ imports: ['KERNEL32.dll', 'api-ms-win-crt-runtime-l1-1-0.dll'] }).crt).toBe('msvc-hybrid');
    expect(crt({ imports: ['KERNEL32.dll', 'ADVAPI32.dll'] }).crt).toBe('msvc-static');
    expect(crt({ imports: ['MSVCR120.dll', 'MSVCP120.dll'] }).crt).toBe('legacy-msvcr');
    // msvcrt.dll from link.exe (Windows' own binaries, VC6) vs from GNU ld
    expect(crt({ imports: ['msvcrt.dll', 'KERNEL32.dll'] }).crt).toBe('legacy-msvcr');
    expect(crt({ imports: ['msvcrt.dll', 'KERNEL32.dll'], rich: false, linkerVersion: [2, 40] }).crt).toBe('mingw-msvcrt');
    // LLVM-MinGW: lld (14.0, no Rich header) + UCRT + libc++
    const llvmMingw = crt({ imports: ['api-ms-win-crt-runtime-l1-1-0.dll', 'libc++.dll', 'KERNEL32.dll'], rich: false, linkerVersion: [14, 0] });
    expect([llvmMingw.crt, llvmMingw.gccRuntime]).toEqual(['mingw-ucrt', ['libc++.dll']]);
    // delay-loaded CRT still counts, and says so
    expect(crt({ imports: ['KERNEL32.dll'], delayImports: ['VCRUNTIME140.dll'] }).evidence)
      .toContainEqual({ field: 'delay-import', value: 'VCRUNTIME140.dll' });
    // Go: no CRT, proven by its build ID
    const go = crt({ imports: ['kernel32.dll'], rich: false, linkerVersion: [3, 0], goBuildId: 'abc/def' });
    expect([go.crt, go.toolchain]).toEqual(['none', 'go']);
    // pure .NET assembly
    expect(crt({ imports: ['mscoree.dll'], clr: true, linkerVersion: [8, 0], rich: false }).crt).toBe('none');
    // EFI application without imports
    expect(crt({ subsystem: 'EFI_APPLICATION', rich: false, linkerVersion: [2, 40] }).crt).toBe('none');
    // nothing names the toolchain: unknown, never a guess
    expect(crt({ imports: ['KERNEL32.dll'], rich: false, linkerVersion: [2, 25] }).crt).toBe('unknown');
    expect(crt({ imports: ['cygwin1.dll', 'KERNEL32.dll'], rich: false, linkerVersion: [2, 40] })).toMatchObject({
      crt: 'unknown', evidence: [{ field: 'import', value: 'cygwin1.dll' }],
    });
  });
});

describe('PE: inspect CLI', () => {
  it('inspect samples/pe: every file read, exit 0', () => {
    const r = cli(['inspect', 'samples/pe']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ binaries inspected\n$/);
    expect(r.stdout).not.toMatch(/could not be analysed/);
    for (const [f, arch] of [
      ['msvc/x64/md_like.dll', 'x86_64'], ['msvc/arm64/md_like.dll', 'aarch64'], ['msvc/x86/md_like.dll', 'i386'], ['mingw/hello.exe', 'x86_64'],
    ]) {
      expect(r.stdout).toMatch(new RegExp(`samples/pe/${f.replace(/\./g, '\\.')}\\s*│\\s*${arch}\\s*│`));
    }
  });

  it('inspect --long shows the PE detail rows', () => {
    const r = cli(['inspect', '--long', 'samples/pe/msvc/x64/delayload.exe', 'samples/pe/mingw/cxx-dyn.exe']);
    expect(r.code).toBe(0);
    for (const s of [
      'DLL name', 'CRT', 'msvc-hybrid', 'mingw-msvcrt + libgcc_s_seh-1.dll, libstdc++-6.dll', 'delay imports', 'mt_like.dll [application] mt_foo',
      'DllCharacteristics', 'subsystem', 'WINDOWS_CUI', 'linker', 'PDB', 'Rich header', 'GUARD_CF',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });

  it('inspect --json md_like.dll carries the PE fields', () => {
    const r = cli(['inspect', '--json', 'samples/pe/msvc/x64/md_like.dll']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout).binaries[0];
    expect(b.format).toBe('pe');
    expect(b.crt).toBe('msvc-dynamic');
    expect(b.dllName).toBe('md_like.dll');
    expect(b.imports.map((i: { dll: string }) => i.dll)).toEqual(['VCRUNTIME140.dll', UCRT_RT, UCRT_STDIO, 'KERNEL32.dll']);
    expect(b.imports[0].functions[0]).toEqual({ name: 'memcpy', hint: 0, ordinal: null });
    expect(b.delayImports).toEqual([]);
    expect(b.dllCharacteristics).toEqual(['HIGH_ENTROPY_VA', 'DYNAMIC_BASE', 'NX_COMPAT']);
    expect(b.evidence.crt).toContainEqual({ field: 'import', value: 'VCRUNTIME140.dll' });
    for (const k of ['type', 'linkage', 'pie', 'libc', 'crt', 'toolchain']) expect(b.evidence).toHaveProperty(k);
    expect(b.pe.magic).toBe('PE32+');
  });

  it('a truncated PE is an error, not a crash', () => {
    const r = inspectFile(sample('misc/truncated-pe'));
    expect(r.error?.code).toBe('malformed');
  });
});

describe('PE: machines without a committed sample', () => {
  it('ARMNT: a Thumb-2 image (samples/pe/msvc/armnt, clang + lld-link), cross-checked with llvm-readobj', () => {
    const p = sample('pe/msvc/armnt/thumb2.exe');
    const f = pe(p);
    expect(f).toMatchObject({ arch: 'arm', bits: 32, type: 'executable', linkage: 'static', needed: [] });
    expect(f.pe.machine).toBe('ARMNT');
    expect(tool(`${LLVM_BIN}/llvm-readobj`, ['--file-headers', p])).toContain('IMAGE_FILE_MACHINE_ARMNT (0x1C4)');
  });

  it('ARM64EC: an arm64 sample with IMAGE_FILE_HEADER.Machine = 0xA641 (LLVM 14 cannot link arm64ec)', () => {
    const b = new Uint8Array(readFileSync(sample('pe/msvc/arm64/hello.exe')));
    const dv = new DataView(b.buffer);
    dv.setUint16(dv.getUint32(0x3c, true) + 4, 0xa641, true);
    const r = inspectSource(new MemorySource(b), 'arm64ec.exe');
    if (r.error !== null || r.format !== 'pe') return expect.fail(r.error?.message ?? 'not PE');
    expect(r).toMatchObject({ arch: 'arm64ec', bits: 64 });
    expect(r.pe.machine).toBe('ARM64EC');
  });
});

describe('an imported name without an extension is the .dll the loader loads', () => {
  it('md_like.dll with VCRUNTIME140 and api-ms-win-crt-* imported without ".dll": msvc-dynamic, and msvc-crt-static fails', () => {
    const d = new Uint8Array(readFileSync(sample('pe/msvc/x64/md_like.dll')));
    const buf = Buffer.from(d);
    for (const n of ['VCRUNTIME140.dll\0', 'api-ms-win-crt-runtime-l1-1-0.dll\0', 'api-ms-win-crt-stdio-l1-1-0.dll\0']) {
      const i = buf.indexOf(n);
      expect(i, n).toBeGreaterThan(0);
      buf.fill(0, i + n.length - 5, i + n.length);
    }
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-noext-'));
    writeFileSync(join(dir, 'noext.dll'), buf);
    const f = inspectFile(join(dir, 'noext.dll')) as PeFacts;
    expect(f.needed).toContain('VCRUNTIME140');
    expect(f.crt).toBe('msvc-dynamic');
    writeFileSync(join(dir, 'linkplan.toml'), '[[artifact]]\npath = "**"\npreset = "msvc-crt-static"\n');
    const r = cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(dir, 'noext.dll')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/crt: .*msvc-dynamic/);
    expect(r.stdout).toContain('VCRUNTIME140.dll');
  });
});
