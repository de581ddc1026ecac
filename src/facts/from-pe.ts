import type { PeFile, ImportedDll } from '../formats/pe/index.js';
import {
  IMAGE_DEBUG_TYPE, IMAGE_DLLCHARACTERISTICS, IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE, IMAGE_DLLCHARACTERISTICS_GUARD_CF,
  IMAGE_FILE_CHARACTERISTICS, IMAGE_FILE_DLL, IMAGE_FILE_MACHINE, IMAGE_FILE_RELOCS_STRIPPED, IMAGE_GUARD_FLAGS,
  IMAGE_SUBSYSTEM, flagNames,
} from '../formats/pe/constants.js';
import type { CrtVerdict, PeDetails, PeImport, PeToolchain } from './pe.js';
import type { BinaryType, Evidence, Libc, Linkage, PeFacts } from './types.js';
import { classifyDll, crtDll, loadedDllName, type CrtDll, type CrtRole } from './windows-dlls.js';

const ev = (field: string, value: Evidence['value']): Evidence => ({ field, value });

/** What the CRT verdict looks at: DLL names as written, and the markers that name the toolchain. */
export interface CrtInput {
  imports: string[];
  delayImports: string[];
  linkerVersion: [number, number];
  rich: boolean;
  goBuildId: string | null;
  /** Go's build info header in the data section (formats/pe/index.ts goBuildInfo), null when there is none. */
  goBuildInfo: { section: string; offset: number; version: string | null } | null;
  clr: boolean;
  hasCode: boolean;
  /** IMAGE_SUBSYSTEM_* name. */
  subsystem: string;
}

export interface CrtResult {
  crt: CrtVerdict;
  evidence: Evidence[];
  crtDlls: string[];
  gccRuntime: string[];
  toolchain: PeToolchain;
  toolchainEvidence: Evidence[];
}

const goBuildInfoEv = (g: NonNullable<CrtInput['goBuildInfo']>): Evidence[] =>
  [ev('Go buildinf', g.version ?? true), ev('Go buildinf section', `${g.section} at file offset 0x${g.offset.toString(16)}`)];

/** A DLL name with the descriptor list it came from and its CRT role (windows-dlls.ts). */
interface Tagged {
  d: string;
  field: 'import' | 'delay-import';
  c: CrtDll;
}

/** The CRT DLLs among the imports then the delay imports, in that order, each looked up once. */
function tagCrt(i: CrtInput): Tagged[] {
  const out: Tagged[] = [];
  for (const d of i.imports) {
    const c = crtDll(d);
    if (c) out.push({ d, field: 'import', c });
  }
  for (const d of i.delayImports) {
    const c = crtDll(d);
    if (c) out.push({ d, field: 'delay-import', c });
  }
  return out;
}

export function toolchainOf(i: CrtInput): { toolchain: PeToolchain; evidence: Evidence[] } {
  return toolchainFrom(i, tagCrt(i));
}

function toolchainFrom(i: CrtInput, tagged: Tagged[]): { toolchain: PeToolchain; evidence: Evidence[] } {
  const lv = `${i.linkerVersion[0]}.${i.linkerVersion[1]}`;
  if (i.goBuildId !== null) return { toolchain: 'go', evidence: [ev('Go build ID', i.goBuildId), ev('MajorLinkerVersion.MinorLinkerVersion', lv)] };
  // Without a build ID (`go build -ldflags=-buildid=`, or one blanked), cmd/link still writes runtime.buildinfo
  // into .data: the header Go's own debug/buildinfo identifies a Go binary by.
  if (i.goBuildInfo !== null) return { toolchain: 'go', evidence: [...goBuildInfoEv(i.goBuildInfo), ev('MajorLinkerVersion.MinorLinkerVersion', lv)] };
  if (i.rich) return { toolchain: 'msvc', evidence: [ev('Rich header', true), ev('MajorLinkerVersion.MinorLinkerVersion', lv)] };
  const gcc: Evidence[] = [];
  for (const x of tagged) if (x.c.role === 'gcc') gcc.push(ev('import', x.d));
  // GNU ld writes its own (binutils) version, 2.x; link.exe 5.0..14.x, lld-link exactly 14.0, Go 3.0.
  if (i.linkerVersion[0] === 2 || gcc.length) {
    return { toolchain: 'gnu', evidence: [ev('MajorLinkerVersion.MinorLinkerVersion', lv), ...gcc] };
  }
  if (i.linkerVersion[0] === 14 && i.linkerVersion[1] === 0) {
    return { toolchain: 'lld', evidence: [ev('MajorLinkerVersion.MinorLinkerVersion', lv), ev('Rich header', false)] };
  }
  return { toolchain: 'unknown', evidence: [ev('MajorLinkerVersion.MinorLinkerVersion', lv), ev('Rich header', false)] };
}

