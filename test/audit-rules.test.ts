/**
 * The audit rules (src/audit/): each over fact literals, tripping and holding, and each proved on a real committed
 * sample that trips it and one that does not. Where no committed sample trips a rule (build-path and
 * unanchored-search-path on ELF, homebrew-path on ELF, pdb-path), the input is built at test time: crafted by
 * test/hostile-strings.ts, or a committed sample patched in memory; each such case says so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_RULE_LIST, auditBinary, type AuditContext } from '../src/audit/index.js';
import { AUDIT_RULES_BY_ID } from '../src/audit/rules/index.js';
import { MemorySource } from '../src/bytes/source.js';
import type { BinaryFacts, MachoFacts, PeFacts } from '../src/facts/types.js';
import type { PeImport } from '../src/facts/pe.js';
import { inspectSource } from '../src/inspect.js';
import { RULE_IDS } from '../src/plan/enums.js';
import { describeFinding, MESSAGES } from '../src/plan/messages.js';
import { AUDIT_RULES, type AuditRuleId, type Finding, type Level } from '../src/plan/model.js';
import { RULES } from '../src/plan/rules/index.js';
import { parsePlan } from '../src/plan/load.js';
import { renderVerifySarif } from '../src/report/sarif.js';
import { facts, sample } from './helpers.js';
import { elfWithNames, machoWithNames } from './hostile-strings.js';
import { elfLit, machoLit, peLit, plan, planFor, run } from './plan-helpers.js';

const NONE: AuditContext = { shipped: new Set() };
const ctx = (shipped: string[] = [], glibcMax?: string): AuditContext => ({ shipped: new Set(shipped), ...(glibcMax ? { glibcMax } : {}) });
const of = <Id extends AuditRuleId>(rule: Id, f: BinaryFacts, c: AuditContext = NONE) =>
  auditBinary(f, c).filter((x): x is Finding<Id> => x.rule === rule);
const imp = (dll: string, cls: PeImport['class']): PeImport => ({ dll, class: cls, functions: [], bound: false });
const dylib = (name: string, cls: MachoFacts['dylibs'][number]['class'], kind: MachoFacts['dylibs'][number]['kind'] = 'load') =>
  ({ name, kind, cmd: kind === 'weak' ? 'LC_LOAD_WEAK_DYLIB' : 'LC_LOAD_DYLIB', class: cls, currentVersion: '1.0.0', compatibilityVersion: '1.0.0' });
/** A PE literal whose CodeView record names this PDB. */
const pdbLit = (path: string) => peLit({ pe: { crtDlls: [], pdb: { path, id: '{x}', age: 1, signature: 'RSDS' } } as unknown as PeFacts['pe'] });

/** Facts of bytes built at test time (not committed). */
const inMemory = (bytes: Uint8Array, path: string): BinaryFacts => {
  const r = inspectSource(new MemorySource(bytes), path);
  if (r.error !== null) throw new Error(`${path}: ${r.error.message}`);
  return r as BinaryFacts;
};

type Row = [rule: AuditRuleId, holds: BinaryFacts, trips: BinaryFacts, c?: AuditContext];

const allocLibs = (definesAllocator: string[]): NonNullable<BinaryFacts['libs']> =>
  ({ symbolView: 'full', scanned: 0, truncated: false, libraries: [], definesAllocator });
