/**
 * linkplan diff in the core: pairing, every change kind with its severity (from sample pairs where samples have
 * the difference, from fact literals where none does), the gate, the JSON Schema, and the Markdown, table and
 * annotation renderers against hostile strings. Sample pairs are the committed samples read at test time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compareFacts, diffOutcome, diffReports, fingerprint, pairKey, SEVERITY, type Change, type DiffReport } from '../src/diff/index.js';
import { diffJsonSchema } from '../src/diff/schema.js';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { failed, type BinaryFacts, type BinaryResult, type MachoSlice } from '../src/facts/types.js';
import { CHANGE_KINDS } from '../src/plan/enums.js';
import { CHANGE_MESSAGES } from '../src/plan/messages.js';
import type { ChangeKind } from '../src/plan/model.js';
import { renderDiffGithub } from '../src/report/diff-github.js';
import { renderDiffJson } from '../src/report/diff-json.js';
import { renderDiffMarkdown } from '../src/report/diff-markdown.js';
import { renderDiffTable } from '../src/report/diff-table.js';
import { facts, ROOT, sample } from './helpers.js';
import { HOSTILE, elfWithNames, machoWithNames } from './hostile-strings.js';
import { elfLit, machoLit, peLit } from './plan-helpers.js';

const SCHEMA_FILE = join(ROOT, 'schema/diff.schema.json');
const generated = JSON.stringify(diffJsonSchema(), null, 2) + '\n';
if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, generated);
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));

const kinds = (cs: { kind: string }[]) => cs.map((c) => c.kind).sort();
const of = (cs: Change[] | ReturnType<typeof compareFacts>, k: ChangeKind) => {
  const c = cs.find((x) => x.kind === k);
  if (!c) throw new Error(`no ${k} in ${kinds(cs).join(', ')}`);
  return c;
};
const s = (p: string) => facts(sample(p));
const fromBytes = (b: Uint8Array, path: string) => inspectSource(new MemorySource(b), path) as BinaryFacts;
/** Every kind some test below produced, checked at the end. */
const seen = new Set<string>();
const cmp = (o: BinaryFacts, n: BinaryFacts) => { const cs = compareFacts(o, n); cs.forEach((c) => seen.add(c.kind)); return cs; };
const rep = (o: BinaryResult[], n: BinaryResult[], opts = {}) => { const r = diffReports(o, n, opts); r.changes.forEach((c) => seen.add(c.kind)); return r; };

describe('pairing keys', () => {
  it.each([
    ['v1.tgz!package/bin/x', 'v1.tgz', 0, 'bin/x'],
    ['build-a/bin/x', 'build-a', 0, 'bin/x'],
    ['dist/tool-1.2.3/bin/x', 'dist', 0, 'bin/x'],
    ['dist/tool-v1.2.3-x86_64-unknown-linux-musl/x', 'dist', 0, 'x'],
    ['dist/1.2.3/x', 'dist', 0, 'x'],
    ['dist/python3.11/x', 'dist', 0, 'python3.11/x'],
    ['dist/lib/x', 'dist', 0, 'lib/x'],
    ['a/b/c/x', 'a', 1, 'c/x'],
    ['a/x', 'a/x', 0, 'x'],
    ['d/inner.zip!package/lib/x.so', 'd', 0, 'inner.zip!lib/x.so'],
  ])('%s in %s (--strip %d) → %s', (p, root, strip, key) => expect(pairKey(p, root, strip)).toBe(key));

  it('--map renames a file or a folder of the old side', () => {
    expect(pairKey('o/bin/old-name', 'o', 0, [['bin/old-name', 'bin/new-name']])).toBe('bin/new-name');
    expect(pairKey('o/lib64/x.so', 'o', 0, [['lib64', 'lib']])).toBe('lib/x.so');
  });
});

