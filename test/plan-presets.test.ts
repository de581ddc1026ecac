/** Every preset, proven on a sample that satisfies it and on one (or more) that violates it; overriding key by key. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFinding } from '../src/plan/messages.js';
import { PRESET_NAMES, type PresetName } from '../src/plan/presets.js';
import { facts, sample } from './helpers.js';
import { planFor, run } from './plan-helpers.js';

/** Is musl's program interpreter on this machine (not on a plain Debian one, CI's included)? */
const MUSL_HERE = existsSync('/lib/ld-musl-x86_64.so.1');

const CASES: Record<PresetName, { holds: string[]; violates: [string, string[]][] }> = {
  'musl-static': {
    holds: ['elf/musl-static', 'elf/musl-static-pie', 'rust/musl-crt-static'],
    violates: [
      ['elf/musl-dynamic', ['interpreter', 'linkage', 'needed-allow']], ['rust/libcdy.so', ['linkage', 'needed-allow']],
      ['elf/musl-static-pie-broken', ['linkage', 'needed-allow']],
    ],
  },
  'static-pie': {
    holds: ['elf/musl-static-pie', 'elf/glibc-static-pie', 'rust/crt-static'],
    violates: [['elf/musl-static', ['linkage']], ['rust/crt-static-nopie', ['linkage']]],
  },
  'musl-dynamic': { holds: ['elf/musl-dynamic'], violates: [['elf/glibc-pie', ['libc']], ['elf/musl-static', ['linkage']]] },
  'msvc-crt-static': {
    holds: ['pe/msvc/x64/mt_like.dll', 'pe/msvc/arm64/mt_like.dll', 'pe/msvc/x86/resonly.dll'],
    violates: [
      ['pe/msvc/x64/md_like.dll', ['crt', 'needed-forbid', 'needed-forbid', 'needed-forbid']],
      ['pe/msvc/x64/hybrid.dll', ['crt', 'needed-forbid', 'needed-forbid']],
      ['pe/msvc/x64/debug.dll', ['crt', 'crt-debug', 'needed-forbid', 'needed-forbid']],
    ],
  },
  'msvc-crt-dynamic': {
    holds: ['pe/msvc/x64/md_like.dll', 'pe/msvc/x86/msvcp.dll'],
    violates: [['pe/msvc/x64/mt_like.dll', ['crt']], ['pe/msvc/x64/debug.dll', ['crt', 'crt-debug']]],
  },
  'rustlib-rpath': {
    holds: ['elf-tree/bin/use-runpath-rustlib', 'elf-tree/bin/use-rpath-rustlib'],
    violates: [['elf-tree/bin/use-rpath', ['search-paths']], ['rust/use-rdy', ['search-paths']], ['elf/glibc-pie', ['search-paths']]],
  },
  'distro-dynamic': {
    holds: ['elf/glibc-pie', 'elf/libfoo.so.1', 'rust/dynamic'],
    violates: [['elf-tree/bin/use-rpath', ['rpath']], ['elf/textrel-pie', ['textrel']], ['elf/glibc-static', ['linkage']]],
  },
  'portable-linux': {
    holds: ['elf/glibc-pie', 'rust/dynamic', 'elf/musl-static'],
    violates: [['rust/use-rdy', ['needed-allow']], ['elf-tree/bin/use-rpath', ['needed-allow']]],
  },
  'macos-app': {
    holds: ['macho/arm64/bin/usefoo', 'macho/x86_64/bin/hello', 'macho/universal/bin/usefoo'],
    violates: [['macho/arm64/bin/homebrew-user', ['dylibs-allow', 'dylibs-allow']], ['macho/universal/bin/mismatch', ['search-paths']]],
  },
  'homebrew-formula': {
    holds: ['macho/x86_64/bin/hello', 'macho/x86_64/lib/libreexp.dylib'], violates: [['macho/x86_64/bin/homebrew-user', ['dylibs-allow']]],
  },
  tarball: {
    // Resolved against this machine's /: a musl program starts only where musl's loader is (docs/resolve.md).
    holds: ['elf-tree/bin/use-rpath', 'elf/glibc-pie', ...(MUSL_HERE ? ['elf/musl-dynamic'] : []), 'pe/mingw/usefoo.exe', 'macho/arm64/bin/usefoo'],
    violates: [
      ...(MUSL_HERE ? [] : [['elf/musl-dynamic', ['deps-resolve']] as [string, string[]]]),
      ['rust/use-rdy', ['deps-resolve', 'deps-resolve']],
      ['macho/arm64/bin/homebrew-user', ['deps-resolve', 'deps-resolve']],
      ['pe/mingw/cxx-dyn.exe', ['deps-resolve', 'deps-resolve']],
    ],
  },
  distro: {
    holds: ['elf/glibc-pie', 'elf/libfoo.so.1', 'rust/dynamic'],
    violates: [
      ['elf-tree/bin/use-rpath', ['rpath', 'deps-provenance']],
      ['elf/textrel-pie', ['textrel']],
      ['elf/glibc-static', ['linkage']],
    ],
  },
  homebrew: { holds: ['macho/x86_64/bin/hello', 'macho/x86_64/lib/libreexp.dylib'], violates: [['macho/x86_64/bin/homebrew-user', ['dylibs-allow']]] },
  'app-bundle': {
    holds: ['macho/arm64/bin/usefoo', 'macho/x86_64/bin/hello'],
    violates: [
      ['macho/arm64/bin/homebrew-user', ['dylibs-allow', 'dylibs-allow', 'deps-resolve', 'deps-resolve']],
      ['macho/universal/bin/mismatch', ['search-paths', 'deps-resolve']],
    ],
  },
  'windows-installer': {
    holds: ['pe/msvc/x64/md_like.dll', 'pe/msvc/x64/mt_like.dll', 'pe/msvc/x64/hello.exe'],
    violates: [
      ['pe/msvc/x64/debug.dll', ['crt', 'crt-debug', 'deps-resolve']],
      ['pe/mingw/cxx-dyn.exe', ['crt', 'needed-forbid', 'needed-forbid', 'deps-resolve', 'deps-resolve']],
    ],
  },
  'windows-portable': {
    holds: [
      'pe/msvc/x64/hybrid.dll', 'pe/msvc/x64/hello.exe', 'pe/mingw/hello.exe', 'pe/mingw/hello-ucrt.exe', 'pe/mingw/cxx-static.exe',
      'rust/hello-windows-gnu.exe', 'pe/mingw/usefoo.exe',
    ],
    violates: [
      ['pe/msvc/x64/md_like.dll', ['crt', 'needed-forbid', 'deps-resolve']],
      ['pe/mingw/cxx-dyn.exe', ['needed-forbid', 'needed-forbid', 'deps-resolve', 'deps-resolve']],
      ['pe/mingw/pthread-dyn.exe', ['needed-forbid', 'deps-resolve']],
      ['pe/msvc/x64/legacy.exe', ['crt', 'needed-forbid', 'deps-resolve']],
    ],
  },
};

