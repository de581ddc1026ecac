/**
 * Presets: named sets of expectations for the outcomes people ask for. An artifact's `preset = "…"` supplies
 * defaults; every key the artifact sets itself overrides the preset's (per sub-key for `needed`, `dylibs`, `libs`).
 */
import type { Expectations } from './schema.js';
import type { Provenance } from '../resolve/model.js';

/** DLLs of the Visual C++ runtime and the UCRT: a DLL that imports one does not carry its own CRT. */
export const MSVC_CRT_DLLS = ['vcruntime*.dll', 'msvcp*.dll', 'vccorlib*.dll', 'concrt*.dll', 'ucrtbase*.dll', 'api-ms-win-crt-*.dll', 'msvcr[0-9]*.dll'];
/** Runtimes a clean Windows does not have: the VC++ redistributable, legacy msvcrNN, and the MinGW runtime DLLs. */
export const WINDOWS_REDIST_DLLS = [
  'vcruntime*.dll', 'msvcp*.dll', 'vccorlib*.dll', 'concrt*.dll', 'msvcr[0-9]*.dll', 'libgcc_s*.dll', 'libstdc++*.dll', 'libwinpthread*.dll',
];
/** Where a Homebrew formula's libraries may come from: macOS (or Linuxbrew's host), the Cellar, the formula itself. */
const HOMEBREW_PROVENANCE: Provenance[] = ['apple-system', 'system', 'homebrew', 'bundled'];
/** What the VC++ redistributable installs (an installer's prerequisite, not a file it ships). */
export const MSVC_REDIST_DLLS = ['vcruntime*.dll', 'msvcp*.dll', 'vccorlib*.dll', 'concrt*.dll'];
/**
 * Libraries every mainstream glibc Linux has (the core of the manylinux policy): the C library's own parts, the
 * dynamic loader, libgcc_s and libstdc++.
 */
export const LINUX_BASE_LIBS = [
  'libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'librt.so.1', 'libutil.so.1', 'libresolv.so.2',
  'libnsl.so.1', 'libcrypt.so.1', 'libgcc_s.so.1', 'libstdc++.so.6', 'ld-linux*.so.*', 'ld64.so.*',
];

export interface Preset {
  doc: string;
  expect: Expectations;
}

