/** Fact literals and plan shortcuts for the plan/verify tests. */
import type { ElfFacts, MachoFacts, PeFacts } from '../src/facts/types.js';
import { parsePlan } from '../src/plan/load.js';
import type { Plan } from '../src/plan/schema.js';
import { evaluate } from '../src/plan/evaluate.js';
import type { BinaryFacts, BinaryResult } from '../src/facts/types.js';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { inspectSource } from '../src/inspect.js';
import { DirSysroot } from '../src/node/sysroot.js';
import { resolveBinary } from '../src/resolve/index.js';
import type { ResolveResult } from '../src/resolve/model.js';
import type { VerifyReport } from '../src/plan/model.js';

/** A dynamic glibc PIE, as plain data; override what a test needs. */
export function elfLit(
  over: Omit<Partial<ElfFacts>, 'elf' | 'hardening'> & { elf?: Partial<ElfFacts['elf']>; hardening?: Partial<ElfFacts['hardening']> } = {},
): ElfFacts {
  const { elf, hardening, ...rest } = over;
  return {
    path: 'bin/app', format: 'elf', arch: 'x86_64', bits: 64, endian: 'little', type: 'executable', linkage: 'dynamic',
    pie: true, libc: 'glibc', interpreter: '/lib64/ld-linux-x86-64.so.2', needed: ['libc.so.6'], rpath: [], runpath: [],
    soname: null, evidence: { linkage: [{ field: 'PT_INTERP', value: '/lib64/ld-linux-x86-64.so.2' }] }, warnings: [], error: null,
    hardening: { pie: true, relro: 'partial', bindNow: false, nxStack: true, textrel: false, ...hardening },
    elf: {
      class: 'ELF64', eType: 'ET_DYN', machine: 'EM_X86_64', eMachine: 62, osabi: 'SYSV', entry: 0x1040, segments: [],
      hasDynamic: true, relro: true, gnuStack: 'RW', tls: false, flags: [], flags1: ['PIE'], dynamicTags: [],
      versionNeeds: [{ file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.34'] }],
      floors: { glibc: '2.34', glibcxx: null, cxxabi: null, gcc: null }, buildId: null, abiTag: null, noteOwners: [],
      goBuildId: null, comments: [], hasSectionHeaders: true, ...elf,
    },
    ...rest,
  };
}

/** A PE literal with the fields the rules read (the reader's details are not the rules' business). */
export function peLit(over: Partial<PeFacts> = {}): PeFacts {
  return {
    path: 'bin/app.dll', format: 'pe', arch: 'x86_64', bits: 64, endian: 'little', type: 'shared-library', linkage: 'dynamic',
    pie: null, libc: 'unknown', interpreter: null, needed: ['KERNEL32.dll'], rpath: [], runpath: [], soname: 'app.dll',
    evidence: { crt: [{ field: 'CRT imports', value: 0 }] }, warnings: [], error: null,
    imports: [{ dll: 'KERNEL32.dll', class: 'system', functions: [], bound: false }], delayImports: [], crt: 'msvc-static',
    dllName: 'app.dll', dllCharacteristics: ['DYNAMIC_BASE', 'NX_COMPAT'],
    pe: { crtDlls: [] } as unknown as PeFacts['pe'],
    ...over,
  };
}

/** A Mach-O literal with the fields the rules read. */
export function machoLit(over: Partial<MachoFacts> = {}): MachoFacts {
  return {
    path: 'bin/app', format: 'macho', arch: 'aarch64', bits: 64, endian: 'little', type: 'executable', linkage: 'dynamic',
    pie: true, libc: 'libsystem', interpreter: '/usr/lib/dyld', needed: ['/usr/lib/libSystem.B.dylib'], rpath: [], runpath: [],
    soname: null, evidence: {}, warnings: [], error: null,
    dylibs: [{
      name: '/usr/lib/libSystem.B.dylib', kind: 'load', cmd: 'LC_LOAD_DYLIB', class: 'apple-system', currentVersion: '1.0.0',
      compatibilityVersion: '1.0.0',
    }],
    rpaths: [], installName: null, minOS: '11.0', platform: 'macos', slices: null,
    macho: { flags: ['MH_PIE'], archName: 'arm64' } as unknown as MachoFacts['macho'],
    ...over,
  };
}

/** Parse a plan that must be valid. */
export function plan(text: string, file = 'linkplan.toml'): Plan {
  const r = parsePlan(text, file);
  if ('error' in r) throw new Error(`plan does not parse: ${JSON.stringify(r.error)}`);
  return r.plan;
}

/** One artifact matching everything, with these TOML expectation lines. */
export function planFor(lines: string, extraTop = ''): Plan {
  return plan(`${extraTop}\n[[artifact]]\nname = "a"\npath = "**"\n${lines}\n`);
}

export function run(p: Plan, results: BinaryResult[], strict = false): VerifyReport {
  return evaluate(p, results, { strict, resolve: resolveOnDisk });
}

/**
 * A binary on disk (a committed sample) resolved as `linkplan resolve` would, against / of this machine; its tree
 * ("bundled") is its directory, or the one above a bin/ directory (samples/macho/arm64/bin/usefoo → samples/macho/arm64).
 */
export function resolveOnDisk(f: BinaryFacts): ResolveResult[] {
  const dir = dirname(resolvePath(f.path));
  const tree = basename(dir) === 'bin' ? dirname(dir) : dir;
  return resolveBinary(resolvePath(f.path), { sysroot: new DirSysroot('/'), inspect: inspectSource, tree, rootLabel: '/' });
}

/** Rule ids of the findings, sorted. */
export const rulesOf = (r: VerifyReport) => r.findings.map((f) => f.rule).sort();