const LITERALS: Row[] = [
  ['build-path', elfLit({ runpath: ['$ORIGIN/../lib', '/usr/lib/x86_64-linux-gnu'] }), elfLit({ runpath: ['/home/ci/src/target/release'] })],
  ['build-path', elfLit({ rpath: ['/opt/app/lib'] }), elfLit({ rpath: ['/__w/proj/proj/build/lib'] })],
  ['build-path', elfLit(), elfLit({ needed: ['/tmp/build-1234/libfoo.so', 'libc.so.6'] })],
  // Judged where it leads: a `..` out of /usr/lib into the runner's work tree.
  ['build-path', elfLit({ runpath: ['/usr/lib/./x86_64-linux-gnu'] }), elfLit({ runpath: ['/usr/lib/../../home/runner/work/lib'] })],
  ['build-path', machoLit({ installName: '@rpath/libfoo.dylib' }), machoLit({ installName: '/Users/runner/work/p/p/target/release/libfoo.dylib' })],
  ['build-path', machoLit({ rpaths: ['@loader_path/../lib'] }), machoLit({ rpaths: ['/private/var/folders/xy/T/build/lib'] })],
  ['build-path', machoLit({ dylibs: [dylib('/opt/homebrew/lib/libz.1.dylib', 'homebrew')] }),
    machoLit({ dylibs: [dylib('/builds/group/proj/libfoo.dylib', 'absolute-other')] })],
  ['unanchored-search-path', elfLit({ rpath: ['$ORIGIN', '${ORIGIN}/lib', '/usr/lib'] }), elfLit({ rpath: ['lib'] })],
  ['unanchored-search-path', elfLit({ runpath: ['$ORIGIN/../lib'] }), elfLit({ runpath: ['$ORIGIN/../lib', ''] })],
  ['unanchored-search-path', elfLit({ runpath: ['$ORIGIN/../$LIB'] }), elfLit({ runpath: ['$LIB/app'] })],
  ['unanchored-search-path', machoLit({ rpaths: ['@executable_path/../Frameworks', '/usr/local/lib'] }), machoLit({ rpaths: ['../lib'] })],
  ['unshipped-dependency', elfLit({ needed: ['libm.so.6', 'libc.so.6', 'libstdc++.so.6', 'libgcc_s.so.1', 'ld-linux-x86-64.so.2'] }),
    elfLit({ needed: ['libssl.so.3', 'libc.so.6'] })],
  ['unshipped-dependency', elfLit({ needed: ['libfoo.so.1', 'libc.so.6'] }), elfLit({ needed: ['libfoo.so.1', 'libc.so.6'] }), ctx(['libfoo.so.1'])],
  ['unshipped-dependency', elfLit({ libc: 'musl', needed: ['libc.so'] }), elfLit({ libc: 'musl', needed: ['libstdc++.so.6', 'libc.so'] })],
  ['unshipped-dependency', elfLit({ libc: 'bionic', needed: ['liblog.so', 'libc.so'] }), elfLit({ libc: 'bionic', needed: ['libc++_shared.so', 'libc.so'] })],
  ['unshipped-dependency', peLit({ imports: [imp('KERNEL32.dll', 'system'), imp('VCRUNTIME140.dll', 'crt'), imp('FOO.DLL', 'application')] }),
    peLit({ imports: [imp('foo.dll', 'application')] }), ctx(['foo.dll'])],
  ['unshipped-dependency', machoLit({ dylibs: [dylib('@rpath/libfoo.dylib', 'relative')] }), machoLit({ dylibs: [dylib('@rpath/libfoo.dylib', 'relative')] }),
    ctx(['libfoo.dylib'])],
  ['unshipped-dependency', machoLit(), machoLit({ dylibs: [dylib('/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib', 'homebrew')] })],
  ['debug-crt', peLit({ crt: 'msvc-dynamic' }), peLit({ crt: 'msvc-debug', imports: [imp('VCRUNTIME140D.dll', 'crt')] })],
  ['debug-crt', peLit({ crt: 'msvc-dynamic', imports: [imp('VCRUNTIME140.dll', 'crt')] }),
    peLit({ crt: 'msvc-dynamic', delayImports: [imp('ucrtbased.dll', 'crt')] })],
  ['homebrew-path', machoLit(), machoLit({ dylibs: [dylib('/usr/local/Cellar/zstd/1.5.5/lib/libzstd.1.dylib', 'homebrew')] })],
  ['homebrew-path', machoLit({ rpaths: ['@loader_path'] }), machoLit({ rpaths: ['/opt/homebrew/lib'] })],
  ['homebrew-path', elfLit(), elfLit({ runpath: ['/home/linuxbrew/.linuxbrew/lib'] })],
  ['pdb-path', pdbLit('app.pdb'), pdbLit('C:\\Users\\dev\\src\\app\\target\\release\\deps\\app.pdb')],
  ['pdb-path', peLit(), pdbLit('E:\\out\\app.pdb')],
  ['pdb-path', pdbLit('obj\\app.pdb'), pdbLit('/home/dev/proj/app.pdb')],
  ['text-relocations', elfLit(), elfLit({ hardening: { textrel: true }, elf: { dynamicTags: ['DT_TEXTREL'], flags: ['TEXTREL'] } })],
  ['exec-stack', elfLit(), elfLit({ hardening: { nxStack: false }, elf: { gnuStack: 'RWX' } })],
  ['unprefixed-allocator', elfLit({ libs: allocLibs([]) }), elfLit({ libs: allocLibs(['malloc', 'free', 'calloc', 'realloc']) })],
  ['unprefixed-allocator', elfLit({ libc: 'musl', linkage: 'static', libs: allocLibs(['malloc', 'free']) }),
    elfLit({ libc: 'musl', libs: allocLibs(['malloc', 'free']) })],
  ['exec-stack', elfLit(), elfLit({ hardening: { nxStack: false }, elf: { gnuStack: null } })],
  ['exec-stack', machoLit(), machoLit({ macho: { flags: ['MH_PIE', 'MH_ALLOW_STACK_EXECUTION'], archName: 'arm64' } as never })],
  ['slices-disagree', machoLit({ warnings: [{ code: 'macho.slice-malformed', detail: 'x' }] }),
    machoLit({ warnings: [{ code: 'macho.slices-differ', detail: 'slices differ in minOS: x86_64 10.15, arm64 11.0' }] })],
  ['glibc-floor', elfLit(), elfLit(), ctx([], '2.17')],
];