/**
 * The CRT verdict from the imports, in order of precedence: a debug runtime anywhere; the VC++ 2015+ runtime
 * (vcruntime/msvcp); a pre-2015 one; the UCRT alone (MSVC hybrid or MinGW-UCRT, told apart by MinGW markers);
 * msvcrt.dll; and, with no CRT DLL at all, whatever proves the image carries no CRT (Go, .NET, no code) or that an
 * MSVC-family linker linked the CRT in.
 */
export function classifyCrt(i: CrtInput): CrtResult {
  const tagged = tagCrt(i);
  const tc = toolchainFrom(i, tagged);
  const runtime: Tagged[] = [], mingwRt: Tagged[] = [];
  for (const x of tagged) (x.c.role === 'gcc' || x.c.role === 'llvm-mingw' ? mingwRt : runtime).push(x);
  const gccRuntime = mingwRt.map((x) => x.d);
  const crtDlls = runtime.map((x) => x.d);
  const out = (crt: CrtVerdict, evidence: Evidence[]): CrtResult =>
    ({ crt, evidence, crtDlls, gccRuntime, toolchain: tc.toolchain, toolchainEvidence: tc.evidence });
  const evOf = (xs: Tagged[]) => xs.map((x) => ev(x.field, x.d));
  const role = (...roles: CrtRole[]) => runtime.filter((x) => roles.includes(x.c.role));

  const debug = runtime.filter((x) => x.c.debug);
  if (debug.length) return out('msvc-debug', evOf(debug));
  const vc = role('vcruntime', 'msvcp', 'vcredist');
  if (vc.length) return out('msvc-dynamic', evOf([...vc, ...role('ucrt')]));
  const legacy = role('legacy');
  if (legacy.length) return out('legacy-msvcr', evOf(legacy));
  // MinGW markers: its runtime DLLs, GNU ld, and api-ms-win-crt-private (mingw-w64's UCRT import library takes
  // __C_specific_handler and memcpy from there; MSVC's come from vcruntime, static or not).
  const privateCrt = runtime.filter((x) => loadedDllName(x.d).toLowerCase() === 'api-ms-win-crt-private-l1-1-0.dll');
  const mingwEv: Evidence[] = [...evOf(mingwRt), ...evOf(privateCrt), ...(tc.toolchain === 'gnu' ? tc.evidence.filter((e) => e.field !== 'import') : [])];
  const ucrt = role('ucrt');
  if (ucrt.length) {
    return mingwEv.length
      ? out('mingw-ucrt', [...evOf(ucrt), ...mingwEv])
      : out('msvc-hybrid', [...evOf(ucrt), ev('VCRUNTIME140.dll', null), ...tc.evidence]);
  }
  const msvcrt = role('msvcrt');
  if (msvcrt.length) {
    // msvcrt.dll is also what VC6 and Windows' own binaries (link.exe, Rich header) import.
    if (tc.toolchain === 'msvc' && !mingwEv.length) return out('legacy-msvcr', [...evOf(msvcrt), ...tc.evidence]);
    return out('mingw-msvcrt', [...evOf(msvcrt), ...mingwEv]);
  }
  const cyg = role('cygwin');
  if (cyg.length) return out('unknown', evOf(cyg));

  const dlls = [...i.imports.map((d) => ev('import', d)), ...i.delayImports.map((d) => ev('delay-import', d))];
  const count = i.imports.length + i.delayImports.length;
  // Go's runtime talks to Windows itself (kernel32 and friends): no C runtime unless cgo linked one, and a cgo
  // binary imports its CRT (msvcrt / UCRT), which the checks above have already seen. The build ID proves Go; so
  // does the build info header, which a binary built without a build ID still has (toolchainOf puts either first).
  if (i.goBuildId !== null || i.goBuildInfo !== null) return out('none', [...tc.evidence, ...dlls]);
  if (i.clr && i.imports.every((d) => loadedDllName(d).toLowerCase() === 'mscoree.dll') && i.delayImports.length === 0) {
    return out('none', [ev('IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR', true), ...dlls]);
  }
  if (!i.hasCode) return out('none', [ev('code sections', 0), ev('imports', count)]);
  if (count === 0 && i.subsystem.startsWith('EFI_')) return out('none', [ev('Subsystem', i.subsystem), ev('imports', 0)]);
  if (tc.toolchain === 'msvc' || tc.toolchain === 'lld') return out('msvc-static', [ev('CRT imports', 0), ...dlls, ...tc.evidence]);
  return out('unknown', [ev('CRT imports', 0), ...dlls, ...tc.evidence]);
}

