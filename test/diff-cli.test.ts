/**
 * `linkplan diff` end to end: exit codes, flags, formats, a plan's [diff] allow, sample trees and the corpus against
 * themselves, and two real releases (two versions of @esbuild/linux-x64; glibc vs musl builds of rollup and biome).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, sample } from './helpers.js';

const CORPUS = join(ROOT, '.cache', 'corpus');
const TGZ = join(ROOT, '.cache', 'corpus-tgz');
const tmp = mkdtempSync(join(tmpdir(), 'linkplan-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A tree under tmp: path inside → sample to copy there. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [p, src] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    copyFileSync(sample(src), join(root, p));
  }
  return root;
}
const json = (args: string[]) => {
  const r = cli(['diff', '--format', 'json', ...args], { cwd: tmp });
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : null };
};
const kinds = (rep: { changes: { kind: string }[] }) => rep.changes.map((c) => c.kind).sort();

describe('linkplan diff: exit codes', () => {
  it('no change: exit 0 and an empty change list', () => {
    const r = json([sample('elf/glibc-pie'), sample('elf/glibc-pie')]);
    expect(r.code).toBe(0);
    expect(r.report.changes).toEqual([]);
    expect(r.report.schemaVersion).toBe(1);
  });

  it('a change: exit 1', () => {
    const r = cli(['diff', sample('elf/glibc-pie'), sample('elf/glibc-nopie')], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pie-lost');
    expect(r.stdout).toContain('linkage changed');
  });

  it('a missing input: one line, exit 2, never "no change"', () => {
    const r = cli(['diff', join(tmp, 'nope'), sample('elf/glibc-pie')], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('old input')]);
  });

  it('an unreadable file in the new build: the unreadable change, and exit 2', () => {
    const o = tree('unread-old', { 'bin/app': 'elf/glibc-pie' });
    const n = tree('unread-new', { 'bin/app': 'misc/truncated-elf' });
    const r = json([o, n]);
    expect(r.code).toBe(2);
    expect(kinds(r.report)).toEqual(['unreadable']);
    expect(r.stderr).toContain('new: ');
  });

  it('a truncated archive or an input that is no binary: exit 2, nothing added, the binaries it did not yield unreadable', () => {
    const src = tree('trunc/src', { 'bin/a': 'elf/glibc-pie', 'bin/b': 'elf/libfoo.so.1', 'bin/c': 'elf/musl-static' });
    execFileSync('tar', ['-cf', join(tmp, 'trunc/t1.tar'), '-C', src, 'bin']);
    const whole = readFileSync(join(tmp, 'trunc/t1.tar'));
    writeFileSync(join(tmp, 'trunc/cut.tar'), whole.subarray(0, Math.floor(whole.length / 2)));
    for (const n of ['trunc/cut.tar', sample('misc/not-a-binary.txt')]) {
      const r = json(['trunc/t1.tar', n]);
      expect(r.code, n).toBe(2);
      expect(r.report.changes.filter((c: { kind: string }) => c.kind !== 'unreadable'), n).toEqual([]);
      expect(r.report.changes.length, n).toBeGreaterThan(0);
      expect(r.report.summary, n).toMatchObject({ added: 0, removed: 0, errors: 1 });
    }
  });

  it('bad usage: exit 2', () => {
    for (const args of [['--fail-on', 'needed-addded'], ['--strip', 'x'], ['--map', 'nope'], ['--format', 'xml'],
      ['--map', 'x/one=A', '--map', 'x/one=B'], ['--map', 'x=z', '--map', 'y=z']]) {
      const r = cli(['diff', ...args, sample('elf/glibc-pie'), sample('elf/glibc-pie')], { cwd: tmp });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^linkplan: /);
    }
  });

  it('an empty --fail-on is bad usage, not a gate that lets every change pass', () => {
    for (const list of ['', ',', ' , ']) {
      const r = cli(['diff', '--fail-on', list, sample('elf/glibc-pie'), sample('elf/glibc-nopie')], { cwd: tmp });
      expect(r.code, `--fail-on '${list}'`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('--fail-on')]);
    }
  });
});

describe('linkplan diff: pairing over trees and archives', () => {
  it('versioned folders pair; a moved binary is moved; added and removed binaries are reported', () => {
    const o = tree('pair-old', {
      'tool-1.2.3/bin/app': 'elf/glibc-pie', 'tool-1.2.3/bin/gone': 'elf/libfoo.so.1', 'tool-1.2.3/bin/old-name': 'elf/musl-static',
    });
    const n = tree('pair-new', {
      'tool-1.3.0/bin/app': 'elf/glibc-nopie', 'tool-1.3.0/libexec/new-name': 'elf/musl-static', 'tool-1.3.0/bin/new': 'elf/i386-pie',
    });
    const r = json([o, n]);
    expect(r.code).toBe(1);
    expect(r.report.changes.map((c: { kind: string; file: string }) => `${c.kind} ${c.file}`).sort()).toEqual([
      'binary-added bin/new', 'binary-moved libexec/new-name', 'binary-removed bin/gone', 'pie-lost bin/app',
    ]);
  });

  it('--strip and --map', () => {
    const o = tree('strip-old', { 'out/a/bin/x': 'elf/glibc-pie', 'out/a/bin/y': 'elf/glibc-pie' });
    const n = tree('strip-new', { 'out/b/bin/x': 'elf/glibc-pie', 'out/b/bin/z': 'elf/glibc-nopie' });
    // Without --strip 2, a/bin/x and b/bin/x do not pair by path: the same facts make it a move.
    expect(kinds(json(['--strip', '1', o, n]).report)).toEqual(['binary-added', 'binary-moved', 'binary-removed']);
    expect(kinds(json(['--strip', '2', o, n]).report)).toEqual(['binary-added', 'binary-removed']);
    const mapped = json(['--strip', '2', '--map', 'bin/y=bin/z', o, n]);
    expect(kinds(mapped.report)).toEqual(['pie-lost']);
    expect(mapped.report.changes[0].file).toBe('bin/z');
  });

  it('--fail-on: changes it leaves out do not fail the run; regressions is every regression', () => {
    const args = [sample('elf/glibc-pie'), sample('elf/musl-dynamic')];
    expect(cli(['diff', '--fail-on', 'needed-reordered,crt-changed', ...args], { cwd: tmp }).code).toBe(0);
    expect(cli(['diff', '--fail-on', 'needed-added', ...args], { cwd: tmp }).code).toBe(1);
    expect(cli(['diff', '--fail-on', 'regressions', sample('elf/glibc-nopie'), sample('elf/glibc-pie')], { cwd: tmp }).code).toBe(0);
    expect(cli(['diff', '--fail-on', 'regressions', ...args], { cwd: tmp }).code).toBe(1);
  });

  it('a plan\'s [diff] allow lets deliberate changes pass, named or discovered', () => {
    const dir = join(tmp, 'with-plan');
    mkdirSync(dir, { recursive: true });
    const planText = '[[artifact]]\npath = "**"\n\n[diff]\nallow = ["pie-lost", "needed-added:libc*"]\n';
    writeFileSync(join(dir, 'linkplan.toml'), planText);
    const named = cli(['diff', '--plan', join(dir, 'linkplan.toml'), '--format', 'json', sample('elf/glibc-pie'), sample('elf/glibc-nopie')], { cwd: tmp });
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).changes[0]).toMatchObject({ kind: 'pie-lost', allowed: true, counts: false });
    expect(cli(['diff', sample('elf/glibc-pie'), sample('elf/glibc-nopie')], { cwd: dir }).code).toBe(0);
    expect(cli(['diff', sample('elf/glibc-pie'), sample('elf/musl-dynamic')], { cwd: dir }).code).toBe(1);
    writeFileSync(join(dir, 'linkplan.toml'), '[[artifact]]\npath = "**"\n[diff]\nallow = ["pie-lots"]\n');
    const bad = cli(['diff', sample('elf/glibc-pie'), sample('elf/glibc-nopie')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean "pie-lost"');
  });

  it('archives on the way pair across their version and compression: a release folder, a .deb rebuilt with another compressor', () => {
    const a = tree('ver-a/src', { 'bin/x': 'elf/glibc-pie' }), b = tree('ver-b/src', { 'bin/x': 'elf/glibc-nopie' });
    mkdirSync(join(tmp, 'ver-a/out')); mkdirSync(join(tmp, 'ver-b/out'));
    execFileSync('tar', ['-czf', join(tmp, 'ver-a/out/tool-1.2.3-linux.tar.gz'), '-C', a, 'bin']);
    execFileSync('tar', ['-cJf', join(tmp, 'ver-b/out/tool-1.2.4-linux.tar.xz'), '-C', b, 'bin']);
    const r = json(['ver-a/out', 'ver-b/out']);
    expect([r.code, kinds(r.report)]).toEqual([1, ['pie-lost']]);
    // A .deb whose data.tar went from xz to zstd, the binary in it changed.
    const deb = (name: string, s: string, z: string) => {
      const d = tree(`${name}/p`, { 'usr/bin/app': s });
      mkdirSync(join(d, 'DEBIAN'));
      writeFileSync(join(d, 'DEBIAN/control'), 'Package: t\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@y>\nDescription: t\n');
      execFileSync('dpkg-deb', ['--build', `-Z${z}`, d, join(tmp, `${name}/t.deb`)], { stdio: 'ignore' });
      return `${name}/t.deb`;
    };
    const d = json([deb('deb-a', 'elf/glibc-pie', 'xz'), deb('deb-b', 'elf/glibc-nopie', 'zstd')]);
    expect([d.code, kinds(d.report)]).toEqual([1, ['pie-lost']]);
  });

  it('an archive of the same name on both sides pairs as such; versions pair only one to one; revisions are versions', () => {
    const pie = tree('keep/pie', { 'bin/x': 'elf/glibc-pie' }), nopie = tree('keep/nopie', { 'bin/x': 'elf/glibc-nopie' });
    for (const d of ['keep/o', 'keep/n', 'rev/o', 'rev/n']) mkdirSync(join(tmp, d), { recursive: true });
    const tgz = (out: string, from: string) => execFileSync('tar', ['-czf', join(tmp, out), '-C', from, 'bin']);
    tgz('keep/o/tool-1.0-linux.tar.gz', pie);
    tgz('keep/n/tool-1.0-linux.tar.gz', nopie);
    tgz('keep/n/tool-1.1-linux.tar.gz', pie);
    const k = json(['--fail-on', 'pie-lost', 'keep/o', 'keep/n']);
    expect(k.code).toBe(1);
    expect(kinds(k.report)).toEqual(['binary-added', 'pie-lost']);
    // A Debian revision (and an Alpine -rN, an rc) is part of the version.
    tgz('rev/o/tool_1.2.3-1_amd64.tar.gz', pie);
    tgz('rev/n/tool_1.2.3-2_amd64.tar.gz', nopie);
    const r = json(['--fail-on', 'pie-lost', 'rev/o', 'rev/n']);
    expect([r.code, kinds(r.report)]).toEqual([1, ['pie-lost']]);
  });

  it('a .deb pairs with its own extracted tree (dpkg-deb -x): its data.tar.*! is not part of the key', () => {
    const d = tree('deb-tree/p', { 'usr/bin/app': 'elf/glibc-pie', 'usr/lib/libfoo.so.1': 'elf/libfoo.so.1' });
    mkdirSync(join(d, 'DEBIAN'));
    writeFileSync(join(d, 'DEBIAN/control'), 'Package: t\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@y>\nDescription: t\n');
    execFileSync('dpkg-deb', ['--build', '-Zxz', d, join(tmp, 'deb-tree/t.deb')], { stdio: 'ignore' });
    execFileSync('dpkg-deb', ['-x', join(tmp, 'deb-tree/t.deb'), join(tmp, 'deb-tree/x')]);
    for (const [o, n] of [['deb-tree/t.deb', 'deb-tree/x'], ['deb-tree/x', 'deb-tree/t.deb']]) {
      const r = json([o, n]);
      expect([r.code, r.report.changes], `${o} → ${n}`).toEqual([0, []]);
      expect(r.report.binaries.map((b: { file: string }) => b.file)).toEqual(['usr/bin/app', 'usr/lib/libfoo.so.1']);
    }
    // The binary in the tree changed: a change of the one binary, not a removal and an addition.
    copyFileSync(sample('elf/glibc-nopie'), join(tmp, 'deb-tree/x/usr/bin/app'));
    const r = json(['deb-tree/t.deb', 'deb-tree/x']);
    expect([r.code, r.report.changes.map((c: { kind: string; file: string }) => `${c.kind} ${c.file}`)]).toEqual([1, ['pie-lost usr/bin/app']]);
  });

  it('a tar appended to holds two members of one name: the last is compared, as tar x keeps it; the first is shadowed', () => {
    const pie = tree('dup/pie', { 'bin/x': 'elf/glibc-pie' }), nopie = tree('dup/nopie', { 'bin/x': 'elf/glibc-nopie' });
    execFileSync('tar', ['-cf', join(tmp, 'dup/o.tar'), '-C', pie, 'bin']);
    execFileSync('tar', ['-cf', join(tmp, 'dup/n.tar'), '-C', pie, 'bin']);
    execFileSync('tar', ['-rf', join(tmp, 'dup/n.tar'), '-C', nopie, 'bin']);
    const r = json(['dup/o.tar', 'dup/n.tar']);
    expect([r.code, kinds(r.report)]).toEqual([1, ['pie-lost']]);
    expect(r.report.notes).toEqual([{ side: 'new', file: 'dup/n.tar!bin/x', code: 'shadowed' }]);
    expect(cli(['diff', 'dup/o.tar', 'dup/n.tar'], { cwd: tmp }).stdout).toContain('note: new: dup/n.tar!bin/x: shadowed');
  });

  it('every format renders (markdown, github, table)', () => {
    const args = [sample('pe/msvc/x64/mt_like.dll'), sample('pe/msvc/x64/md_like.dll')];
    const md = cli(['diff', '--format', 'markdown', ...args], { cwd: tmp });
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| ✗ | `crt-changed` |');
    const gh = cli(['diff', '--format', 'github', ...args], { cwd: tmp });
    expect(gh.stdout).toMatch(/^::error file=.*title=linkplan diff crt-changed%3A C runtime model changed::/m);
    expect(cli(['diff', ...args], { cwd: tmp }).stdout).toContain('uses the msvc-dynamic C runtime now, was msvc-static');
  });
});

describe('linkplan diff: a build against itself is no change', () => {
  it.each(['elf', 'elf-tree', 'macho', 'pe', 'rust'])('samples/%s', (d) => {
    const r = json([sample(d), sample(d)]);
    expect(r.report.changes).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('samples/misc (deliberately broken files): no change, but exit 2', () => {
    const r = json([sample('misc'), sample('misc')]);
    expect(r.report.changes).toEqual([]);
    expect(r.code).toBe(2);
  });

  it('the corpus, unpacked and as published tarballs', () => {
    for (const d of [CORPUS, TGZ]) {
      const r = json([d, d]);
      expect(r.report.changes).toEqual([]);
      expect(r.report.summary.binaries).toBeGreaterThanOrEqual(13);
      expect(r.code).toBe(0);
    }
  });
});

describe('linkplan diff: real releases', () => {
  it('@esbuild/linux-x64 0.24.0 → 0.25.0 (tarballs): the binary pairs across the package/ folder, no linkage change', () => {
    const r = json([join(TGZ, '@esbuild__linux-x64@0.24.0.tgz'), join(TGZ, '@esbuild__linux-x64@0.25.0.tgz')]);
    expect(r.report.binaries).toEqual([expect.objectContaining({ file: 'bin/esbuild', status: 'same' })]);
    expect(r.report.changes).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('rollup 4.34.8 glibc vs musl build (renamed .node, paired with --map)', () => {
    const o = join(TGZ, '@rollup__rollup-linux-x64-gnu@4.34.8.tgz'), n = join(TGZ, '@rollup__rollup-linux-x64-musl@4.34.8.tgz');
    const unmapped = json([o, n]);
    expect(kinds(unmapped.report)).toEqual(['binary-added', 'binary-removed']);
    const r = json(['--map', 'rollup.linux-x64-gnu.node=rollup.linux-x64-musl.node', o, n]);
    expect(r.code).toBe(1);
    const ks = kinds(r.report);
    expect(ks).toEqual(expect.arrayContaining(['libc-changed', 'needed-added', 'needed-removed', 'floor-lowered']));
    const libc = r.report.changes.find((c: { kind: string }) => c.kind === 'libc-changed');
    expect(libc.args).toEqual({ old: 'glibc', new: 'musl' });
    expect(r.report.changes.filter((c: { kind: string }) => c.kind === 'needed-added').map((c: { subject: string }) => c.subject))
      .toContain('libc.musl-x86_64.so.1');
  });

  it('biome 1.9.4 glibc vs musl build: dynamic → static-pie, the glibc floor gone', () => {
    const r = json([join(CORPUS, '@biomejs__cli-linux-x64@1.9.4'), join(CORPUS, '@biomejs__cli-linux-x64-musl@1.9.4')]);
    expect(r.code).toBe(1);
    const by = (k: string) => r.report.changes.filter((c: { kind: string }) => c.kind === k);
    expect(by('linkage-changed')[0]).toMatchObject({ severity: 'improvement', args: { old: 'dynamic', new: 'static-pie' } });
    expect(by('interpreter-changed')[0]).toMatchObject({ severity: 'improvement', args: { old: '/lib64/ld-linux-x86-64.so.2', new: null } });
    expect(by('floor-lowered').map((c: { subject: string }) => c.subject).sort()).toEqual(['gcc', 'glibc']);
    expect(by('needed-removed').map((c: { subject: string }) => c.subject)).toContain('libc.so.6');
    expect(r.report.summary.regressions).toBe(0);
  });
});
