/**
 * Every rule, over fact literals and over real samples, holding and failing. Each row: the expectation (TOML lines
 * of one artifact), a binary that satisfies it and one that violates it; the violation must come from that rule.
 */
import { describe, expect, it } from 'vitest';
import type { BinaryFacts } from '../src/facts/types.js';
import { RULE_IDS } from '../src/plan/enums.js';
import { MESSAGES, describeFinding } from '../src/plan/messages.js';
import { AUDIT_RULES, PLAN_RULES, type RuleId } from '../src/plan/model.js';
import { AUDIT_RULES_BY_ID } from '../src/audit/rules/index.js';
import { RULES } from '../src/plan/rules/index.js';
import { facts, sample } from './helpers.js';
import { elfLit, machoLit, peLit, planFor, run } from './plan-helpers.js';

type Row = [rule: RuleId, toml: string, holds: BinaryFacts, violates: BinaryFacts];

const LITERALS: Row[] = [
  ['binary-type', 'type = "executable"', elfLit(), elfLit({ type: 'shared-library', pie: null })],
  ['linkage', 'linkage = ["static", "static-pie"]', elfLit({ linkage: 'static-pie', interpreter: null }), elfLit()],
  ['linkage', 'linkage = "static-pie"', elfLit({ linkage: 'static-pie' }), elfLit({ linkage: 'broken-static-pie' })],
  ['libc', 'libc = "musl"', elfLit({ libc: 'musl' }), elfLit()],
  ['pie', 'pie = true', elfLit(), elfLit({ pie: false })],
  ['pie', 'pie = false', elfLit({ type: 'shared-library', pie: null }), elfLit()],
  ['interpreter', 'interpreter = false', elfLit({ interpreter: null }), elfLit()],
  ['interpreter', 'interpreter = "/lib/ld-musl-*.so.1"', elfLit({ interpreter: '/lib/ld-musl-x86_64.so.1' }), elfLit()],
  ['interpreter', 'interpreter = "/lib64/ld-linux-*.so.2"', elfLit({ type: 'shared-library', interpreter: null }), elfLit({ interpreter: null })],
  [
    'needed-allow', 'needed.allow = ["libc.so.6", "libm.so.*"]', elfLit({ needed: ['libm.so.6', 'libc.so.6'] }),
    elfLit({ needed: ['libssl.so.3', 'libc.so.6'] }),
  ],
  ['needed-allow', 'needed.allow = []', elfLit({ needed: [] }), elfLit()],
  ['needed-allow', 'needed.allow = ["kernel32.dll"]', peLit({ needed: ['KERNEL32.dll'] }), peLit({ needed: ['KERNEL32.dll', 'VCRUNTIME140.dll'] })],
  ['needed-forbid', 'needed.forbid = ["libssl.so*"]', elfLit(), elfLit({ needed: ['libssl.so.3', 'libc.so.6'] })],
  ['needed-forbid', 'needed.forbid = ["vcruntime*.dll"]', peLit(), peLit({ needed: ['KERNEL32.dll', 'VCRUNTIME140.dll'] })],
  [
    'needed-forbid', 'needed.forbid = ["vcruntime*.dll"]', peLit(),
    peLit({ delayImports: [{ dll: 'VCRUNTIME140.dll', class: 'crt', functions: [], bound: false }] }),
  ],
  ['needed-forbid', 'needed.forbid = ["libssl*.dylib"]', machoLit(), machoLit({ needed: ['/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib'] })],
  ['rpath', 'rpath = ["$ORIGIN/../lib"]', elfLit({ rpath: ['$ORIGIN/../lib'] }), elfLit({ rpath: ['$ORIGIN/../lib', '/usr/lib'] })],
  ['rpath', 'rpath = "no-absolute"', elfLit({ rpath: ['$ORIGIN'] }), elfLit({ rpath: ['/home/ci/build/lib'] })],
  ['rpath', 'rpath = "anchored-to-origin"', elfLit({ rpath: ['${ORIGIN}/lib'] }), elfLit({ rpath: ['lib'] })],
  ['runpath', 'runpath = []', elfLit(), elfLit({ runpath: ['$ORIGIN'] })],
  [
    'search-paths', 'searchPaths = ["$ORIGIN/../lib/rustlib/*/lib"]',
    elfLit({ runpath: ['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib'] }), elfLit({ rpath: ['$ORIGIN/../lib'] }),
  ],
  ['search-paths', 'searchPaths = "anchored-to-origin"', machoLit({ rpath: ['@loader_path/../lib'] }), machoLit({ rpath: ['/usr/local/lib'] })],
  ['soname', 'soname = "libfoo.so.*"', elfLit({ soname: 'libfoo.so.1' }), elfLit({ soname: 'libfoo.so' })],
  ['soname', 'soname = false', elfLit(), elfLit({ soname: 'libfoo.so.1' })],
  // A DLL's own name (its export directory's) compares case-insensitively, as Windows compares DLL names; an ELF's does not.
  ['soname', 'soname = "MD_LIKE.DLL"', peLit({ soname: 'md_like.dll' }), peLit({ soname: 'md_like2.dll' })],
  ['soname', 'soname = "LIBFOO.SO.1"', elfLit({ soname: 'LIBFOO.SO.1' }), elfLit({ soname: 'libfoo.so.1' })],
  [
    'install-name', 'installName = "@rpath/*.dylib"', machoLit({ installName: '@rpath/libfoo.dylib' }),
    machoLit({ installName: '/Users/runner/work/libfoo.dylib' }),
  ],
  ['install-name', 'installName = false', machoLit(), machoLit({ installName: '@rpath/libfoo.dylib' })],
  ['crt', 'crt = "msvc-static"', peLit(), peLit({ crt: 'msvc-dynamic' })],
  ['crt', 'crt = ["mingw-msvcrt", "mingw-ucrt"]', peLit({ crt: 'mingw-ucrt' }), peLit({ crt: 'legacy-msvcr' })],
  ['crt-debug', 'arch = "x86_64"', peLit({ crt: 'msvc-dynamic' }), peLit({ crt: 'msvc-debug' })],
  ['delay-imports', 'delayImports = false', peLit(), peLit({ delayImports: [{ dll: 'mt_like.dll', class: 'application', functions: [], bound: false }] })],
  [
    'delay-imports', 'delayImports = ["MT_LIKE.DLL"]',
    peLit({ delayImports: [{ dll: 'mt_like.dll', class: 'application', functions: [], bound: false }] }),
    peLit({ delayImports: [{ dll: 'other.dll', class: 'application', functions: [], bound: false }] }),
  ],
  [
    'glibc-max', 'glibcMax = "2.34"', elfLit(),
    elfLit({
      elf: {
        floors: { glibc: '2.38', glibcxx: null, cxxabi: null, gcc: null }, versionNeeds: [{ file: 'libc.so.6', versions: ['GLIBC_2.38'] }],
      },
    }),
  ],
  ['glibc-max', 'glibcMax = "2.17"', elfLit({ libc: 'musl', elf: { floors: { glibc: null, glibcxx: null, cxxabi: null, gcc: null } } }), elfLit()],
  ['macos-min', 'macosMin = "11.0"', machoLit({ minOS: '10.15' }), machoLit({ minOS: '13.0' })],
  ['arch', 'arch = ["x64", "arm64"]', elfLit(), elfLit({ arch: 'i386' })],
  ['arch', 'arch = "aarch64"', machoLit(), machoLit({ arch: 'x86_64' })],
  ['relro', 'relro = "full"', elfLit({ hardening: { relro: 'full' } }), elfLit()],
  ['relro', 'relro = "partial"', elfLit(), elfLit({ hardening: { relro: 'none' } })],
  ['bind-now', 'bindNow = true', elfLit({ hardening: { bindNow: true } }), elfLit()],
  ['nx-stack', 'nxStack = true', elfLit(), elfLit({ hardening: { nxStack: false } })],
  ['nx-stack', 'nxStack = true', peLit(), peLit({ dllCharacteristics: ['DYNAMIC_BASE'] })],
  ['textrel', 'textrel = false', elfLit(), elfLit({ hardening: { textrel: true } })],
  [
    'dylibs-allow', 'dylibs.allow = ["apple-system", "relative"]', machoLit(),
    machoLit({
      dylibs: [{
        name: '/opt/homebrew/lib/libz.1.dylib', kind: 'load', cmd: 'LC_LOAD_DYLIB', class: 'homebrew', currentVersion: '1.0.0',
        compatibilityVersion: '1.0.0',
      }],
    }),
  ],
  ['libs', 'libs.openssl = "dynamic"', elfLit({ needed: ['libssl.so.3', 'libcrypto.so.3', 'libc.so.6'] }), elfLit()],
  ['libs', 'libs.openssl = "absent"', elfLit(), elfLit({ needed: ['libcrypto.so.3', 'libc.so.6'] })],
  ['libs', 'libs.zlib = "dynamic"', peLit({ needed: ['ZLIB1.DLL'] }), peLit()],
  ['libs', 'libs.openssl = "dynamic"', machoLit({ needed: ['/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib'] }), machoLit()],
];