describe('change kinds from sample pairs', () => {
  it('PIE lost and gained: glibc-pie ↔ glibc-nopie', () => {
    const lost = cmp(s('elf/glibc-pie'), s('elf/glibc-nopie'));
    expect(of(lost, 'pie-lost').severity).toBe('regression');
    expect(of(cmp(s('elf/glibc-nopie'), s('elf/glibc-pie')), 'pie-gained').severity).toBe('improvement');
  });

  it('DT_RPATH → DT_RUNPATH: use-rpath vs use-runpath, the entries named, nothing added or removed', () => {
    const cs = cmp(s('elf-tree/bin/use-rpath'), s('elf-tree/bin/use-runpath'));
    expect(kinds(cs)).toEqual(['rpath-switched']);
    expect(cs[0]).toMatchObject({ severity: 'neutral', args: { old: 'DT_RPATH', new: 'DT_RUNPATH', entries: ['$ORIGIN/../lib'] } });
  });

  it('glibc → musl: interpreter, C library, needed libraries and the glibc floor', () => {
    const cs = cmp(s('elf/glibc-pie'), s('elf/musl-dynamic'));
    expect(kinds(cs)).toEqual(['floor-lowered', 'interpreter-changed', 'libc-changed', 'needed-added', 'needed-removed']);
    expect(of(cs, 'interpreter-changed')).toMatchObject({
      severity: 'regression', args: { old: '/lib64/ld-linux-x86-64.so.2', new: '/lib/ld-musl-x86_64.so.1' },
    });
    expect(of(cs, 'libc-changed')).toMatchObject({ severity: 'regression', args: { old: 'glibc', new: 'musl' } });
    expect(of(cs, 'floor-lowered').args).toEqual({ floor: 'glibc', old: '2.34', new: null, version: 'GLIBC_2.34', library: 'libc.so.6' });
  });

  it('linkage: static → dynamic is a regression, the reverse an improvement; a broken static-PIE appearing is a regression', () => {
    expect(of(cmp(s('elf/glibc-static'), s('elf/glibc-pie')), 'linkage-changed')).toMatchObject({
      severity: 'regression', args: { old: 'static', new: 'dynamic' },
    });
    expect(of(cmp(s('elf/glibc-pie'), s('elf/glibc-static')), 'linkage-changed').severity).toBe('improvement');
    expect(of(cmp(s('elf/musl-static'), s('elf/musl-static-pie')), 'linkage-changed').severity).toBe('neutral');
    expect(of(cmp(s('elf/musl-static-pie'), s('elf/musl-static-pie-broken')), 'linkage-changed')).toMatchObject({
      severity: 'regression', args: { new: 'broken-static-pie' },
    });
  });

  it('hardening: full RELRO + BIND_NOW vs lazy binding without RELRO', () => {
    const cs = cmp(s('elf/bindnow-fullrelro'), s('elf/lazy-norelro'));
    const lost = cs.filter((c) => c.kind === 'hardening-lost').map((c) => c.subject).sort();
    expect(lost).toEqual(expect.arrayContaining(['BIND_NOW', 'RELRO']));
    expect(cmp(s('elf/lazy-norelro'), s('elf/bindnow-fullrelro')).filter((c) => c.kind === 'hardening-gained').length).toBeGreaterThanOrEqual(2);
    expect(of(cmp(s('elf/glibc-pie'), s('elf/textrel-pie')), 'hardening-lost')).toMatchObject({ subject: 'TEXTREL', args: { old: false, new: true } });
  });

  it('type and arch: an executable vs a library, x86-64 vs i386', () => {
    expect(of(cmp(s('elf/glibc-pie'), s('elf/libfoo.so.1')), 'type-changed').args).toEqual({ old: 'executable', new: 'shared-library' });
    expect(of(cmp(s('elf/glibc-pie'), s('elf/i386-pie')), 'arch-changed').args).toEqual({ old: 'x86_64', new: 'i386' });
  });

  it('format: an ELF and a PE are compared no further', () => {
    expect(cmp(s('elf/glibc-pie'), s('pe/msvc/x64/hello.exe'))).toEqual([expect.objectContaining({ kind: 'format-changed', args: { old: 'elf', new: 'pe' } })]);
  });

  it('CRT: msvc /MT → /MD is a regression (and adds the CRT DLLs), /MD → /MT an improvement', () => {
    const cs = cmp(s('pe/msvc/x64/mt_like.dll'), s('pe/msvc/x64/md_like.dll'));
    expect(of(cs, 'crt-changed')).toMatchObject({ severity: 'regression', args: { old: 'msvc-static', new: 'msvc-dynamic' } });
    expect(cs.filter((c) => c.kind === 'needed-added').map((c) => c.subject)).toContain('VCRUNTIME140.dll');
    expect(of(cs, 'soname-changed').args).toEqual({ field: 'export Name', old: 'mt_like.dll', new: 'md_like.dll' });
    expect(of(cmp(s('pe/msvc/x64/md_like.dll'), s('pe/msvc/x64/mt_like.dll')), 'crt-changed').severity).toBe('improvement');
  });

  it('PE hardening: GUARD_CF gained, NX lost', () => {
    expect(of(cmp(s('pe/msvc/x64/md_like.dll'), s('pe/msvc/x64/md_like-guardcf.dll')), 'hardening-gained').subject).toBe('GUARD_CF');
    const nonx = cmp(s('pe/msvc/x64/md_like.dll'), s('pe/msvc/x64/md_like-nohighentropy-nonx.dll')).filter((c) => c.kind === 'hardening-lost');
    expect(nonx.map((c) => c.subject).sort()).toEqual(['HIGH_ENTROPY_VA', 'NX']);
  });

  it('delay imports: a delay-loaded DLL added', () => {
    const d = s('pe/msvc/x64/delayload.exe') as Extract<BinaryFacts, { format: 'pe' }>;
    const without = { ...d, delayImports: [] };
    expect(of(cmp(without, d), 'delay-import-added')).toMatchObject({ severity: 'regression', subject: d.delayImports[0].dll });
    expect(of(cmp(d, without), 'delay-import-removed').severity).toBe('neutral');
  });

  it('a Mach-O arch change names Apple arches, as slices do: arm64, not aarch64', () => {
    const cs = cmp(s('macho/arm64/bin/usefoo'), s('macho/x86_64/bin/usefoo'));
    expect(of(cs, 'arch-changed')).toMatchObject({ subject: 'x86_64', args: { old: 'arm64', new: 'x86_64' } });
    expect(of(cmp(s('macho/x86_64/bin/usefoo'), s('macho/arm64/bin/usefoo')), 'arch-changed').subject).toBe('arm64');
  });

  it('a universal file losing a slice, and gaining it back', () => {
    const uni = s('macho/universal/bin/usefoo'), thin = s('macho/arm64/bin/usefoo');
    expect(cmp(uni, thin)).toEqual([expect.objectContaining({ kind: 'slice-removed', severity: 'regression', args: { arch: 'x86_64' } })]);
    expect(cmp(thin, uni)).toEqual([expect.objectContaining({ kind: 'slice-added', severity: 'neutral', args: { arch: 'x86_64' } })]);
  });

  it('a universal file whose slice raised its minimum macOS: the change names the slice', () => {
    const uni = s('macho/universal/bin/usefoo') as Extract<BinaryFacts, { format: 'macho' }>;
    const newer = { ...uni, slices: uni.slices!.map((x) => (x.macho.archName === 'arm64' ? { ...x, minOS: '13.0' } : x)) as MachoSlice[] };
    expect(cmp(uni, newer)).toEqual([
      expect.objectContaining({ kind: 'min-os-raised', slice: 'arm64', args: { platform: 'macos', old: '11.0', new: '13.0' } }),
    ]);
  });

  it('crafted ELF: NEEDED added, removed and reordered; RUNPATH entries added and removed', () => {
    const a = fromBytes(elfWithNames(['liba.so', 'libb.so'], ['/opt/a']), 'x');
    const b = fromBytes(elfWithNames(['libb.so', 'liba.so', 'libssl.so.3'], ['$ORIGIN/lib']), 'x');
    const cs = cmp(a, b);
    expect(kinds(cs)).toEqual(['needed-added', 'needed-reordered', 'rpath-added', 'rpath-removed']);
    expect(of(cs, 'needed-added')).toMatchObject({ severity: 'regression', subject: 'libssl.so.3', args: { field: 'DT_NEEDED', position: 2 } });
    expect(of(cs, 'needed-reordered').args).toEqual({ field: 'DT_NEEDED', old: ['liba.so', 'libb.so'], new: ['libb.so', 'liba.so'] });
    expect(of(cs, 'rpath-added')).toMatchObject({ severity: 'regression', args: { field: 'DT_RUNPATH', entry: '$ORIGIN/lib' } });
    expect(of(cmp(b, a), 'needed-removed').subject).toBe('libssl.so.3');
  });
});