describe('audit rules over fact literals', () => {
  it.each(LITERALS.map((r, i) => [i, ...r] as const))('#%i %s', (_i, rule, holds, trips, c) => {
    const use = c ?? NONE;
    const good = rule === 'glibc-floor' ? auditBinary(holds, ctx([], '2.34')) : auditBinary(holds, use);
    expect(good.filter((f) => f.rule === rule), JSON.stringify(good)).toEqual([]);
    const bad = auditBinary(trips, rule === 'unshipped-dependency' && c ? NONE : use).filter((f) => f.rule === rule);
    expect(bad.length, JSON.stringify(bad)).toBeGreaterThan(0);
    for (const f of bad) {
      expect(f).toMatchObject({ rule, file: trips.path, artifact: null, severity: AUDIT_RULES_BY_ID[rule].severity });
      expect(JSON.parse(JSON.stringify(f))).toEqual(f);
    }
  });

  it('every audit rule is exercised by a tripping literal', () => {
    expect(AUDIT_RULES.filter((id) => !LITERALS.some((r) => r[0] === id))).toEqual([]);
  });

  it('unanchored-search-path: the empty entry (the current directory) is reported, absolute ones are not', () => {
    const r = of('unanchored-search-path', elfLit({ runpath: ['', '/usr/lib', '$ORIGINX/lib', 'lib'] }));
    expect(r.map((f) => f.args)).toEqual([
      { field: 'DT_RUNPATH', entry: '' }, { field: 'DT_RUNPATH', entry: '$ORIGINX/lib' }, { field: 'DT_RUNPATH', entry: 'lib' },
    ]);
    expect(describeFinding(r[0])).toContain('the current directory');
    expect(r[0].expected).toEqual(['$ORIGIN', '${ORIGIN}']);
  });

  it('unanchored-search-path: a library named by a path relative to the working directory (DT_NEEDED, Mach-O dylib)', () => {
    const e = of('unanchored-search-path', elfLit({ needed: ['sub/libssl.so.3', 'libc.so.6', '/opt/x/libx.so', '$ORIGIN/libo.so'] }));
    expect(e.map((f) => [f.args, f.expected])).toEqual([[{ field: 'DT_NEEDED', entry: 'sub/libssl.so.3' }, ['$ORIGIN', '${ORIGIN}']]]);
    expect(describeFinding(e[0])).toBe(
      'has DT_NEEDED entry "sub/libssl.so.3", relative to the working directory rather than to the binary: a library planted there gets loaded');
    const names = ['@rpathx/libfoo.dylib', '@rpath/libok.dylib', '@loader_path/../lib/libl.dylib', 'libbare.dylib'];
    const m = of('unanchored-search-path', machoLit({ dylibs: names.map((n) => dylib(n, 'relative')) }));
    expect(m.map((f) => f.args)).toEqual([{ field: 'LC_LOAD_DYLIB', entry: '@rpathx/libfoo.dylib' }, { field: 'LC_LOAD_DYLIB', entry: 'libbare.dylib' }]);
    expect(m[0].expected).toEqual(['@rpath', '@loader_path', '@executable_path']);
  });

  it('build-path: Windows drive prefixes compare case-insensitively, with either separator; labels say which machine', () => {
    const pdb = pdbLit;
    expect(of('pdb-path', pdb('c:/users/dev/app.pdb'))[0].args).toMatchObject({ source: 'windows-home', absolute: true });
    expect(of('pdb-path', pdb('d:\\A\\proj\\target\\app.pdb'))[0].args).toMatchObject({ source: 'github-actions', prefix: 'D:\\a\\' });
    expect(of('pdb-path', pdb('/home/runner/work/p/app.pdb'))[0].args).toMatchObject({ source: 'github-actions', prefix: '/home/runner/work/' });
    const b = of('build-path', elfLit({ rpath: ['/home/dev/lib', '/Users/runner/work/x'] }));
    expect(b.map((f) => f.args.source)).toEqual(['home', 'github-actions']);
    // POSIX prefixes are case-sensitive: /HOME/ is not a home directory.
    expect(of('build-path', elfLit({ rpath: ['/HOME/x'] }))).toEqual([]);
  });

  it('exec-stack: only files the loader maps (an object file or a debug file has no PT_GNU_STACK to get right)', () => {
    for (const type of ['relocatable', 'core', 'debug-info'] as const) {
      expect(of('exec-stack', elfLit({ type, pie: null, hardening: { nxStack: false }, elf: { gnuStack: null } }))).toEqual([]);
    }
    expect(of('exec-stack', elfLit({ type: 'shared-library', pie: null, hardening: { nxStack: false }, elf: { gnuStack: 'RWX' } }))).toHaveLength(1);
  });

  it('homebrew paths are homebrew-path findings, not build-path ones too', () => {
    const f = elfLit({ runpath: ['/home/linuxbrew/.linuxbrew/lib'] });
    expect(auditBinary(f, NONE).map((x) => x.rule)).toEqual(['homebrew-path']);
  });

  it('unshipped-dependency: data says what and where it looked; PE compares case-insensitively; delay loads warn', () => {
    const elf = of('unshipped-dependency', elfLit({ needed: ['libssl.so.3', 'libc.so.6'] }))[0];
    expect(elf).toMatchObject({ severity: 'error', field: 'DT_NEEDED', actual: 'libssl.so.3',
      args: { name: 'libssl.so.3', loaded: 'start', lookedIn: ['shipped', 'glibc'] } });
    expect(describeFinding(elf)).toBe("needs libssl.so.3, which is neither among the files shipped with it nor among glibc's own libraries");
    const unknownLibc = of('unshipped-dependency', elfLit({ libc: 'unknown', needed: ['liblog.so', 'libfoo.so'] }));
    expect(unknownLibc.map((f) => [f.actual, f.args.lookedIn])).toEqual([['libfoo.so', ['shipped', 'elf']]]);
    const pe = peLit({ imports: [imp('Foo.DLL', 'application'), imp('foo.dll', 'application')], delayImports: [imp('late.dll', 'application')] });
    expect(of('unshipped-dependency', pe, ctx(['FOO.dll', 'late.dll']))).toEqual([]);
    const r = of('unshipped-dependency', pe);
    expect(r.map((f) => [f.field, f.actual, f.severity, f.args.loaded])).toEqual([['import', 'Foo.DLL', 'error', 'start'],
      ['delay-import', 'late.dll', 'warning', 'delayed']]);
    expect(describeFinding(r[1])).toBe('delay-loads late.dll, which is neither among the files shipped with it nor among Windows system and C runtime DLLs');
    const m = of('unshipped-dependency', machoLit({ dylibs: [dylib('@rpath/libbar.dylib', 'relative', 'weak')] }))[0];
    expect(m).toMatchObject({ severity: 'warning', args: { loaded: 'weak', lookedIn: ['shipped'] } });
    expect(describeFinding(m)).toBe('weakly links @rpath/libbar.dylib, which is not among the files shipped with it');
    // ELF compares case-sensitively, as its loader does.
    expect(of('unshipped-dependency', elfLit({ needed: ['LibFoo.so.1'] }), ctx(['libfoo.so.1']))).toHaveLength(1);
  });

  it('glibc-floor runs only when --glibc-max is given, with the plan rule glibc-max\'s comparison', () => {
    expect(of('glibc-floor', elfLit())).toEqual([]);
    expect(of('glibc-floor', elfLit(), ctx([], '2.34'))).toEqual([]);
    expect(of('glibc-floor', elfLit(), ctx([], '2.34.0'))).toEqual([]);
    const r = of('glibc-floor', elfLit(), ctx([], '2.9'));
    expect(r[0]).toMatchObject({ field: 'vna_name', expected: '<= 2.9', actual: '2.34', args: { max: '2.9', actual: '2.34' } });
    expect(r[0].evidence).toEqual(RULES['glibc-max'].check(elfLit(), '2.9')[0].evidence);
  });

  it('level: off skips a rule, warn/error override the default, strict promotes warnings', () => {
    const f = elfLit({ hardening: { textrel: true }, runpath: ['/home/x'] });
    const ids = (xs: Finding[]) => xs.map((x) => `${x.rule}:${x.severity}`).sort();
    expect(ids(auditBinary(f, NONE))).toEqual(['build-path:error', 'text-relocations:warning']);
    const level = (id: AuditRuleId, d: Level): Level => (id === 'build-path' ? 'off' : id === 'text-relocations' ? 'error' : d);
    expect(ids(auditBinary(f, NONE, { level }))).toEqual(['text-relocations:error']);
    expect(ids(auditBinary(f, NONE, { strict: true }))).toEqual(['build-path:error', 'text-relocations:error']);
    // A plan-set level wins over a finding's own default (a delay load is a warning only by default).
    const pe = peLit({ delayImports: [imp('late.dll', 'application')] });
    expect(ids(auditBinary(pe, NONE))).toEqual(['unshipped-dependency:warning']);
    expect(ids(auditBinary(pe, NONE, { level: () => 'error' }))).toEqual(['unshipped-dependency:error']);
    // The default level handed to `level` is the finding's own default.
    const seen: [string, Level][] = [];
    auditBinary(pe, NONE, { level: (id, d) => (seen.push([id, d]), d) });
    expect(seen.filter(([id]) => id === 'unshipped-dependency')).toEqual([['unshipped-dependency', 'error'], ['unshipped-dependency', 'warn']]);
  });

  it('formats: a rule is not run for formats it has nothing to say about', () => {
    const seen = new Set<string>();
    auditBinary(peLit(), NONE, { level: (id, d) => (seen.add(id), d) });
    expect([...seen].sort()).toEqual(AUDIT_RULE_LIST.filter((r) => !r.formats || r.formats.includes('pe')).map((r) => r.id).sort());
    expect(seen.has('text-relocations')).toBe(false);
  });

  it('expected holds codes and data, never prose', () => {
    for (const [, , trips, c] of LITERALS) {
      for (const f of auditBinary(trips, c ?? ctx([], '2.17'))) {
        for (const e of [f.expected].flat()) if (typeof e === 'string') expect(e, f.rule).toMatch(/^(<= )?[\w$@{}.-]+$/);
      }
    }
  });
});