describe('rules over fact literals', () => {
  it.each(LITERALS.map((r, i) => [i, ...r] as const))('#%i %s: %s', (_i, rule, toml, holds, violates) => {
    const p = planFor(toml);
    const good = run(p, [holds]);
    expect(good.findings, JSON.stringify(good.findings)).toEqual([]);
    const bad = run(p, [violates]);
    expect(bad.findings.map((f) => f.rule)).toContain(rule);
    for (const f of bad.findings) {
      expect(f.file).toBe(violates.path);
      expect(describeFinding(f)).toMatch(/\S/);
    }
  });

  it('every fact rule is exercised by a failing literal', () => {
    const covered = new Set(LITERALS.map((r) => r[0]));
    // Audit rules have their own tests (test/audit-rules.test.ts); the deps.* rules need a resolution, not a literal
    // (test/plan-deps.test.ts).
    const elsewhere: readonly string[] = [...PLAN_RULES, ...AUDIT_RULES, 'deps-resolve', 'deps-provenance'];
    expect(RULE_IDS.filter((id) => !covered.has(id) && !elsewhere.includes(id))).toEqual([]);
  });

  it('format-specific rules have nothing to say about other formats', () => {
    const p = planFor('crt = "msvc-static"\ndelayImports = false\ninstallName = "@rpath/x"\nmacosMin = "10.9"\ndylibs.allow = ["apple-system"]\n'
      + 'glibcMax = "2.0"\nrelro = "full"\nbindNow = true\ntextrel = false');
    const elfOnly = run(p, [elfLit({
      libc: 'musl', elf: { floors: { glibc: null, glibcxx: null, cxxabi: null, gcc: null } }, hardening: { relro: 'full', bindNow: true },
    })]);
    expect(elfOnly.findings).toEqual([]);
    const pe = run(p, [peLit()]);
    expect(pe.findings).toEqual([]);
  });

  it('PE names compare case-insensitively, ELF names do not', () => {
    const p = planFor('needed.forbid = ["libfoo*"]');
    expect(run(p, [peLit({ needed: ['LIBFOO.DLL'] })]).findings).toHaveLength(1);
    expect(run(p, [elfLit({ needed: ['LIBFOO.so'] })]).findings).toHaveLength(0);
  });

  it('a finding is data: rule, severity, file, field, expected, actual, evidence', () => {
    const r = run(planFor('linkage = "static"'), [elfLit()]);
    expect(r.findings[0]).toMatchObject({
      rule: 'linkage', severity: 'error', file: 'bin/app', artifact: 'a', field: 'linkage', expected: ['static'], actual: 'dynamic',
      evidence: [{ field: 'PT_INTERP', value: '/lib64/ld-linux-x86-64.so.2' }],
    });
    expect(JSON.parse(JSON.stringify(r.findings))).toEqual(r.findings);
  });

  it('every rule has its prose and a registered implementation', () => {
    for (const id of RULE_IDS) {
      expect(MESSAGES[id].title).toMatch(/\S/);
      expect(MESSAGES[id].docs.length).toBeGreaterThan(20);
      if ((AUDIT_RULES as readonly string[]).includes(id)) expect(AUDIT_RULES_BY_ID[id as keyof typeof AUDIT_RULES_BY_ID].id).toBe(id);
      else if (!(PLAN_RULES as readonly string[]).includes(id)) expect(RULES[id as keyof typeof RULES].id).toBe(id);
    }
  });
});