export const PRESETS = {
  'musl-static': {
    doc: 'Fully static or static-PIE: no program interpreter, no needed libraries (what crt-static gives on musl).',
    expect: { linkage: ['static', 'static-pie'], interpreter: false, needed: { allow: [] } },
  },
  'static-pie': {
    doc: 'A static position-independent executable: no interpreter, no needed libraries, relocates itself.',
    expect: { linkage: ['static-pie'], interpreter: false, needed: { allow: [] } },
  },
  'musl-dynamic': {
    doc: 'Dynamically linked against musl (interpreter /lib/ld-musl-<arch>.so.1, NEEDED libc.so).',
    expect: { linkage: ['dynamic'], libc: ['musl'] },
  },
  'msvc-crt-static': {
    doc: 'Every EXE and DLL carries its own CRT (/MT, crt-static on windows-msvc): no vcruntime, msvcp, ucrtbase or api-ms-win-crt imports.',
    expect: { crt: ['msvc-static', 'none'], needed: { forbid: MSVC_CRT_DLLS } },
  },
  'msvc-crt-dynamic': {
    doc: 'The CRT is loaded from the VC++ runtime and UCRT DLLs (/MD, the windows-msvc default).',
    expect: { crt: ['msvc-dynamic'] },
  },
  'rustlib-rpath': {
    doc: 'RPATH or RUNPATH is exactly $ORIGIN/../lib/rustlib/<triple>/lib (the layout of a Rust toolchain\'s own binaries).',
    expect: { searchPaths: ['$ORIGIN/../lib/rustlib/*/lib'] },
  },
  'distro-dynamic': {
    doc: 'What Linux distributions ship: dynamically linked against system libraries, no RPATH or RUNPATH, no text relocations. '
      + 'Add libs.<name> = { static = false } for each system library the package must not vendor ("dynamic" requires it linked too).',
    expect: { linkage: ['dynamic'], rpath: [], runpath: [], textrel: false },
  },
  'portable-linux': {
    doc: 'Runs on any mainstream glibc Linux: needed libraries only from the base set (libc, libm, libdl, libpthread, librt, libutil, '
      + 'libresolv, libnsl, libcrypt, libgcc_s, libstdc++, the loader), no absolute RPATH/RUNPATH. Add glibcMax for the oldest glibc.',
    expect: { needed: { allow: LINUX_BASE_LIBS }, searchPaths: 'no-absolute' },
  },
  'macos-app': {
    doc: 'A relocatable macOS app: only Apple system dylibs plus relative ones (@rpath, @loader_path, @executable_path), and LC_RPATH '
      + 'entries anchored to the binary.',
    expect: { dylibs: { allow: ['apple-system', 'relative'] }, searchPaths: 'anchored-to-origin' },
  },
  'homebrew-formula': {
    doc: 'A Homebrew formula: Apple system dylibs, Homebrew-installed ones and relative ones; nothing from elsewhere (a build machine\'s path). '
      + 'Resolved, every dependency found comes from the system, the Cellar or the formula itself.',
    expect: { dylibs: { allow: ['apple-system', 'homebrew', 'relative'] }, deps: { 'allow-provenance': HOMEBREW_PROVENANCE } },
  },
  // Channel presets: what a packager's layer over the project's plan asks for (docs/plan.md, "Plan layers").
  distro: {
    doc: 'A Linux distribution package: linked dynamically against the system\'s libraries, no RPATH or RUNPATH, no text relocations; '
      + 'resolved, every library found is the system\'s (what is not there, the package\'s dependencies install). Add '
      + 'libs.<name> = { static = false } for each library the distribution ships, so a vendored copy is flagged ("dynamic" requires it linked too).',
    expect: { linkage: ['dynamic'], rpath: [], runpath: [], textrel: false, deps: { 'allow-provenance': ['system'] } },
  },
  tarball: {
    doc: 'A tarball unpacked anywhere: every dependency resolves inside the tarball (through $ORIGIN search paths) or to the target system; '
      + 'nothing from another prefix, no absolute RPATH/RUNPATH. Give the target system as --root.',
    expect: { searchPaths: 'no-absolute', deps: { resolve: 'inside-root', 'allow-provenance': ['system', 'apple-system', 'crt', 'bundled'] } },
  },
  homebrew: {
    doc: 'A Homebrew bottle: Apple system dylibs, Homebrew-installed ones and relative ones; nothing from a build machine\'s path.',
    expect: { dylibs: { allow: ['apple-system', 'homebrew', 'relative'] }, deps: { 'allow-provenance': HOMEBREW_PROVENANCE } },
  },
  'app-bundle': {
    doc: 'A macOS .app bundle, static except for Apple\'s libraries and what it bundles: only Apple system dylibs and ones inside the bundle '
      + '(@rpath, @loader_path, @executable_path), LC_RPATH anchored to the binary, every dependency found inside the bundle or in the shared cache.',
    expect: {
      dylibs: { allow: ['apple-system', 'relative'] }, searchPaths: 'anchored-to-origin',
      deps: { resolve: 'inside-root', 'allow-provenance': ['apple-system', 'bundled'] },
    },
  },
  'windows-installer': {
    doc: 'A Windows installer that installs the VC++ redistributable: the dynamic or static MSVC CRT, never the debug CRT, no MinGW runtime DLLs; '
      + 'every other DLL is Windows\' own or installed next to the .exe.',
    expect: {
      crt: ['msvc-dynamic', 'msvc-static', 'msvc-hybrid', 'none'], needed: { forbid: ['libgcc_s*.dll', 'libstdc++*.dll', 'libwinpthread*.dll'] },
      deps: { resolve: 'inside-root', provided: MSVC_REDIST_DLLS, 'allow-provenance': ['system', 'crt', 'bundled'] },
    },
  },
  'windows-portable': {
    doc: 'Runs on a clean Windows 10+ from its own folder: every DLL that is not Windows\' own is next to the .exe; no VC++ redistributable '
      + '(vcruntime, msvcp), legacy msvcrNN, MinGW runtime DLLs or debug CRT. The UCRT is part of Windows and allowed.',
    expect: {
      crt: ['msvc-static', 'msvc-hybrid', 'mingw-msvcrt', 'mingw-ucrt', 'none'], needed: { forbid: WINDOWS_REDIST_DLLS },
      deps: { resolve: 'inside-root', 'allow-provenance': ['system', 'crt', 'bundled'] },
    },
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Preset defaults under the artifact's own keys; nested tables merge per sub-key. */
export function applyPreset(preset: Expectations | undefined, own: Expectations): Expectations {
  if (!preset) return own;
  const out: Expectations = { ...preset, ...own };
  if (preset.needed || own.needed) out.needed = { ...preset.needed, ...own.needed };
  if (preset.dylibs || own.dylibs) out.dylibs = { ...preset.dylibs, ...own.dylibs };
  if (preset.deps || own.deps) out.deps = { ...preset.deps, ...own.deps };
  if (preset.libs || own.libs) out.libs = { ...preset.libs, ...own.libs };
  return out;
}