describe('presets', () => {
  it('every preset has cases', () => expect(Object.keys(CASES).sort()).toEqual([...PRESET_NAMES].sort()));

  for (const name of PRESET_NAMES) {
    const p = planFor(`preset = "${name}"`);
    it.each(CASES[name].holds)(`${name} holds for %s`, (s) => {
      expect(run(p, [facts(sample(s))]).findings.map((f) => `${f.rule}: ${describeFinding(f)}`)).toEqual([]);
    });
    it.each(CASES[name].violates)(`${name} is violated by %s`, (s, rules) => {
      const r = run(p, [facts(sample(s))]);
      expect(r.findings.map((f) => f.rule).sort()).toEqual([...rules].sort());
    });
  }

  it('artifact keys override the preset one by one (nested tables per sub-key)', () => {
    // musl-static's needed.allow = [] is replaced; its linkage and interpreter expectations stay.
    const p = planFor('preset = "musl-static"\nneeded.allow = ["libc.so"]');
    const r = run(p, [facts(sample('elf/musl-dynamic'))]);
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['interpreter', 'linkage']);
    // msvc-crt-static's crt is replaced; its needed.forbid stays.
    const q = planFor('preset = "msvc-crt-static"\ncrt = "msvc-dynamic"');
    expect(run(q, [facts(sample('pe/msvc/x64/md_like.dll'))]).findings.map((f) => f.rule)).toEqual(['needed-forbid', 'needed-forbid', 'needed-forbid']);
    const k = planFor('preset = "msvc-crt-static"\nneeded.allow = ["*"]');
    expect(run(k, [facts(sample('pe/msvc/x64/md_like.dll'))]).findings.map((f) => f.rule)).toContain('needed-forbid');
  });
});