/** [rule, expectation, sample that holds, sample that violates] over the committed binaries. */
const SAMPLES: [RuleId, string, string, string][] = [
  ['binary-type', 'type = "shared-library"', 'elf/libfoo.so.1', 'elf/glibc-pie'],
  ['linkage', 'linkage = ["static", "static-pie"]', 'elf/musl-static', 'elf/musl-dynamic'],
  ['linkage', 'linkage = "static-pie"', 'rust/crt-static', 'rust/crt-static-nopie'],
  ['libc', 'libc = "musl"', 'elf/musl-dynamic', 'elf/glibc-pie'],
  ['pie', 'pie = true', 'elf/glibc-pie', 'elf/glibc-nopie'],
  ['interpreter', 'interpreter = false', 'elf/glibc-static', 'elf/glibc-pie'],
  ['interpreter', 'interpreter = "/lib/ld-musl-x86_64.so.1"', 'elf/musl-dynamic', 'elf/glibc-pie'],
  ['needed-allow', 'needed.allow = ["libc.so.6"]', 'elf/glibc-pie', 'rust/dynamic'],
  ['needed-allow', 'needed.allow = ["kernel32.dll"]', 'pe/msvc/x64/mt_like.dll', 'pe/msvc/x64/md_like.dll'],
  ['needed-forbid', 'needed.forbid = ["libgcc_s*"]', 'elf/glibc-pie', 'rust/dynamic'],
  ['needed-forbid', 'needed.forbid = ["vcruntime*.dll"]', 'pe/msvc/x64/hybrid.dll', 'pe/msvc/x64/md_like.dll'],
  ['needed-forbid', 'needed.forbid = ["mt_like.dll"]', 'pe/msvc/x64/use_md.exe', 'pe/msvc/x64/delayload.exe'],
  ['rpath', 'rpath = ["$ORIGIN/../lib"]', 'elf-tree/bin/use-rpath', 'elf-tree/bin/use-runpath'],
  ['rpath', 'rpath = "no-absolute"', 'elf-tree/bin/use-rpath', 'macho/universal/bin/mismatch'],
  ['runpath', 'runpath = ["$ORIGIN/../lib"]', 'elf-tree/bin/use-runpath', 'elf-tree/bin/use-rpath'],
  ['rpath', 'rpath = "anchored-to-origin"', 'macho/arm64/bin/usefoo', 'macho/universal/bin/mismatch'],
  ['search-paths', 'searchPaths = ["$ORIGIN/../lib/rustlib/*/lib"]', 'elf-tree/bin/use-rpath-rustlib', 'rust/use-rdy'],
  ['search-paths', 'searchPaths = "anchored-to-origin"', 'macho/x86_64/bin/usefoo', 'macho/universal/bin/mismatch'],
  ['soname', 'soname = "libfoo.so.1"', 'elf/libfoo.so.1', 'elf/libtextrel.so'],
  ['soname', 'soname = false', 'rust/libcdy.so', 'rust/librdy.so'],
  ['install-name', 'installName = "@rpath/*.dylib"', 'macho/arm64/lib/libfoo.dylib', 'macho/arm64/bin/hello'],
  ['crt', 'crt = "msvc-static"', 'pe/msvc/x64/mt_like.dll', 'pe/msvc/x64/md_like.dll'],
  ['crt', 'crt = "mingw-ucrt"', 'pe/mingw/hello-ucrt.exe', 'pe/mingw/hello.exe'],
  ['crt', 'crt = "legacy-msvcr"', 'pe/msvc/x86/legacy.exe', 'pe/msvc/x86/hello.exe'],
  ['crt-debug', 'arch = "aarch64"', 'pe/msvc/arm64/md_like.dll', 'pe/msvc/arm64/debug.dll'],
  ['delay-imports', 'delayImports = false', 'pe/msvc/x64/hello.exe', 'pe/msvc/x64/delayload.exe'],
  ['delay-imports', 'delayImports = ["msvcp*.dll"]', 'pe/msvc/x64/hello.exe', 'pe/msvc/x64/delayload.exe'],
  ['glibc-max', 'glibcMax = "2.17"', 'elf/libfoo.so.1', 'elf/glibc-pie'],
  ['macos-min', 'macosMin = "10.15"', 'macho/ppc/hello-ppc', 'macho/universal/bin/mismatch'],
  ['arch', 'arch = "arm64"', 'pe/msvc/arm64/hello.exe', 'pe/msvc/x64/hello.exe'],
  ['arch', 'arch = ["x86_64", "arm64"]', 'macho/universal/bin/usefoo', 'macho/ppc/hello-ppc'],
  ['arch', 'arch = "x86"', 'pe/mingw/hello32.exe', 'pe/mingw/hello.exe'],
  ['relro', 'relro = "full"', 'elf/bindnow-fullrelro', 'elf/glibc-pie'],
  ['relro', 'relro = "partial"', 'elf/glibc-pie', 'elf/lazy-norelro'],
  ['bind-now', 'bindNow = true', 'rust/dynamic', 'elf/lazy-norelro'],
  ['nx-stack', 'nxStack = true', 'elf/glibc-pie', 'elf/execstack-flag'],
  ['nx-stack', 'nxStack = true', 'elf/glibc-pie', 'elf/execstack-nested'],
  ['nx-stack', 'nxStack = true', 'pe/msvc/x64/hello.exe', 'pe/msvc/x64/hello-nonx.exe'],
  ['textrel', 'textrel = false', 'elf/libfoo.so.1', 'elf/libtextrel.so'],
  ['textrel', 'textrel = false', 'elf/glibc-pie', 'elf/textrel-pie'],
  ['dylibs-allow', 'dylibs.allow = ["apple-system", "relative"]', 'macho/arm64/bin/usefoo', 'macho/arm64/bin/homebrew-user'],
  ['dylibs-allow', 'dylibs.allow = ["apple-system", "homebrew", "relative"]', 'macho/x86_64/bin/hello', 'macho/x86_64/bin/homebrew-user'],
  ['libs', 'libs.openssl = "dynamic"', 'macho/x86_64/bin/homebrew-user', 'macho/x86_64/bin/hello'],
  ['libs', 'libs.winpthread = "absent"', 'pe/mingw/pthread-static.exe', 'pe/mingw/pthread-dyn.exe'],
  ['libs', 'libs."libstdc++" = "dynamic"', 'pe/mingw/cxx-dyn.exe', 'pe/mingw/cxx-static.exe'],
  ['libs', 'libs.libgcc_s = "dynamic"', 'rust/dynamic', 'rust/crt-static'],
];