describe('search path order', () => {
  it('crafted ELF: the same RUNPATH entries in another order; a system path ahead of $ORIGIN is a regression', () => {
    const bundledFirst = fromBytes(elfWithNames(['libm.so.6'], ['$ORIGIN/../lib:/usr/local/lib']), 'x');
    const systemFirst = fromBytes(elfWithNames(['libm.so.6'], ['/usr/local/lib:$ORIGIN/../lib']), 'x');
    const cs = cmp(bundledFirst, systemFirst);
    expect(cs).toEqual([expect.objectContaining({
      kind: 'rpath-reordered', severity: 'regression', subject: 'DT_RUNPATH',
      args: { field: 'DT_RUNPATH', old: ['$ORIGIN/../lib', '/usr/local/lib'], new: ['/usr/local/lib', '$ORIGIN/../lib'] },
    })]);
    expect(of(cmp(systemFirst, bundledFirst), 'rpath-reordered').severity).toBe('neutral');
    // What the fingerprint sees, the comparison reports: reordered is no move, an entry named twice is searched once.
    expect(fingerprint(bundledFirst)).not.toBe(fingerprint(systemFirst));
    const twice = elfLit({ runpath: ['/opt/a', '/opt/a'] }), once = elfLit({ runpath: ['/opt/a'] });
    expect([cmp(twice, once), fingerprint(twice) === fingerprint(once)]).toEqual([[], true]);
  });

  it('LC_RPATH reordered; an entry added as well leaves the order of the common ones compared', () => {
    const o = machoLit({ rpath: ['@loader_path/../lib', '/opt/homebrew/lib'] });
    const n = machoLit({ rpath: ['/opt/homebrew/lib', '/usr/local/lib', '@loader_path/../lib'] });
    const cs = cmp(o, n);
    expect(kinds(cs)).toEqual(['rpath-added', 'rpath-reordered']);
    expect(of(cs, 'rpath-reordered')).toMatchObject({
      severity: 'regression', args: { field: 'LC_RPATH', old: ['@loader_path/../lib', '/opt/homebrew/lib'], new: ['/opt/homebrew/lib', '@loader_path/../lib'] },
    });
  });
});