const debugOnlyCrt: CrtResult = {
  crt: 'unknown', evidence: [ev('SizeOfRawData', '0 in every code section: a debug-only file')],
  crtDlls: [], gccRuntime: [], toolchain: 'unknown', toolchainEvidence: [],
};

const machineName = (m: number) => IMAGE_FILE_MACHINE[m]?.[0] ?? `MACHINE_0x${m.toString(16)}`;

/** The reader's symbol lists are taken as they are: ImportedSymbol is PeImportedFunction, and the PeFile is not kept. */
function toImports(dlls: ImportedDll[]): PeImport[] {
  return dlls.map((d) => ({ dll: d.dll, class: classifyDll(d.dll), functions: d.symbols, bound: d.bound }));
}

export function peFacts(path: string, f: PeFile): PeFacts {
  const o = f.optional;
  const warnings = [...f.warnings];
  const isDll = (f.coff.characteristics & IMAGE_FILE_DLL) !== 0;
  const characteristics = flagNames(f.coff.characteristics, IMAGE_FILE_CHARACTERISTICS);
  const dllCharacteristics = flagNames(o.dllCharacteristics, IMAGE_DLLCHARACTERISTICS);
  const subsystem = IMAGE_SUBSYSTEM[o.subsystem] ?? `SUBSYSTEM_${o.subsystem}`;

  const type: BinaryType = f.debugInfoOnly ? 'debug-info' : isDll ? 'shared-library' : 'executable';
  const typeEv = [ev('Characteristics', isDll ? 'DLL' : characteristics.includes('EXECUTABLE_IMAGE') ? 'EXECUTABLE_IMAGE' : 'no DLL flag')];
  if (f.debugInfoOnly) typeEv.push(ev('SizeOfRawData', '0 in every code section'));

  const imports = toImports(f.imports);
  const delayImports = toImports(f.delayImports);
  const needed = f.imports.map((d) => d.dll);
  const linkage: Linkage | null = f.debugInfoOnly ? null : needed.length || delayImports.length ? 'dynamic' : 'static';
  const linkEv = [ev('import descriptors', needed.length), ev('delay-import descriptors', delayImports.length)];

  const dynamicBase = (o.dllCharacteristics & IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE) !== 0;
  const relocsStripped = (f.coff.characteristics & IMAGE_FILE_RELOCS_STRIPPED) !== 0;
  // Relocatable to a random base: DYNAMIC_BASE asks for it, and stripped relocations make it impossible (the
  // warning below says so; pie = true would hold a plan on a property the image does not have).
  const pie = type === 'executable' ? dynamicBase && !relocsStripped : null;
  const pieEv = pie === null ? [] : [
    ev('DllCharacteristics DYNAMIC_BASE', dynamicBase), ...(relocsStripped ? [ev('Characteristics RELOCS_STRIPPED', true)] : []),
  ];
  if (dynamicBase && relocsStripped) {
    warnings.push({
      code: 'pe.dynamic-base-without-relocs',
      detail: 'DYNAMIC_BASE is set but relocations are stripped (RELOCS_STRIPPED): the loader cannot move the image, so there is no ASLR',
    });
  }

  const crt = f.debugInfoOnly ? debugOnlyCrt : classifyCrt({
    imports: needed, delayImports: f.delayImports.map((d) => d.dll), linkerVersion: [o.majorLinkerVersion, o.minorLinkerVersion],
    rich: f.rich !== null, goBuildId: f.goBuildId, goBuildInfo: f.goBuildInfo, clr: f.clr, hasCode: f.hasCode, subsystem,
  });

  let libc: Libc = 'unknown';
  let libcEv: Evidence[] = [];
  const ucrtDll = crt.crtDlls.find((d) => crtDll(d)?.role === 'ucrt');
  const msvcrtDll = crt.crtDlls.find((d) => crtDll(d)?.role === 'msvcrt');
  if (ucrtDll) { libc = 'ucrt'; libcEv = [ev('import', ucrtDll)]; }
  else if (msvcrtDll) { libc = 'msvcrt'; libcEv = [ev('import', msvcrtDll)]; }
  else if (crt.crt === 'none') { libc = 'none'; libcEv = crt.evidence; }

  const seen = new Set<string>();
  const importDlls = needed.filter((d) => { const k = d.toLowerCase(); if (seen.has(k)) return false; seen.add(k); return true; });

  const guardFlags = f.loadConfig?.guardFlags ?? 0;
  const guardCf = {
    enabled: (o.dllCharacteristics & IMAGE_DLLCHARACTERISTICS_GUARD_CF) !== 0,
    instrumented: f.loadConfig?.cfInstrumented ?? false,
    flags: flagNames(guardFlags, IMAGE_GUARD_FLAGS),
    functionCount: f.loadConfig?.guardCfFunctionCount ?? null,
  };
  const guardEv = [
    ev('DllCharacteristics GUARD_CF', guardCf.enabled), ev('IMAGE_LOAD_CONFIG_DIRECTORY', f.loadConfig !== null),
    ev('GuardFlags CF_INSTRUMENTED', guardCf.instrumented),
  ];

  const cv = f.debug?.codeView ?? null;
  const exp = f.exports;
  const details: PeDetails = {
    magic: o.is64 ? 'PE32+' : 'PE32', machine: machineName(f.coff.machine), characteristics, subsystem,
    subsystemVersion: `${o.majorSubsystemVersion}.${o.minorSubsystemVersion}`,
    osVersion: `${o.majorOperatingSystemVersion}.${o.minorOperatingSystemVersion}`,
    linkerVersion: `${o.majorLinkerVersion}.${o.minorLinkerVersion}`, imageBase: `0x${o.imageBase.toString(16)}`,
    entryPoint: o.addressOfEntryPoint, timeDateStamp: f.coff.timeDateStamp, sections: f.sections.map((s) => s.name),
    importDlls, crtDlls: crt.crtDlls, gccRuntime: crt.gccRuntime, toolchain: crt.toolchain,
    exports: exp ? { dllName: exp.dllName, functions: exp.numberOfFunctions, names: exp.numberOfNames } : null,
    rich: f.rich ? { entries: f.rich.entries, checksumValid: f.rich.checksumValid } : null,
    debugTypes: (f.debug?.entries ?? []).map((e) => IMAGE_DEBUG_TYPE[e.type] ?? `TYPE_${e.type}`),
    pdb: cv ? { path: cv.pdbPath, id: cv.id, age: cv.age, signature: cv.signature } : null,
    guardCf,
    loadConfig: f.loadConfig ? { size: f.loadConfig.size, securityCookie: f.loadConfig.securityCookie, seHandlerCount: f.loadConfig.seHandlerCount } : null,
    clr: f.clr, certificate: f.certificate, overlay: f.overlay, coffSymbols: f.coff.numberOfSymbols, goBuildId: f.goBuildId,
    goBuildInfo: f.goBuildInfo,
  };

  const dllName = exp && exp.dllName !== '' ? exp.dllName : null;
  const bits = o.is64 ? 64 : 32;
  return {
    path, format: 'pe', arch: IMAGE_FILE_MACHINE[f.coff.machine]?.[1] ?? `pe-machine-0x${f.coff.machine.toString(16)}`, bits, endian: 'little',
    type, linkage, pie, libc, interpreter: null, needed, rpath: [], runpath: [], soname: dllName,
    imports, delayImports, crt: crt.crt, dllName, dllCharacteristics,
    evidence: {
      type: typeEv, linkage: linkEv, pie: pieEv, libc: libcEv, crt: crt.evidence, toolchain: crt.toolchainEvidence,
      guardCf: guardEv, dllName: dllName === null ? [] : [ev('IMAGE_EXPORT_DIRECTORY Name', dllName)],
    },
    warnings, error: null, pe: details,
  };
}