describe('rules over the samples', () => {
  it.each(SAMPLES)('%s: %s (%s holds, %s violates)', (rule, toml, good, bad) => {
    const p = planFor(toml);
    const g = run(p, [facts(sample(good))]);
    expect(g.findings.map((f) => `${f.rule}: ${describeFinding(f)}`)).toEqual([]);
    const b = run(p, [facts(sample(bad))]);
    expect(b.findings.map((f) => f.rule)).toContain(rule);
  });

  it('version limits are inclusive', () => {
    expect(run(planFor('glibcMax = "2.34"'), [facts(sample('elf/glibc-pie'))]).findings).toEqual([]);
    expect(run(planFor('glibcMax = "2.33.9"'), [facts(sample('elf/glibc-pie'))]).findings.map((f) => f.rule)).toEqual(['glibc-max']);
    expect(run(planFor('macosMin = "11"'), [facts(sample('macho/x86_64/bin/hello'))]).findings).toEqual([]);
  });

  it('a universal binary is checked slice by slice', () => {
    const r = run(planFor('macosMin = "10.15"'), [facts(sample('macho/universal/bin/mismatch'))]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ rule: 'macos-min', actual: '11.0', slices: ['arm64'] });
    const same = run(planFor('dylibs.allow = ["apple-system"]'), [facts(sample('macho/universal/bin/usefoo'))]);
    // libfoo and libbar are relative in both slices: one finding each, naming both slices.
    expect(same.findings.map((f) => [f.actual, f.slices])).toEqual([['relative', ['x86_64', 'arm64']], ['relative', ['x86_64', 'arm64']]]);
  });

  it('crt-debug runs once per binary, and any matching artifact may allow the debug CRT', () => {
    const p = planFor('crt = "msvc-debug"', '[[artifact]]\nname = "all"\npath = "**"\nnxStack = true\n');
    expect(run(p, [facts(sample('pe/msvc/x64/debug.dll'))]).findings).toEqual([]);
    const q = planFor('nxStack = true', '[[artifact]]\nname = "all"\npath = "**"\narch = "x86_64"\n');
    const r = run(q, [facts(sample('pe/msvc/x64/debug.dll'))]);
    expect(r.findings.map((f) => [f.rule, f.artifact])).toEqual([['crt-debug', 'all, a']]);
    expect(describeFinding(r.findings[0])).toContain('VCRUNTIME140D.dll');
  });
});