describe('change kinds from fact literals (no sample pair differs only so)', () => {
  it('glibc, GLIBCXX, CXXABI and GCC floors raised, with the symbol version that raised them', () => {
    const o = elfLit({ elf: { floors: { glibc: '2.17', glibcxx: '3.4.19', cxxabi: null, gcc: '3.0' } } });
    const n = elfLit({
      elf: {
        floors: { glibc: '2.34', glibcxx: '3.4.29', cxxabi: '1.3.13', gcc: '3.0' },
        versionNeeds: [
          { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.34'] },
          { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.29', 'CXXABI_1.3.13'] },
        ],
      },
    });
    const cs = cmp(o, n);
    expect(cs.map((c) => [c.kind, c.subject, c.severity])).toEqual([
      ['floor-raised', 'glibc', 'regression'], ['floor-raised', 'glibcxx', 'regression'], ['floor-raised', 'cxxabi', 'regression'],
    ]);
    expect(cs[0].args).toEqual({ floor: 'glibc', old: '2.17', new: '2.34', version: 'GLIBC_2.34', library: 'libc.so.6' });
    expect(cs[1].args).toMatchObject({ version: 'GLIBCXX_3.4.29', library: 'libstdc++.so.6' });
    expect(cmp(n, o).map((c) => c.kind)).toEqual(['floor-lowered', 'floor-lowered', 'floor-lowered']);
  });

  it('ELF hardening: NX and BIND_NOW', () => {
    const cs = cmp(elfLit({ hardening: { nxStack: true, bindNow: true } }), elfLit({ hardening: { nxStack: false, bindNow: false } }));
    expect(cs.map((c) => [c.kind, c.subject])).toEqual([['hardening-lost', 'BIND_NOW'], ['hardening-lost', 'NX']]);
  });

  it('soname, install name', () => {
    expect(of(cmp(elfLit({ soname: 'libx.so.1' }), elfLit({ soname: 'libx.so.2' })), 'soname-changed').args).toEqual({
      field: 'DT_SONAME', old: 'libx.so.1', new: 'libx.so.2',
    });
    expect(of(cmp(machoLit({ installName: '@rpath/a.dylib' }), machoLit({ installName: '/Users/me/a.dylib' })), 'soname-changed').args)
      .toMatchObject({ field: 'LC_ID_DYLIB' });
  });

  it('Mach-O: another platform is a platform change, its minimum OS not compared with the old platform\'s', () => {
    const cs = cmp(machoLit({ platform: 'macos', minOS: '14.0' }), machoLit({ platform: 'ios', minOS: '14.0' }));
    expect(cs).toEqual([expect.objectContaining({
      kind: 'platform-changed', severity: 'regression', subject: 'ios', args: { old: 'macos', new: 'ios', oldMinOS: '14.0', newMinOS: '14.0' },
    })]);
    expect(kinds(cmp(machoLit({ platform: 'macos', minOS: '14.0' }), machoLit({ platform: 'ios', minOS: '17.0' })))).toEqual(['platform-changed']);
    expect(kinds(cmp(machoLit({ platform: 'ios', minOS: '17.0' }), machoLit({ platform: 'macos', minOS: '11.0' })))).toEqual(['platform-changed']);
  });

  it('Mach-O: minimum OS raised and lowered, SDK changed, a dylib from weak to load', () => {
    const sdk = (v: string) => ({ flags: [], archName: 'arm64', sdk: v }) as unknown as Extract<BinaryFacts, { format: 'macho' }>['macho'];
    const cs = cmp(machoLit({ minOS: '11.0', macho: sdk('13.0') }), machoLit({ minOS: '14.0', macho: sdk('14.2') }));
    expect(cs.map((c) => [c.kind, c.severity])).toEqual([['min-os-raised', 'regression'], ['sdk-changed', 'neutral']]);
    expect(of(cmp(machoLit({ minOS: '14.0' }), machoLit({ minOS: '11.0' })), 'min-os-lowered').severity).toBe('improvement');
    const dy = (kind: 'weak' | 'load') => machoLit({
      dylibs: [{
        name: '/usr/lib/libSystem.B.dylib', kind, cmd: 'LC_LOAD_DYLIB', class: 'apple-system', currentVersion: '1', compatibilityVersion: '1',
      }],
    });
    expect(of(cmp(dy('weak'), dy('load')), 'dylib-kind-changed')).toMatchObject({ severity: 'regression', args: { old: 'weak', new: 'load' } });
    expect(of(cmp(dy('load'), dy('weak')), 'dylib-kind-changed').severity).toBe('improvement');
  });

  it('PE imports compare case-insensitively (KERNEL32.dll is kernel32.dll)', () => {
    expect(cmp(peLit({ needed: ['KERNEL32.dll'] }), peLit({ needed: ['kernel32.dll'] }))).toEqual([]);
  });
});

describe('reports: pairing, moves, removals, the gate', () => {
  const at = (f: BinaryFacts, path: string) => ({ ...f, path }) as BinaryFacts;
  const pie = s('elf/glibc-pie'), nopie = s('elf/glibc-nopie'), lib = s('elf/libfoo.so.1');

  it('a moved binary is moved, not removed + added; an added and a removed one are reported as such', () => {
    const r = rep(
      [at(pie, 'o/bin/app'), at(lib, 'o/lib/libfoo.so.1')],
      [at(pie, 'n/libexec/app2'), at(s('elf/musl-static'), 'n/bin/tool')],
      { oldRoot: 'o', newRoot: 'n' },
    );
    expect(r.changes.map((c) => [c.kind, c.file, c.severity])).toEqual([
      ['binary-moved', 'libexec/app2', 'neutral'], ['binary-removed', 'lib/libfoo.so.1', 'regression'], ['binary-added', 'bin/tool', 'neutral'],
    ]);
    expect(r.changes[0].args).toEqual({ from: 'bin/app', to: 'libexec/app2' });
    expect(r.summary).toMatchObject({ binaries: 3, moved: 1, added: 1, removed: 1, changes: 3, counted: 3 });
  });

  it('--map steers the pairing only: a moved or removed binary is named by its real old path, as allow entries name it', () => {
    const o = [at(pie, 'o/bin/app'), at(lib, 'o/bin/stat')], n = [at(pie, 'n/sbin/app2')];
    const r = rep(o, n, { oldRoot: 'o', newRoot: 'n', map: [['bin', 'sbin']], allow: ['binary-removed:bin/stat'] });
    expect(r.changes.map((c) => [c.kind, c.file, c.subject, c.allowed])).toEqual([
      ['binary-moved', 'sbin/app2', 'sbin/app2', false], ['binary-removed', 'bin/stat', 'bin/stat', true],
    ]);
    expect(r.changes[0].args).toEqual({ from: 'bin/app', to: 'sbin/app2' });
    expect(r.binaries.map((b) => b.file)).toEqual(['bin/stat', 'sbin/app2']);
  });

  it('two members of one name: the last is compared, as tar x keeps it, and the earlier one is a shadowed note', () => {
    const r = rep([at(pie, 'o.tar!bin/x')], [at(pie, 'n.tar!bin/x'), at(nopie, 'n.tar!bin/x')], { oldRoot: 'o.tar', newRoot: 'n.tar' });
    expect(r.changes.map((c) => [c.kind, c.file])).toEqual([['pie-lost', 'bin/x']]);
    expect(r.notes).toEqual([{ side: 'new', file: 'n.tar!bin/x', code: 'shadowed' }]);
    expect(r.summary).toMatchObject({ binaries: 1, changed: 1, added: 0 });
    expect(renderDiffTable(r)).toContain('note: new: n.tar!bin/x: shadowed');
    expect(validate(JSON.parse(renderDiffJson(r, '0.0.0'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('an input that could not be read is no binary added, and what it may hold is unreadable, not removed', () => {
    const truncated = failed('n.tgz', null, 'malformed', 'truncated: unexpected end of file');
    const r = rep([at(pie, 'o.tgz!bin/a'), at(lib, 'o.tgz!bin/b')], [at(pie, 'n.tgz!bin/a'), truncated], { oldRoot: 'o.tgz', newRoot: 'n.tgz' });
    expect(r.changes.map((c) => [c.kind, c.file, c.subject])).toEqual([['unreadable', 'bin/b', 'malformed']]);
    expect(r.summary).toMatchObject({ added: 0, removed: 0, errors: 1, regressions: 1 });
    expect(r.binaries.map((b) => [b.file, b.status])).toEqual([['bin/a', 'same'], ['bin/b', 'error'], ['n.tgz', 'error']]);
    const text = inspectSource(new MemorySource(readFileSync(sample('misc/not-a-binary.txt'))), 'n.txt');
    expect(kinds(rep([at(pie, 'o.tgz!bin/a')], [text], { oldRoot: 'o.tgz', newRoot: 'n.txt' }).changes)).toEqual(['unreadable']);
    // The other way: the old archive stopped early, so a binary the new one has is not known to be new.
    const back = rep([at(pie, 'o.tgz!bin/a'), failed('o.tgz', null, 'malformed', 'truncated')], [at(pie, 'n.tgz!bin/a'), at(lib, 'n.tgz!bin/b')],
      { oldRoot: 'o.tgz', newRoot: 'n.tgz' });
    expect([back.changes, back.summary.added, back.errors.length]).toEqual([[], 0, 1]);
    expect(diffOutcome(back)).toBe('unanalysable');
    // A package whose data archive could not be read: every file of it is unreadable, none removed.
    const data = failed('n.deb!data.tar.lzma', null, 'unsupported', 'not read');
    const deb = rep([at(pie, 'o.deb!data.tar.xz!./usr/bin/a')], [data], { oldRoot: 'o.deb', newRoot: 'n.deb', oldPackage: true, newPackage: true });
    expect(kinds(deb.changes)).toEqual(['unreadable']);
  });

  it('a file read before and unreadable now is a change (unreadable) and an error', () => {
    const broken = inspectSource(new MemorySource(readFileSync(sample('misc/truncated-elf'))), 'n/bin/app');
    const r = rep([at(pie, 'o/bin/app')], [broken], { oldRoot: 'o', newRoot: 'n' });
    expect(r.changes).toEqual([expect.objectContaining({ kind: 'unreadable', severity: 'regression', args: expect.objectContaining({ code: 'malformed' }) })]);
    expect(r.errors).toEqual([expect.objectContaining({ side: 'new', file: 'n/bin/app', code: 'malformed' })]);
  });

  it('--fail-on and the plan\'s allow decide which changes count', () => {
    const o = [at(pie, 'o/app')], n = [at(nopie, 'n/app')];
    expect(rep(o, n, { oldRoot: 'o', newRoot: 'n' }).summary.counted).toBe(1);
    expect(rep(o, n, { oldRoot: 'o', newRoot: 'n', failOn: ['needed-added'] }).summary.counted).toBe(0);
    expect(rep(o, n, { oldRoot: 'o', newRoot: 'n', failOn: ['regressions'] }).summary.counted).toBe(1);
    const allowed = rep(o, n, { oldRoot: 'o', newRoot: 'n', allow: ['pie-lost'] });
    expect(allowed.changes[0]).toMatchObject({ allowed: true, counts: false });
    const a = fromBytes(elfWithNames(['libc.so.6']), 'o/x'), b = fromBytes(elfWithNames(['libc.so.6', 'libssl.so.3', 'libz.so.1']), 'n/x');
    const byGlob = rep([a], [b], { oldRoot: 'o', newRoot: 'n', allow: ['needed-added:libssl*'] });
    expect(byGlob.changes.map((c) => [c.subject, c.counts])).toEqual([['libssl.so.3', false], ['libz.so.1', true]]);
  });

  // Whole sample trees and the corpus are diffed against themselves through the CLI (diff-cli.test.ts).
  it('a binary against itself is no change', () => {
    for (const f of [pie, lib, s('macho/universal/bin/usefoo'), s('macho/arm64/lib/libreexp.dylib'), s('pe/msvc/x64/delayload.exe')]) {
      expect(compareFacts(f, f)).toEqual([]);
    }
  });
});

/** Every change kind, for the schema and the renderers. */
function everyKind(): DiffReport {
  const r = diffReports([], []);
  r.changes = CHANGE_KINDS.map((kind, i) => {
    const args: Record<string, unknown> = {
      'binary-added': { format: 'elf' }, 'binary-removed': { format: null }, 'binary-moved': { from: 'a', to: 'b' },
      'format-changed': { old: 'elf', new: 'pe' }, 'arch-changed': { old: 'x86_64', new: 'i386' }, 'type-changed': { old: 'executable', new: 'shared-library' },
      'linkage-changed': { old: 'static', new: 'dynamic' }, 'pie-lost': { type: 'executable' }, 'pie-gained': { type: 'executable' },
      'interpreter-changed': { old: null, new: '/lib/ld.so' }, 'libc-changed': { old: 'glibc', new: 'musl' },
      'needed-added': { field: 'DT_NEEDED', name: 'x', position: 0 }, 'needed-removed': { field: 'DT_NEEDED', name: 'x' },
      'needed-reordered': { field: 'DT_NEEDED', old: ['a', 'b'], new: ['b', 'a'] }, 'delay-import-added': { name: 'x.dll' },
      'delay-import-removed': { name: 'x.dll' }, 'dylib-kind-changed': { name: 'x', old: 'weak', new: 'load' },
      'rpath-added': { field: 'DT_RUNPATH', entry: '' }, 'rpath-removed': { field: 'LC_RPATH', entry: 'x' },
      'rpath-switched': { old: 'DT_RPATH', new: 'DT_RUNPATH', entries: ['x'] },
      'rpath-reordered': { field: 'DT_RUNPATH', old: ['$ORIGIN', '/x'], new: ['/x', '$ORIGIN'] }, 'soname-changed': { field: 'DT_SONAME', old: null, new: 'x' },
      'floor-raised': { floor: 'glibc', old: '2.17', new: '2.34', version: 'GLIBC_2.34', library: 'libc.so.6' },
      'floor-lowered': { floor: 'gcc', old: '4.2.0', new: null, version: 'GCC_4.2.0', library: null },
      'platform-changed': { old: 'macos', new: 'ios', oldMinOS: '14.0', newMinOS: null },
      'min-os-raised': { platform: 'macos', old: '11.0', new: '13.0' }, 'min-os-lowered': { platform: 'ios', old: '15.0', new: '14.0' },
      'sdk-changed': { old: '13.0', new: null }, 'crt-changed': { old: 'msvc-static', new: 'msvc-dynamic' },
      'hardening-lost': { feature: 'RELRO', old: 'full', new: 'none' }, 'hardening-gained': { feature: 'TEXTREL', old: true, new: false },
      'slice-added': { arch: 'arm64' }, 'slice-removed': { arch: 'x86_64' }, unreadable: { code: 'malformed', message: 'bad' },
    };
    return {
      kind, severity: SEVERITY[kind] === 'varies' ? 'neutral' : SEVERITY[kind], file: `bin/f${i % 3}`, oldPath: 'o', newPath: 'n', subject: 'x',
      args: args[kind], allowed: false, counts: true,
    } as Change;
  });
  return r;
}

describe('summary counts', () => {
  it('every count is written one way, with a thousands separator', () => {
    const r = diffReports([], []);
    r.summary = { ...r.summary, binaries: 1500, changed: 1500, added: 1200, removed: 1100, moved: 1001, changes: 4000, regressions: 2000,
      improvements: 1000, neutral: 1000, allowed: 1000, counted: 3000 };
    const line = renderDiffTable(r).trim().split('\n').pop()!;
    expect(line).toContain('1,500 binaries (1,500 changed, 1,200 added, 1,100 removed, 1,001 moved); 4,000 changes (2,000 regressions, '
      + '1,000 improvements, 1,000 neutral); 3,000 fail the gate, 1,000 allowed by the plan');
    expect(line).not.toMatch(/\d{4}/);
  });
});

describe('diff JSON and its schema', () => {
  it('schema/diff.schema.json is the one generated (UPDATE_SCHEMA=1 to rewrite)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('validates a report with every change kind, and real reports', () => {
    const reports = [
      everyKind(),
      diffReports([s('elf/glibc-pie')], [s('elf/musl-dynamic')]),
      diffReports([s('macho/universal/bin/usefoo')], [s('macho/arm64/bin/usefoo')]),
    ];
    for (const r of reports) {
      const ok = validate(JSON.parse(renderDiffJson(r, '0.0.0')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects args that do not fit their kind', () => {
    const r = JSON.parse(renderDiffJson(everyKind(), '0.0.0'));
    r.changes[0].args = { name: 'x' };
    expect(validate(r)).toBe(false);
  });

  it('every change kind has a message and a severity class', () => {
    for (const k of CHANGE_KINDS) {
      expect(CHANGE_MESSAGES[k].title.length, k).toBeGreaterThan(3);
      expect(CHANGE_MESSAGES[k].docs.length, k).toBeGreaterThan(20);
      expect(SEVERITY[k], k).toBeDefined();
    }
  });
});

// ------------------------------------------------------------------------------------------------ Markdown

/**
 * No Markdown parser is installed (node_modules has none), so this is a strict GFM checker for what the renderer
 * writes: every table row has the header's column count after splitting on unescaped `|` (code spans do not
 * protect a `|` in GFM tables: it must be escaped), code spans are closed by a fence of their own length, and
 * outside code spans there is no raw `<` except our own <details>/<summary> tags, and no raw `>` or `&` that is
 * not a character reference.
 */
function checkMarkdown(md: string): string[] {
  const problems: string[] = [];
  const lines = md.split('\n');
  const cells = (l: string) => {
    const out: string[] = [];
    let cur = '';
    for (let i = 0; i < l.length; i++) {
      if (l[i] === '\\' && l[i + 1] === '|') { cur += '\\|'; i++; continue; }
      if (l[i] === '|') { out.push(cur); cur = ''; continue; }
      cur += l[i];
    }
    out.push(cur);
    return out.slice(1, -1);
  };
  let cols = -1;
  lines.forEach((l, i) => {
    if (l.startsWith('|')) {
      if (!l.endsWith('|')) problems.push(`line ${i + 1}: a table row not closed by |`);
      const n = cells(l).length;
      if (cols < 0) cols = n;
      else if (n !== cols) problems.push(`line ${i + 1}: ${n} cells, the header has ${cols}`);
    } else cols = -1;
    // Strip code spans (a run of N backticks up to the next run of exactly N), then look at the text.
    let text = '';
    for (let j = 0; j < l.length;) {
      if (l[j] !== '`') { text += l[j++]; continue; }
      let k = j;
      while (l[k] === '`') k++;
      const fence = l.slice(j, k);
      const close = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
      close.lastIndex = k;
      const m = close.exec(l);
      if (!m) { problems.push(`line ${i + 1}: an unclosed code span`); break; }
      j = m.index + fence.length;
    }
    const raw = text.replace(/<\/?(details|summary)>/g, '');
    if (/[<>]/.test(raw)) problems.push(`line ${i + 1}: a raw < or > outside a code span: ${raw}`);
    if (/&(?!#\d+;|[a-z]+;)/.test(raw)) problems.push(`line ${i + 1}: a raw & outside a code span`);
    if (/[\u0000-\u001f\u007f\u2028\u2029\u202e]/.test(l)) problems.push(`line ${i + 1}: a control or separator character`);
  });
  return problems;
}

describe('renderers against hostile strings from binaries', () => {
  const names = Object.values(HOSTILE);
  const extra = ['lib|pipe|.so', 'lib`tick`.so', '``lib``', 'lib<script>&amp;.so', '` leading', 'lib\\|.so'];
  const elfO = fromBytes(elfWithNames(['libc.so.6']), 'o/bin/app');
  const elfN = fromBytes(elfWithNames(['libc.so.6', ...names, ...extra], names.slice(0, 3)), 'n/bin/app');
  const machO = fromBytes(machoWithNames([]), 'o/bin/mac');
  const machN = fromBytes(machoWithNames([...names, ...extra], extra), 'n/bin/mac');
  const hostileFile = { ...s('elf/glibc-pie'), path: `n/${HOSTILE.workflowLf}|<b>` } as BinaryFacts;
  const r = diffReports([elfO, machO], [elfN, machN, hostileFile], { oldRoot: 'o', newRoot: 'n' });

  it('the hostile build has the changes to render', () => {
    expect(r.changes.filter((c) => c.kind === 'needed-added').length).toBe(2 * (names.length + extra.length));
    expect(r.changes.some((c) => c.kind === 'binary-added')).toBe(true);
  });

  it('Markdown: well-formed tables, nothing raw, code spans intact, collapsed long lists', () => {
    const md = renderDiffMarkdown(r);
    expect(checkMarkdown(md)).toEqual([]);
    expect(md).toContain('<details><summary>');
    expect(md).not.toMatch(/\n::/);
    expect(md).not.toContain('\u001b');
    // A name with backticks keeps its text inside a longer fence.
    expect(md).toContain('``` ``lib`` ```');
  });

  it('the checker itself catches what it must', () => {
    expect(checkMarkdown('| a | b |\n| --- | --- |\n| x | y | z |')).toHaveLength(1);
    expect(checkMarkdown('| a |\n| --- |\n| <b> |')).toHaveLength(1);
    expect(checkMarkdown('`open')).toHaveLength(1);
  });

  it('table and github: no raw line breaks or escape sequences; annotations one line each', () => {
    for (const out of [renderDiffTable(r, { width: 200 }), renderDiffGithub(r)]) {
      expect(out).not.toContain('\u001b');
      expect(out).not.toMatch(/[\r\u2028\u2029\u0085\u202e\ufffe]/);
      for (const l of out.split('\n').filter(Boolean)) expect(l.startsWith('::') ? /^::(error|warning) file=/.test(l) : true, l).toBe(true);
    }
    const gh = renderDiffGithub(r);
    expect(gh.split('\n').filter((l) => l.startsWith('::error')).length).toBe(r.changes.filter((c) => c.severity === 'regression').length);
  });

  it('JSON carries every name exactly, escaped by JSON itself', () => {
    const j = JSON.parse(renderDiffJson(r, '0.0.0'));
    expect(j.changes.map((c: Change) => c.subject)).toEqual(expect.arrayContaining(names));
    expect(validate(j)).toBe(true);
  });
});

describe('coverage of change kinds', () => {
  it('every change kind was produced from a sample pair, a crafted file or a literal above', () => {
    expect(CHANGE_KINDS.filter((k) => !seen.has(k))).toEqual([]);
  });
});