describe('audit rules over committed samples', () => {
  const S = (p: string) => facts(sample(p));
  /** [rule, sample that trips it, sample that does not, context]. */
  const ROWS: [AuditRuleId, string, string, AuditContext?][] = [
    ['build-path', 'macho/x86_64/bin/homebrew-user', 'macho/x86_64/bin/usefoo'],
    ['build-path', 'macho/arm64/bin/homebrew-user', 'elf-tree/bin/use-rpath'],
    ['unshipped-dependency', 'elf-tree/bin/use-rpath', 'elf-tree/bin/use-rpath', ctx(['use-rpath', 'libfoo.so.1', 'libfoo.so'])],
    ['unshipped-dependency', 'pe/mingw/usefoo.exe', 'pe/mingw/usefoo.exe', ctx(['usefoo.exe', 'FOO.DLL'])],
    ['unshipped-dependency', 'macho/x86_64/bin/usefoo', 'macho/x86_64/bin/usefoo', ctx(['libfoo.dylib', 'libbar.dylib'])],
    ['unshipped-dependency', 'macho/arm64/bin/homebrew-user', 'macho/arm64/bin/hello'],
    ['unshipped-dependency', 'pe/msvc/x64/delayload.exe', 'pe/msvc/x64/md_like.dll'],
    ['debug-crt', 'pe/msvc/x64/debug.dll', 'pe/msvc/x64/md_like.dll'],
    ['debug-crt', 'pe/msvc/arm64/debug.dll', 'pe/mingw/hello.exe'],
    ['homebrew-path', 'macho/arm64/bin/homebrew-user', 'macho/arm64/bin/usefoo'],
    ['text-relocations', 'elf/textrel-pie', 'elf/glibc-pie'],
    ['text-relocations', 'elf/libtextrel.so', 'elf/libfoo.so.1'],
    ['exec-stack', 'elf/execstack-flag', 'elf/glibc-pie'],
    ['exec-stack', 'elf/execstack-nested', 'elf/bindnow-fullrelro'],
    ['slices-disagree', 'macho/universal/bin/mismatch', 'macho/universal/bin/usefoo'],
    ['glibc-floor', 'elf/glibc-pie', 'elf/musl-dynamic', ctx([], '2.17')],
  ];

  it.each(ROWS)('%s: %s trips it, %s does not', (rule, tripsPath, holdsPath, c) => {
    const trips = of(rule, S(tripsPath), rule === 'unshipped-dependency' ? NONE : c ?? NONE);
    expect(trips.length).toBeGreaterThan(0);
    for (const f of trips) expect(describeFinding(f)).not.toMatch(/undefined|\[object|NaN/);
    expect(of(rule, S(holdsPath), c ?? NONE)).toEqual([]);
  });

  it('build-path on the Mach-O sample names the GitHub Actions runner path', () => {
    const r = of('build-path', S('macho/x86_64/bin/homebrew-user'));
    expect(r.map((f) => [f.field, f.actual, f.args.source])).toEqual([['LC_LOAD_DYLIB', '/Users/runner/work/proj/target/release/libfoo.dylib',
      'github-actions']]);
  });

  it('unshipped-dependency on samples: where it looked, and delay loads and weak dylibs as warnings', () => {
    const elf = of('unshipped-dependency', S('elf-tree/bin/use-rpath'));
    expect(elf.map((f) => [f.actual, f.severity, f.args.lookedIn])).toEqual([['libfoo.so.1', 'error', ['shipped', 'glibc']]]);
    const delay = of('unshipped-dependency', S('pe/msvc/x64/delayload.exe'));
    expect(delay.map((f) => [f.field, f.actual, f.severity])).toEqual([['delay-import', 'mt_like.dll', 'warning']]);
    const hb = of('unshipped-dependency', S('macho/arm64/bin/homebrew-user'));
    expect(hb.map((f) => [f.actual, f.args.lookedIn])).toEqual([
      ['/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib', ['shipped', 'macos']],
      ['/Users/runner/work/proj/target/release/libfoo.dylib', ['shipped', 'macos']],
    ]);
    const uf = of('unshipped-dependency', S('macho/x86_64/bin/usefoo'));
    expect(uf.map((f) => [f.actual, f.severity])).toEqual([['@rpath/libfoo.dylib', 'error'], ['@rpath/libbar.dylib', 'warning']]);
  });

  it('universal Mach-O: each slice is checked, identical findings merge with the slices they hold for', () => {
    const r = of('unshipped-dependency', S('macho/universal/bin/usefoo'));
    expect(r.map((f) => [f.actual, f.slices])).toEqual([['@rpath/libfoo.dylib', ['x86_64', 'arm64']], ['@rpath/libbar.dylib', ['x86_64', 'arm64']]]);
    const d = of('slices-disagree', S('macho/universal/bin/mismatch'));
    expect(d.map((f) => f.args.what).sort()).toEqual(['minOS', 'rpaths']);
    for (const f of d) {
      expect(f.slices).toBeUndefined();
      expect(describeFinding(f)).toMatch(/^its slices differ in (minOS|rpaths): /);
    }
  });

  it('glibc-floor on a sample: glibc-pie above 2.17 trips, below its floor holds', () => {
    const f = S('elf/glibc-pie');
    const floor = (f as Extract<BinaryFacts, { format: 'elf' }>).elf.floors.glibc!;
    expect(of('glibc-floor', f, ctx([], floor))).toEqual([]);
    expect(of('glibc-floor', f, ctx([], '2.17'))[0].args).toEqual({ max: '2.17', actual: floor });
  });

  it('pdb-path: the committed hello-pdb.exe (file name only) holds; patched in memory to absolute paths it trips', () => {
    // No committed sample has an absolute PDB path (the build uses /pdbaltpath:hello.pdb); patch the 9-byte name to
    // same-length absolute ones, which keeps the CodeView record's size intact.
    const bytes = readFileSync(sample('pe/msvc/x64/hello-pdb.exe'));
    expect(of('pdb-path', S('pe/msvc/x64/hello-pdb.exe'))).toEqual([]);
    const at = bytes.indexOf('hello.pdb\0');
    expect(at).toBeGreaterThan(0);
    const patched = (name: string) => {
      const b = Uint8Array.from(bytes);
      b.set(new TextEncoder().encode(name), at);
      return inMemory(b, 'hello-pdb.exe');
    };
    expect(of('pdb-path', patched('D:\\a\\h.pd'))[0]).toMatchObject({ severity: 'warning', actual: 'D:\\a\\h.pd',
      args: { absolute: true, source: 'github-actions' } });
    expect(of('pdb-path', patched('/tmp/h.pd'))[0].args).toEqual({ path: '/tmp/h.pd', absolute: true, prefix: '/tmp/', source: 'temp' });
    expect(of('pdb-path', patched('E:\\x\\h.pd'))[0].args).toEqual({ path: 'E:\\x\\h.pd', absolute: true, prefix: null, source: null });
    expect(of('pdb-path', patched('rel\\h.pdb'))).toEqual([]);
  });

  it('build-path, unanchored-search-path and homebrew-path on ELF: crafted at test time (no committed sample trips them)', () => {
    const elf = inMemory(elfWithNames(['libfoo.so.1', 'libc.so.6'], ['/home/ci/build/lib', 'lib', '', '/home/linuxbrew/.linuxbrew/lib', '$ORIGIN/../lib']),
      'crafted-elf');
    // The crafted file has no PT_GNU_STACK, so exec-stack trips too; that is not what this test is about.
    const rules = auditBinary(elf, ctx(['libfoo.so.1'])).filter((f) => f.rule !== 'exec-stack');
    expect(rules.map((f) => [f.rule, f.actual])).toEqual([
      ['build-path', '/home/ci/build/lib'],
      ['unanchored-search-path', 'lib'],
      ['unanchored-search-path', ''],
      ['homebrew-path', '/home/linuxbrew/.linuxbrew/lib'],
    ]);
    const clean = inMemory(elfWithNames(['libc.so.6'], ['$ORIGIN/../lib']), 'crafted-clean');
    expect(auditBinary(clean, NONE).map((f) => f.rule)).toEqual(['exec-stack']);
  });

  it('unanchored-search-path on Mach-O: crafted at test time (committed LC_RPATHs are anchored or absolute)', () => {
    const m = inMemory(machoWithNames(['@rpath/libfoo.dylib'], ['@loader_path/../lib', 'lib', '/private/var/folders/ab/T/x']), 'crafted-macho');
    expect(auditBinary(m, ctx(['libfoo.dylib'])).map((f) => [f.rule, f.actual])).toEqual([
      ['build-path', '/private/var/folders/ab/T/x'],
      ['unanchored-search-path', 'lib'],
    ]);
    expect(of('unanchored-search-path', S('macho/universal/bin/mismatch'))).toEqual([]);
  });
});

describe('a plan\'s [severity] table and the audit rules', () => {
  it('accepts every audit rule id, at the top and per artifact', () => {
    const p = plan(`[severity]\n${AUDIT_RULES.map((id) => `${id} = "warn"`).join('\n')}\n[[artifact]]\npath = "**"\nseverity.build-path = "off"\n`);
    for (const id of AUDIT_RULES) expect(p.severity[id]).toBe('warn');
    expect(p.artifacts[0].severity['build-path']).toBe('off');
    const bad = parsePlan('[severity]\nbuild-paths = "off"\n[[artifact]]\npath = "**"\n', 'linkplan.toml');
    expect('error' in bad).toBe(true);
  });

  it('switches an audit rule off, or to warn, through `level`', () => {
    const p = plan('[severity]\nbuild-path = "off"\nunshipped-dependency = "warn"\n[[artifact]]\npath = "**"\n');
    const level = (id: AuditRuleId, d: Level): Level => p.severity[id] ?? d;
    const f = elfLit({ needed: ['libssl.so.3', 'libc.so.6'], runpath: ['/home/ci/lib'], hardening: { textrel: true } });
    expect(auditBinary(f, NONE).map((x) => `${x.rule}:${x.severity}`)).toEqual(['build-path:error', 'unshipped-dependency:error', 'text-relocations:warning']);
    expect(auditBinary(f, NONE, { level }).map((x) => `${x.rule}:${x.severity}`)).toEqual(['unshipped-dependency:warning', 'text-relocations:warning']);
  });

  it('audit ids in a plan do not disturb verify: no audit rule runs there', () => {
    const r = run(planFor('', '[severity]\nbuild-path = "error"\ntext-relocations = "error"\n'),
      [elfLit({ runpath: ['/home/x'], hardening: { textrel: true } })]);
    expect(r.findings).toEqual([]);
    expect(r.checks.some((c) => (AUDIT_RULES as readonly string[]).includes(c.rule))).toBe(false);
  });
});

describe('audit messages and reports', () => {
  it('every audit id has its prose, a registered rule and a RULE_IDS entry', () => {
    expect(AUDIT_RULE_LIST.map((r) => r.id)).toEqual([...AUDIT_RULES]);
    for (const id of AUDIT_RULES) {
      expect(RULE_IDS).toContain(id);
      expect(MESSAGES[id].title).toMatch(/\S/);
      expect(MESSAGES[id].docs.length).toBeGreaterThan(80);
      // Each rule's docs justify its default severity.
      expect(MESSAGES[id].docs).toMatch(AUDIT_RULES_BY_ID[id].severity === 'error' ? /An error/ : /A warning/);
    }
  });

  it('describe() gives a sane sentence for every tripping literal', () => {
    const seen = new Set<string>();
    for (const [, , trips, c] of LITERALS) {
      for (const f of auditBinary(trips, c ?? ctx([], '2.17'))) {
        const s = describeFinding(f);
        seen.add(f.rule);
        expect(s, f.rule).toMatch(/^[a-z]/);
        expect(s, f.rule).not.toMatch(/undefined|null|\[object|NaN|  /);
        if (typeof f.actual === 'string' && f.actual && f.rule !== 'slices-disagree' && f.rule !== 'debug-crt') expect(s).toContain(f.actual);
      }
    }
    expect([...seen].sort()).toEqual([...AUDIT_RULES].sort());
  });

  it('SARIF describes the audit rules with their own default levels', () => {
    const s = JSON.parse(renderVerifySarif(run(planFor('arch = "x86_64"'), [elfLit()]), '0.0.0'));
    const rules = s.runs[0].tool.driver.rules as { id: string; defaultConfiguration: { level: string } }[];
    for (const id of AUDIT_RULES) expect(rules.find((r) => r.id === id)?.defaultConfiguration.level, id).toBe(AUDIT_RULES_BY_ID[id].severity);
    expect(rules.find((r) => r.id === 'crt-debug')?.defaultConfiguration.level).toBe('error');
  });
});