describe('rule semantics at the edges', () => {
  it('versions compare numerically: 2.9 < 2.28, 10.9 < 10.15 < 11', () => {
    const glibc = (floor: string) => elfLit({
      elf: { floors: { glibc: floor, glibcxx: null, cxxabi: null, gcc: null }, versionNeeds: [{ file: 'libc.so.6', versions: [`GLIBC_${floor}`] }] },
    });
    expect(run(planFor('glibcMax = "2.28"'), [glibc('2.9')]).findings).toEqual([]);
    expect(run(planFor('glibcMax = "2.9"'), [glibc('2.28')]).findings.map((f) => [f.rule, f.actual])).toEqual([['glibc-max', '2.28']]);
    expect(run(planFor('glibcMax = "2.28"'), [glibc('2.28')]).findings).toEqual([]);
    expect(run(planFor('macosMin = "10.15"'), [machoLit({ minOS: '10.9' })]).findings).toEqual([]);
    expect(run(planFor('macosMin = "10.9"'), [machoLit({ minOS: '10.15' })]).findings.map((f) => f.rule)).toEqual(['macos-min']);
    expect(run(planFor('macosMin = "11"'), [machoLit({ minOS: '11.0.0' })]).findings).toEqual([]);
  });

  it('$ORIGIN and ${ORIGIN} are one token in exact search-path lists', () => {
    const origin = elfLit({ runpath: ['${ORIGIN}/../lib/rustlib/x86_64-unknown-linux-gnu/lib'] });
    expect(run(planFor('preset = "rustlib-rpath"'), [origin]).findings).toEqual([]);
    expect(run(planFor('runpath = ["${ORIGIN}/../lib"]'), [elfLit({ runpath: ['$ORIGIN/../lib'] })]).findings).toEqual([]);
    expect(run(planFor('runpath = ["$ORIGIN/../lib"]'), [elfLit({ runpath: ['$ORIGINAL/../lib'] })]).findings.map((f) => f.rule)).toEqual(['runpath']);
  });

  it('rustlib-rpath: RPATH or RUNPATH; the same list written as both (old ld --enable-new-dtags) counts once', () => {
    const p = planFor('preset = "rustlib-rpath"');
    const e = '$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib';
    expect(run(p, [elfLit({ rpath: [e] })]).findings).toEqual([]);
    expect(run(p, [elfLit({ runpath: [e] })]).findings).toEqual([]);
    expect(run(p, [elfLit({ rpath: [e], runpath: [e] })]).findings).toEqual([]);
    // Different lists: both are looked at, and the extra RPATH entry breaks "exactly".
    expect(run(p, [elfLit({ rpath: ['/home/ci/lib'], runpath: [e] })]).findings.map((f) => f.rule)).toEqual(['search-paths']);
    expect(run(p, [elfLit({ runpath: [e, '$ORIGIN/../lib'] })]).findings.map((f) => f.rule)).toEqual(['search-paths']);
    // "*" stays inside one directory: a deeper path is not the rustlib layout.
    expect(run(p, [elfLit({ runpath: ['$ORIGIN/../lib/rustlib/a/b/lib'] })]).findings.map((f) => f.rule)).toEqual(['search-paths']);
  });

  it('anchored-to-origin and no-absolute, entry by entry, per format', () => {
    const anchored = planFor('searchPaths = "anchored-to-origin"');
    const noAbs = planFor('searchPaths = "no-absolute"');
    const offending = (p: typeof anchored, f: BinaryFacts) => run(p, [f]).findings.flatMap((x) => (x.args as { offending: string[] }).offending);
    expect(offending(anchored, elfLit({ runpath: ['$ORIGIN', '${ORIGIN}/lib', '$ORIGIN/../lib'] }))).toEqual([]);
    expect(offending(anchored, elfLit({ runpath: ['$ORIGINAL/lib', 'lib', '', '/opt/x/lib', '$LIB'] })))
      .toEqual(['$ORIGINAL/lib', 'lib', '', '/opt/x/lib', '$LIB']);
    expect(offending(anchored, machoLit({ rpath: ['@loader_path/../Frameworks', '@executable_path/../lib'] }))).toEqual([]);
    // @rpath inside LC_RPATH anchors nothing; an absolute path is the build machine's.
    expect(offending(anchored, machoLit({ rpath: ['@rpath/lib', '/usr/local/lib', '$ORIGIN/lib'] }))).toEqual(['@rpath/lib', '/usr/local/lib', '$ORIGIN/lib']);
    expect(offending(noAbs, elfLit({ rpath: ['$ORIGIN/lib', 'lib', '/home/ci/lib'] }))).toEqual(['/home/ci/lib']);
    expect(offending(noAbs, machoLit({ rpath: ['@loader_path', '/opt/homebrew/lib'] }))).toEqual(['/opt/homebrew/lib']);
  });

  it.each([
    ['openssl', elfLit({ needed: ['libssl.so.3', 'libc.so.6'] })],
    ['openssl', elfLit({ needed: ['libcrypto.so.1.1'] })],
    ['openssl', peLit({ needed: ['libssl-3-x64.dll'] })],
    ['openssl', peLit({ needed: ['LIBCRYPTO-3-X64.DLL'] })],
    ['openssl', peLit({ needed: ['libeay32.dll'] })],
    ['openssl', machoLit({ needed: ['/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib'] })],
    ['openssl', machoLit({ needed: ['@rpath/libcrypto.3.dylib'] })],
    ['zlib', elfLit({ needed: ['libz.so.1'] })],
    ['zlib', peLit({ needed: ['zlib1.dll'] })],
    ['zlib', machoLit({ needed: ['/usr/lib/libz.1.dylib'] })],
    ['zlib', machoLit({ needed: ['/usr/lib/libz.dylib'] })],
    ['sqlite3', elfLit({ needed: ['libsqlite3.so.0'] })],
    ['curl', elfLit({ needed: ['libcurl-gnutls.so.4'] })],
    ['zstd', peLit({ needed: ['libzstd.dll'] })],
    ['lzma', elfLit({ needed: ['liblzma.so.5'] })],
    ['bzip2', elfLit({ needed: ['libbz2.so.1.0'] })],
    ['libgcc_s', peLit({ needed: ['libgcc_s_seh-1.dll'] })],
    ['winpthread', peLit({ needed: ['libwinpthread-1.dll'] })],
  ] as const)('libs.%s recognises %j', (lib, f) => {
    const label = JSON.stringify(f.needed);
    expect(run(planFor(`libs."${lib}" = "dynamic"`), [f]).findings, label).toEqual([]);
    expect(run(planFor(`libs."${lib}" = "absent"`), [f]).findings.map((x) => x.rule), label).toEqual(['libs']);
  });

  it('libs does not confuse neighbours: libssh2 / libsslx are not openssl, libzstd / libz-ng are not zlib', () => {
    const r = run(planFor('libs.openssl = "absent"\nlibs.zlib = "absent"'), [
      elfLit({ needed: ['libssh2.so.1', 'libsslx.so', 'libzstd.so.1', 'libz-ng.so.2'] }),
    ]);
    expect(r.findings).toEqual([]);
  });

  it('the debug CRT is forbidden for every PE binary an artifact matches, whatever it asks, unless crt lists msvc-debug', () => {
    const dbg = peLit({ crt: 'msvc-debug', needed: ['VCRUNTIME140D.dll', 'ucrtbased.dll'] });
    expect(run(planFor('type = "shared-library"'), [dbg]).findings.map((f) => f.rule)).toEqual(['crt-debug']);
    expect(run(planFor('crt = ["msvc-dynamic", "msvc-debug"]'), [dbg]).findings).toEqual([]);
    expect(run(planFor('crt = "msvc-dynamic"\nseverity.crt-debug = "off"'), [dbg]).findings.map((f) => f.rule)).toEqual(['crt']);
  });

  it('delay imports count as needed (case-insensitively) and are checked on their own', () => {
    const d = peLit({ delayImports: [{ dll: 'VCRUNTIME140.dll', class: 'crt', functions: [], bound: false }] });
    expect(run(planFor('needed.allow = ["kernel32.dll"]'), [d]).findings.map((f) => f.actual)).toEqual([['VCRUNTIME140.dll']]);
    expect(run(planFor('delayImports = ["vcruntime*.DLL"]'), [d]).findings).toEqual([]);
    expect(run(planFor('delayImports = false'), [d]).findings.map((f) => f.actual)).toEqual(['VCRUNTIME140.dll']);
  });

  it('a broken static-PIE sample holds no linkage expectation and fails the musl-static preset', () => {
    const f = facts(sample('elf/musl-static-pie-broken'));
    for (const l of ['static', 'static-pie', 'dynamic']) expect(run(planFor(`linkage = "${l}"`), [f]).findings.map((x) => x.rule)).toEqual(['linkage']);
    const r = run(planFor('preset = "musl-static"'), [f]);
    expect(r.findings.map((x) => x.rule).sort()).toEqual(['linkage', 'needed-allow']);
    expect(describeFinding(r.findings.find((x) => x.rule === 'linkage')!)).toMatch(/broken static-PIE/);
  });
});

describe('finding sentences read as English', () => {
  it('no RELRO, does not link a library, an arm64 / an x86_64 / a ppc64 slice', async () => {
    const { describeChange } = await import('../src/plan/messages.js');
    const f = (rule: string, args: Record<string, unknown>) => describeFinding({ rule, args } as never);
    expect(f('relro', { actual: 'none', expected: 'full' })).toBe('has no RELRO, expected full');
    expect(f('relro', { actual: 'partial', expected: 'full' })).toBe('has partial RELRO, expected full');
    expect(f('libs', { lib: 'openssl', expected: 'dynamic', actual: 'absent', version: null, patterns: ['libssl.so*'], matched: [] }))
      .toBe('does not link openssl: it is absent (the full symbol table and read-only data show no trace), expected it linked dynamically '
        + '(a needed library matching libssl.so*)');
    expect(describeChange({ kind: 'slice-added', args: { arch: 'arm64' } } as never)).toBe('has an arm64 slice now');
    expect(describeChange({ kind: 'slice-added', args: { arch: 'x86_64' } } as never)).toBe('has an x86_64 slice now');
    expect(describeChange({ kind: 'slice-removed', args: { arch: 'ppc64' } } as never)).toBe('no longer has a ppc64 slice');
  });
});
