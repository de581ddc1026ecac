/**
 * The plan's rules over resolution (deps.resolve, deps.allow-provenance) and the shipped trees they resolve in:
 * binaries built at test time (test/resolve-builders.ts) in memory, then the committed samples on disk.
 */
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import type { BinaryResult } from '../src/facts/types.js';
import { inspectSource } from '../src/inspect.js';
import { evaluate, planResolves, startEvaluation } from '../src/plan/evaluate.js';
import { describeFinding } from '../src/plan/messages.js';
import type { VerifyReport } from '../src/plan/model.js';
import { MemorySysroot } from '../src/resolve/memory.js';
import { MountedSysroot } from '../src/resolve/mounted.js';
import { placeOf, ShippedTrees } from '../src/resolve/shipped.js';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli, facts, sample } from './helpers.js';
import { planFor, run } from './plan-helpers.js';
import { elf } from './resolve-builders.js';

const LIBC = elf({ soname: 'libc.so.6', interp: null });
/** The program interpreter the builders' executables name: a root without it starts nothing (deps-resolve says so). */
const LDSO = { '/lib64/ld-linux-x86-64.so.2': elf({ soname: 'ld-linux-x86-64.so.2', interp: null }) };
const member = (path: string, b: Uint8Array): BinaryResult => inspectSource(new MemorySource(b, path), path);

/** A tarball's members as verify streams them (app.tgz!bin/app, app.tgz!lib/…), held, then evaluated over a root with libc. */
function verifyTarball(toml: string, members: Record<string, Uint8Array | { link: string }>,
  root = new MemorySysroot({ ...LDSO, '/lib/x86_64-linux-gnu/libc.so.6': LIBC })): VerifyReport {
  const trees = new ShippedTrees([{ label: 'app.tgz', at: '/dist/app.tgz!' }]);
  for (const [name, node] of Object.entries(members)) {
    const path = `app.tgz!${name}`;
    if (node instanceof Uint8Array) trees.add(member(path, node), name, 0);
    else trees.link(path, node.link, false, 0);
  }
  const ev = startEvaluation(planFor(toml), {});
  trees.replay({ base: root, inspect: inspectSource, rootLabel: 'root' }, (r, inner, _i, resolve) => ev.add(r, inner, resolve));
  return ev.finish();
}

const rules = (r: VerifyReport) => r.findings.map((f) => `${f.rule}:${(f.args as { name?: string }).name ?? ''}`);

describe('deps.resolve = "inside-root" over a tarball in memory', () => {
  const app = elf({ needed: ['libfoo.so.1', 'libc.so.6'], runpath: ['$ORIGIN/../lib'] });
  // DT_RPATH applies to the dependencies of dependencies too (glibc: the loader chain's RPATH), DT_RUNPATH does not.
  const appRpath = elf({ needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib'] });
  const ofApp = (r: VerifyReport) => rules({ ...r, findings: r.findings.filter((f) => f.file === 'app.tgz!bin/app') });
  const foo = elf({ soname: 'libfoo.so.1', needed: ['libbar.so.1', 'libc.so.6'], interp: null });
  const bar = elf({ soname: 'libbar.so.1', needed: ['libc.so.6'], interp: null });

  it('holds when every library is found through $ORIGIN in the tarball or in the root', () => {
    const r = verifyTarball('deps.resolve = "inside-root"', { 'bin/app': appRpath, 'lib/libfoo.so.1': foo, 'lib/libbar.so.1': bar });
    expect(r.errors).toEqual([]);
    expect(ofApp(r)).toEqual([]);
    // libfoo.so.1 checked on its own has no search path of its own for libbar: that finding is about libfoo.
    expect(rules(r)).toEqual(['deps-resolve:libbar.so.1']);
    expect(r.findings[0].file).toBe('app.tgz!lib/libfoo.so.1');
  });

  it('a library shipped in the wrong directory is not found: one finding, the search as evidence', () => {
    // libfoo is shipped, but next to the binary: DT_RUNPATH $ORIGIN/../lib does not look there.
    const r = verifyTarball('deps.resolve = "inside-root"', { 'bin/app': app, 'bin/libfoo.so.1': foo });
    const f = r.findings.filter((x) => x.file === 'app.tgz!bin/app');
    expect(f.map((x) => x.rule)).toEqual(['deps-resolve']);
    expect(f[0]).toMatchObject({ field: 'DT_NEEDED', expected: 'inside-root', actual: 'missing', args: { name: 'libfoo.so.1', depth: 0, status: 'missing' } });
    expect(f[0].evidence).toEqual(expect.arrayContaining([
      { field: 'expand', value: 'from=$ORIGIN/../lib to=/dist/app.tgz!/bin/../lib' },
      { field: 'absent', value: 'path=/dist/app.tgz!/lib/libfoo.so.1 via=runpath' },
      { field: 'not-found', value: '' },
    ]));
    expect(describeFinding(f[0])).toBe('libfoo.so.1 is not found where the loader looks');
    // What a missing dependency of each kind does: an upward or re-exported dylib stops the start as a needed one does.
    const as = (kind: string) => describeFinding({ ...f[0], args: { ...f[0].args, kind } } as typeof f[0]);
    for (const k of ['needed', 'import', 'load', 'upward', 'reexport']) expect(as(k), k).toBe('libfoo.so.1 is not found where the loader looks');
    expect(as('delay-import')).toBe('libfoo.so.1 is not found where the loader looks (delay-import: it fails when first used)');
    expect(as('lazy')).toBe('libfoo.so.1 is not found where the loader looks (lazy: it fails when first used)');
    expect(as('weak')).toBe('libfoo.so.1 is not found where the loader looks (weak: the program starts without it)');
  });

  it('a dependency of a dependency: RUNPATH applies to the object\'s own NEEDED only, so libbar is missing below libfoo', () => {
    const r = verifyTarball('deps.resolve = "inside-root"', { 'bin/app': app, 'lib/libfoo.so.1': foo, 'lib/libbar.so.1': bar });
    const f = r.findings.filter((x) => x.file === 'app.tgz!bin/app');
    expect(f.map((x) => `${x.args && (x.args as { name: string }).name}@${(x.args as { depth: number }).depth}`)).toEqual(['libbar.so.1@1']);
    expect(describeFinding(f[0])).toBe('libbar.so.1 (needed by /dist/app.tgz!/lib/libfoo.so.1) is not found where the loader looks');
  });

  it('deps.provided: what the channel installs is not a violation; an absolute RPATH into /opt is "other"', () => {
    const r = verifyTarball('deps.resolve = "inside-root"\ndeps.provided = ["libfoo.so.*"]', { 'bin/app': elf({ needed: ['libfoo.so.1', 'libc.so.6'] }) });
    expect(rules(r)).toEqual([]);
    const opt = new MemorySysroot({ ...LDSO, '/lib/x86_64-linux-gnu/libc.so.6': LIBC, '/opt/x/libfoo.so.1': foo, '/opt/x/libbar.so.1': bar });
    const o = verifyTarball('deps.resolve = "inside-root"', { 'bin/app': elf({ needed: ['libfoo.so.1', 'libc.so.6'], rpath: ['/opt/x'] }) }, opt);
    // libbar is found through the inherited DT_RPATH, in /opt too.
    expect(o.findings.map((x) => [x.rule, (x.args as { name: string }).name, x.actual]))
      .toEqual([['deps-resolve', 'libfoo.so.1', 'other'], ['deps-resolve', 'libbar.so.1', 'other']]);
  });

  it('a symlink in the tarball is followed inside it; one pointing out of it resolves inside it too, never to the root', () => {
    const ok = verifyTarball('deps.resolve = "inside-root"', {
      'bin/app': app, 'lib/libfoo.so.1.2': foo, 'lib/libfoo.so.1': { link: 'libfoo.so.1.2' }, 'lib/libbar.so.1': bar,
      'lib/libbar.so.1x': { link: '/lib/libbar.so.1' },
    });
    expect(rules(ok).filter((x) => x.startsWith('deps-resolve:libfoo'))).toEqual([]);
    // The root has /lib/x86_64-linux-gnu/libc.so.6; an absolute link inside the tarball means the tarball's own /.
    const out = verifyTarball('deps.resolve = "inside-root"', {
      'bin/app': elf({ needed: ['libc2.so', 'libc.so.6'], runpath: ['$ORIGIN/../lib'] }), 'lib/libc2.so': { link: '/lib/x86_64-linux-gnu/libc.so.6' },
    });
    expect(rules(out)).toEqual(['deps-resolve:libc2.so']);
  });
});

describe('deps.allow-provenance', () => {
  it('bundled, system: each found dependency\'s provenance must be listed', () => {
    const members = {
      'bin/app': elf({ needed: ['libfoo.so.1', 'libc.so.6'], runpath: ['$ORIGIN/../lib'] }), 'lib/libfoo.so.1': elf({ soname: 'libfoo.so.1', interp: null }),
    };
    expect(rules(verifyTarball('deps.allow-provenance = ["system", "bundled"]', members))).toEqual([]);
    const r = verifyTarball('deps.allow-provenance = ["system"]', members);
    expect(rules(r)).toEqual(['deps-provenance:libfoo.so.1']);
    expect(describeFinding(r.findings[0])).toBe('libfoo.so.1 resolves to /dist/app.tgz!/lib/libfoo.so.1 (bundled), expected only system');
  });
});

describe('resolution in the evaluation', () => {
  it('is asked for only when a deps.* rule runs, once per binary', () => {
    let calls = 0;
    const resolve = () => { calls++; return []; };
    const e = startEvaluation(planFor('linkage = "dynamic"'), {});
    e.add(facts(sample('elf/glibc-pie')), null, resolve);
    expect(calls).toBe(0);
    const d = startEvaluation(planFor('deps.resolve = "inside-root"\ndeps.allow-provenance = ["system"]'), {});
    d.add(facts(sample('elf/glibc-pie')), null, resolve);
    expect(calls).toBe(1);
    expect(planResolves(planFor('deps.resolve = "inside-root"'))).toBe(true);
    expect(planResolves(planFor('deps.resolve = "inside-root"\nseverity.deps-resolve = "off"'))).toBe(false);
    expect(planResolves(planFor('linkage = "dynamic"'))).toBe(false);
  });

  it('without a resolver a deps.* rule cannot run: the binary is unanalysable, never passed', () => {
    const r = evaluate(planFor('deps.resolve = "inside-root"'), [facts(sample('elf/glibc-pie'))]);
    expect(r.errors).toEqual([{ file: sample('elf/glibc-pie'), code: 'no-resolution', message: expect.stringContaining('deps.* rules') }]);
    expect(r.binaries[0].status).toBe('error');
  });
});

describe('shipped trees', () => {
  it('place members by their path inside the input; names that leave it are not placed', () => {
    expect(placeOf('app.tgz', 'app.tgz!./pkg/bin/app')).toBe('/pkg/bin/app');
    expect(placeOf('dist', 'dist/lib/x.so')).toBe('/lib/x.so');
    expect(placeOf('dist', 'dist/inner.tgz!lib/x.so')).toBe('/inner.tgz!/lib/x.so');
    expect(placeOf('bin/tool', 'bin/tool')).toBe('/tool');
    expect(placeOf('app.tgz', 'app.tgz!../../etc/passwd')).toBeNull();
    expect(placeOf('app.tgz', 'app.tgz!/etc/passwd')).toBeNull();
    expect(placeOf('app.zip', 'app.zip!C:/x.dll')).toBeNull();
    expect(placeOf('app.zip', 'app.zip!a\\..\\b.dll')).toBeNull();
    const t = new ShippedTrees([{ label: 'a.tgz', at: '/a.tgz!' }]);
    t.add(member('a.tgz!../x.so', LIBC), '../x.so', 0);
    expect(t.unplaced).toEqual(['a.tgz!../x.so']);
  });

  it('a mount answers for its paths, relative to itself; its links stay inside it', () => {
    const base = new MemorySysroot({ '/etc/passwd': new Uint8Array(1), '/lib/libc.so.6': LIBC });
    const tree = new MemorySysroot({ '/lib/a.so': LIBC, '/lib/out.so': { link: '/etc/passwd' }, '/lib/up.so': { link: '../../../../lib/libc.so.6' } });
    const m = new MountedSysroot(base, [{ at: '/x.tgz!', sysroot: tree }]);
    expect(m.isFile('/x.tgz!/lib/a.so')).toBe(true);
    expect(m.realpath('/x.tgz!/lib/a.so')).toBe('/x.tgz!/lib/a.so');
    expect(m.exists('/x.tgz!/lib/out.so')).toBe(false);
    expect(m.realpath('/x.tgz!/lib/up.so')).toBeNull();
    expect(m.isFile('/lib/libc.so.6')).toBe(true);
    expect(m.list('/x.tgz!/lib')).toEqual(['a.so', 'out.so', 'up.so']);
  });

  it('the deepest mount owns its paths, the first of two at one directory answers, and a mount at / is the base', () => {
    const tag = (name: string) => new MemorySysroot({ [`/${name}`]: new Uint8Array(1), '/x/y': new Uint8Array(1) });
    const base = new MemorySysroot({ '/base': new Uint8Array(1), '/a/b/c/base': new Uint8Array(1) });
    const m = new MountedSysroot(base, [
      { at: '/', sysroot: tag('root') }, { at: '/a', sysroot: tag('a') }, { at: '/a/b/c/', sysroot: tag('abc') },
      { at: '/a/b/c', sysroot: tag('abc-second') }, { at: '/a/./b', sysroot: tag('ab') }, { at: '/ab', sysroot: tag('ab2') },
    ]);
    expect(m.isFile('/a/a')).toBe(true);
    expect(m.isFile('/a/b/ab')).toBe(true);
    expect(m.isFile('/a/b/c/abc')).toBe(true);
    expect(m.isFile('/a/b/c/abc-second')).toBe(false);
    expect(m.isFile('/a/b//c/../c/abc')).toBe(true);
    expect(m.isFile('/a/bx/a')).toBe(false); // /a/bx is under /a, not /a/b: /a answers, and has no /bx/a
    expect(m.isFile('/ab/ab2')).toBe(true);
    expect(m.isFile('/base')).toBe(true);
    expect(m.isFile('/root')).toBe(false);
    expect(m.realpath('/a/b/c/x/y')).toBe('/a/b/c/x/y');
    expect(m.isFile('/a/b/c')).toBe(false); // the mount's own directory is its '/', not a file
  });

  it('replay reads each library once for all the binaries that need it', () => {
    const app = elf({ needed: ['libc.so.6'] });
    const trees = new ShippedTrees([{ label: 'a.tgz', at: '/a.tgz!' }, { label: 'b.tgz', at: '/b.tgz!' }]);
    trees.add(member('a.tgz!bin/a', app), 'bin/a', 0);
    trees.add(member('b.tgz!bin/b', app), 'bin/b', 1);
    const reads: string[] = [];
    const inspect = (src: Parameters<typeof inspectSource>[0], path: string) => { reads.push(path); return inspectSource(src, path); };
    const root = new MemorySysroot({ ...LDSO, '/lib/x86_64-linux-gnu/libc.so.6': LIBC });
    const resolved: string[] = [];
    trees.replay({ base: root, inspect }, (_r, _inner, _i, resolve) => {
      for (const x of resolve()) resolved.push(...x.deps.map((d) => `${d.name} ${d.status} ${d.path}`));
    });
    expect(resolved).toEqual(Array(2).fill('libc.so.6 found /lib/x86_64-linux-gnu/libc.so.6'));
    expect(reads.filter((p) => p.endsWith('libc.so.6'))).toEqual(['/lib/x86_64-linux-gnu/libc.so.6']);
  });

  it('a replay over another base reads the libraries again (what one root holds is not what another does)', () => {
    const app = elf({ needed: ['libc.so.6'] });
    const trees = new ShippedTrees([{ label: 'a.tgz', at: '/a.tgz!' }, { label: 'b.tgz', at: '/b.tgz!' }]);
    const deps: string[] = [];
    const replay = (libc: Uint8Array) => trees.replay(
      { base: new MemorySysroot({ ...LDSO, '/lib/x86_64-linux-gnu/libc.so.6': libc }), inspect: inspectSource },
      (_r, _inner, _i, resolve) => {
        for (const x of resolve()) deps.push(x.deps.flatMap((d) => [d.name, ...d.deps.map((e) => e.name)]).join(' '));
      },
    );
    trees.add(member('a.tgz!bin/a', app), 'bin/a', 0);
    replay(LIBC);
    trees.add(member('b.tgz!bin/b', app), 'bin/b', 1);
    // The second root's libc needs a library of its own: seen only if it is read from that root.
    replay(elf({ soname: 'libc.so.6', interp: null, needed: ['libextra.so'] }));
    expect(deps).toEqual(['libc.so.6', 'libc.so.6 libextra.so']);
  });

  it('replays after each input (verify) share those reads, and see a tree read after an earlier replay looked in it', () => {
    // a.tgz's app needs libb.so from b.tgz (an absolute RUNPATH into it); b.tgz is read after a.tgz's replay.
    const app = elf({ needed: ['libb.so', 'libc.so.6'], runpath: ['/b.tgz!/lib'] });
    const trees = new ShippedTrees([{ label: 'a.tgz', at: '/a.tgz!' }, { label: 'b.tgz', at: '/b.tgz!' }]);
    const reads: string[] = [];
    const inspect = (src: Parameters<typeof inspectSource>[0], path: string) => { reads.push(path); return inspectSource(src, path); };
    const opts = { base: new MemorySysroot({ ...LDSO, '/lib/x86_64-linux-gnu/libc.so.6': LIBC }), inspect };
    const resolved: string[] = [];
    const replay = () => trees.replay(opts, (r, _inner, _i, resolve) => {
      for (const x of resolve()) resolved.push(`${r.path}: ${x.deps.map((d) => `${d.name} ${d.status}`).join(', ')}`);
    });
    trees.add(member('a.tgz!bin/a', app), 'bin/a', 0);
    replay();
    trees.add(member('b.tgz!bin/b', app), 'bin/b', 1);
    trees.add(member('b.tgz!lib/libb.so', elf({ soname: 'libb.so', needed: ['libc.so.6'] })), 'lib/libb.so', 1);
    replay();
    expect(resolved).toEqual([
      'a.tgz!bin/a: libb.so missing, libc.so.6 found',
      'b.tgz!bin/b: libb.so found, libc.so.6 found',
      'b.tgz!lib/libb.so: libc.so.6 found',
    ]);
    expect(reads.filter((p) => p.endsWith('libc.so.6'))).toEqual(['/lib/x86_64-linux-gnu/libc.so.6']);
  });
});

describe('deps rules on the committed samples (resolved on disk against / of this machine)', () => {
  it.each([
    ['deps.resolve = "inside-root"', 'elf-tree/bin/use-rpath', 'rust/use-rdy', ['deps-resolve:librdy.so', 'deps-resolve:libstd-d1237ef7159db0a2.so']],
    ['deps.resolve = "inside-root"', 'pe/mingw/usefoo.exe', 'pe/mingw/cxx-dyn.exe', ['deps-resolve:libgcc_s_seh-1.dll', 'deps-resolve:libstdc++-6.dll']],
    ['deps.resolve = "inside-root"', 'macho/arm64/bin/usefoo', 'macho/arm64/bin/homebrew-user',
      ['deps-resolve:/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib', 'deps-resolve:/Users/runner/work/proj/target/release/libfoo.dylib']],
    ['deps.allow-provenance = ["system"]', 'elf/glibc-pie', 'elf-tree/bin/use-rpath', ['deps-provenance:libfoo.so.1']],
    ['deps.allow-provenance = ["apple-system"]', 'macho/x86_64/bin/hello', 'macho/arm64/bin/usefoo',
      ['deps-provenance:@rpath/libfoo.dylib', 'deps-provenance:@rpath/libbar.dylib']],
    ['deps.allow-provenance = ["system", "crt"]', 'pe/mingw/hello.exe', 'pe/mingw/usefoo.exe', ['deps-provenance:foo.dll']],
  ])('%s: %s holds, %s does not', (toml, holds, violates, expected) => {
    const p = planFor(toml);
    const good = run(p, [facts(sample(holds))]);
    expect(good.errors).toEqual([]);
    expect(good.findings.map((f) => describeFinding(f))).toEqual([]);
    const bad = run(p, [facts(sample(violates))]);
    expect(bad.errors).toEqual([]);
    expect(rules(bad)).toEqual(expected);
    for (const f of bad.findings) expect(describeFinding(f)).not.toMatch(/undefined|null|\[object/);
  });
});

describe('binaries named through symbolic links, under a deps.* rule (verify holds each input\'s facts)', () => {
  const plan = (d: string) => {
    const p = join(d, 'deps.toml');
    writeFileSync(p, '[[artifact]]\nname = "all"\npath = "**"\ndeps.resolve = "inside-root"\n');
    return p;
  };
  const statuses = (stdout: string) => JSON.parse(stdout).binaries.map((b: { file: string; status: string }) => [b.file, b.status]);
  /** `body` in a fresh temporary directory, removed after. */
  const inTemp = (prefix: string, body: (d: string) => void) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    try {
      body(d);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  };

  it('a link is resolved as the file it leads to, from that file\'s directory (/usr/bin/awk -> /etc/alternatives/awk)', () => {
    inTemp('linkplan-links-', (d) => {
      mkdirSync(join(d, 'bin'));
      // An absolute link out of its directory to a binary whose RUNPATH ($ORIGIN/../lib) finds libfoo.so.1 beside its
      // own directory: from the link's place (d/bin, with no d/lib) it would not. The loader runs the target and takes
      // $ORIGIN from its real path. (Before: "could not be analysed: not a readable file", as the link's directory
      // alone was mounted.)
      symlinkSync(sample('elf-tree/bin/use-runpath'), join(d, 'bin/x'));
      symlinkSync(join(d, 'missing'), join(d, 'bin/dangling'));
      const inputs = [join(d, 'bin/x'), sample('elf-tree/bin/link-in'), sample('elf-tree/bin/use-rpath'), sample('elf-tree/bin/link-out-rel')];
      const r = cli(['verify', '--plan', plan(d), '--format', 'json', ...inputs]);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      expect(statuses(r.stdout)).toEqual(inputs.map((i) => [i, 'pass']));
      expect(r.code).toBe(0);
      // A dangling link: one line naming it, and the run goes on.
      const a = cli(['verify', '--plan', plan(d), '--format', 'json', join(d, 'bin/dangling'), join(d, 'bin/x')]);
      expect(statuses(a.stdout)).toEqual([[join(d, 'bin/dangling'), 'error'], [join(d, 'bin/x'), 'pass']]);
      expect(a.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bin\/dangling: .*no such file/i)]);
      expect(a.code).toBe(2);
    });
  });

  it('a main program named through a link has the $ORIGIN of its real path; a library, of the path it is named by', () => {
    inTemp('linkplan-links-', (d) => {
      // B holds a program and a library, each with RUNPATH $ORIGIN and needing libdep.so, which only B holds; A links
      // to both. glibc takes the program's $ORIGIN from /proc/self/exe (B) and the library's from the path it was
      // opened by (A, where LD_DEBUG shows ld.so look for A/libdep.so and fail).
      mkdirSync(join(d, 'A'));
      mkdirSync(join(d, 'B'));
      writeFileSync(join(d, 'B/main'), elf({ needed: ['libdep.so', 'libc.so.6'], runpath: ['$ORIGIN'] }));
      writeFileSync(join(d, 'B/libx.so.1'), elf({ soname: 'libx.so.1', needed: ['libdep.so', 'libc.so.6'], runpath: ['$ORIGIN'], interp: null }));
      writeFileSync(join(d, 'B/libdep.so'), elf({ soname: 'libdep.so', needed: ['libc.so.6'], interp: null }));
      symlinkSync('../B/main', join(d, 'A/main'));
      symlinkSync('../B/libx.so.1', join(d, 'A/libx.so.1'));
      const r = cli(['verify', '--plan', plan(d), '--format', 'json', join(d, 'A/main'), join(d, 'A/libx.so.1')]);
      const j = JSON.parse(r.stdout);
      expect(statuses(r.stdout)).toEqual([[join(d, 'A/main'), 'pass'], [join(d, 'A/libx.so.1'), 'fail']]);
      expect(j.findings.map((f: { rule: string; file: string; actual: unknown }) => [f.rule, f.file])).toEqual([['deps-resolve', join(d, 'A/libx.so.1')]]);
      expect(r.code).toBe(1);
      // linkplan resolve, the same way: the program finds libdep.so from B, the library does not from A.
      const res = cli(['resolve', '--format', 'json', join(d, 'A/main'), join(d, 'A/libx.so.1')]);
      const dep = (i: number) => JSON.parse(res.stdout).results[i].deps.find((x: { name: string }) => x.name === 'libdep.so');
      expect([dep(0).status, dep(0).path, dep(1).status]).toEqual(['found', join(d, 'B/libdep.so'), 'missing']);
    });
  });

  it('a library beside a file named by itself that is a link out of its directory is found, as ld.so finds it', () => {
    inTemp('linkplan-links-', (d) => {
      // opt/app/bin/libfoo.so.1 -> ../lib/libfoo.so.1; app's RUNPATH is $ORIGIN. Inside the root (here /), the
      // directory is the root's, whose links lead where the loader's do; mounted alone, it had kept the link inside.
      mkdirSync(join(d, 'opt/app/bin'), { recursive: true });
      mkdirSync(join(d, 'opt/app/lib'));
      writeFileSync(join(d, 'opt/app/lib/libfoo.so.1'), elf({ soname: 'libfoo.so.1', needed: ['libc.so.6'], interp: null }));
      symlinkSync('../lib/libfoo.so.1', join(d, 'opt/app/bin/libfoo.so.1'));
      writeFileSync(join(d, 'opt/app/bin/app'), elf({ needed: ['libfoo.so.1', 'libc.so.6'], runpath: ['$ORIGIN'] }));
      const r = cli(['verify', '--plan', plan(d), '--format', 'json', join(d, 'opt/app/bin/app')]);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      expect(statuses(r.stdout)).toEqual([[join(d, 'opt/app/bin/app'), 'pass']]);
      expect(r.code).toBe(0);
    });
  });

  it('under --root, a link this machine follows to another file than the root does is not analysed (nor judged by that file)', () => {
    inTemp('linkplan-links-', (d) => {
      // root/bin/x -> <use-rpath's absolute path>. This machine follows it to use-rpath (glibc, RPATH $ORIGIN/../lib);
      // the root follows it to root<that path>, a fully static musl binary. Judged by what was read here, the binary
      // would pass or fail as another file: it is "could not be analysed", naming the root's file.
      const root = join(d, 'root');
      const target = sample('elf-tree/bin/use-rpath');
      mkdirSync(join(root, 'bin'), { recursive: true });
      mkdirSync(join(root, dirname(target)), { recursive: true });
      copyFileSync(sample('elf/musl-static'), join(root, target));
      symlinkSync(target, join(root, 'bin/x'));
      // A link the root and this machine follow to the same file (relative, inside the root) is analysed.
      symlinkSync(`..${target}`, join(root, 'bin/same'));
      const r = cli(['verify', '--plan', plan(d), '--format', 'json', '--root', root, join(root, 'bin/x'), join(root, 'bin/same')]);
      const j = JSON.parse(r.stdout);
      expect(statuses(r.stdout)).toEqual([[join(root, 'bin/x'), 'error'], [join(root, 'bin/same'), 'pass']]);
      expect(j.errors.map((e: { file: string; message: string }) => [e.file, e.message])).toEqual([
        [join(root, 'bin/x'), `a link that the root follows to ${join(root, target)}, and this machine to another file or none: name that file`],
      ]);
      expect(j.binaries[1].facts.linkage).toBe('static');
      expect(r.code).toBe(2);
      // Named through a root named through a link of its own: the same.
      symlinkSync(root, join(d, 'rootlink'));
      const l = cli(['verify', '--plan', plan(d), '--format', 'json', '--root', join(d, 'rootlink'), join(d, 'rootlink/bin/same')]);
      expect(statuses(l.stdout)).toEqual([[join(d, 'rootlink/bin/same'), 'pass']]);
      // An absolute link the root follows and this machine cannot: the same line, naming the root's file.
      mkdirSync(join(root, 'opt/tool'), { recursive: true });
      copyFileSync(sample('elf/musl-static'), join(root, 'opt/tool/real'));
      symlinkSync('/opt/tool/real', join(root, 'bin/nowhere-here'));
      const n = cli(['verify', '--plan', plan(d), '--format', 'json', '--root', root, join(root, 'bin/nowhere-here')]);
      expect(JSON.parse(n.stdout).errors.map((e: { message: string }) => e.message)).toEqual([
        `a link that the root follows to ${join(root, 'opt/tool/real')}, and this machine to another file or none: name that file`,
      ]);
      expect(n.code).toBe(2);
      // Not a link itself, but named through a directory that is one (root/bin -> /usr/bin, absolute): the same,
      // whether this machine has another file there (/usr/bin/env) or none.
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      copyFileSync(sample('elf/musl-static'), join(root, 'usr/bin/env'));
      copyFileSync(sample('elf/musl-static'), join(root, 'usr/bin/linkplan-only-in-root'));
      rmSync(join(root, 'bin'), { recursive: true });
      symlinkSync('/usr/bin', join(root, 'bin'));
      const via = [join(root, 'bin/env'), join(root, 'bin/linkplan-only-in-root')];
      const v = cli(['verify', '--plan', plan(d), '--format', 'json', '--root', root, ...via]);
      expect(JSON.parse(v.stdout).errors.map((e: { file: string; message: string }) => [e.file, e.message])).toEqual(via.map((f) => [
        f, `a link that the root follows to ${join(root, 'usr', f.slice(root.length + 1))}, and this machine to another file or none: name that file`,
      ]));
      // Without the root's copy, the link leads nowhere in the root: it is not resolved as this machine's file.
      rmSync(join(root, target));
      rmSync(join(root, 'bin'));
      mkdirSync(join(root, 'bin'));
      symlinkSync(target, join(root, 'bin/x'));
      const gone = cli(['verify', '--plan', plan(d), '--format', 'json', '--root', root, join(root, 'bin/x')]);
      expect(JSON.parse(gone.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['no-resolution']);
      expect(gone.code).toBe(2);
    });
  });

  it('a library found through the system\'s search path is "system" however its directory is spelled (merged /usr)', () => {
    inTemp('linkplan-usr-', (d) => {
      // A root whose /lib is a link to usr/lib, ld.so.conf naming both spellings (Debian 12's layout). libapp.so needs
      // libdep.so.1 beside it: found through ld.so.conf's /lib/x86_64-linux-gnu, it is the system's, whether libapp.so
      // is named under /lib or under /usr/lib (named under /lib, its tree was that spelling, and libdep "bundled").
      const root = join(d, 'root');
      const lib = join(root, 'usr/lib/x86_64-linux-gnu');
      mkdirSync(lib, { recursive: true });
      mkdirSync(join(root, 'etc'));
      symlinkSync('usr/lib', join(root, 'lib'));
      writeFileSync(join(root, 'etc/ld.so.conf'), '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n');
      writeFileSync(join(lib, 'libc.so.6'), elf({ soname: 'libc.so.6', interp: null }));
      writeFileSync(join(lib, 'libdep.so.1'), elf({ soname: 'libdep.so.1', needed: ['libc.so.6'], interp: null }));
      writeFileSync(join(lib, 'libapp.so'), elf({ soname: 'libapp.so', needed: ['libdep.so.1', 'libc.so.6'], interp: null }));
      const p = join(d, 'distro.toml');
      writeFileSync(p, '[[artifact]]\nname = "all"\npath = "**"\ndeps.allow-provenance = ["system"]\n');
      const named = [join(root, 'lib/x86_64-linux-gnu/libapp.so'), join(lib, 'libapp.so')];
      const r = cli(['verify', '--plan', p, '--format', 'json', '--root', root, ...named]);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      expect(statuses(r.stdout)).toEqual(named.map((n) => [n, 'pass']));
      expect(r.code).toBe(0);
      // Found through an absolute RUNPATH into its own directory, spelled otherwise: "bundled" under either name.
      writeFileSync(join(lib, 'libabs.so'), elf({ soname: 'libabs.so', needed: ['libdep.so.1'], runpath: ['/usr/lib/x86_64-linux-gnu'], interp: null }));
      const abs = [join(root, 'lib/x86_64-linux-gnu/libabs.so'), join(lib, 'libabs.so')];
      const a = cli(['verify', '--plan', p, '--format', 'json', '--root', root, ...abs]);
      expect(JSON.parse(a.stdout).findings.map((f: { file: string; actual: unknown }) => [f.file, f.actual])).toEqual(abs.map((f) => [f, 'bundled']));
      // Found through a program's RUNPATH ($ORIGIN), the libraries beside it are still "bundled".
      writeFileSync(join(lib, 'app'), elf({ needed: ['libdep.so.1', 'libc.so.6'], runpath: ['$ORIGIN'] }));
      const app = cli(['verify', '--plan', p, '--format', 'json', '--root', root, join(lib, 'app')]);
      expect(JSON.parse(app.stdout).findings.map((f: { rule: string; actual: unknown; message: string }) => [f.rule, f.actual, f.message])).toEqual([
        ['deps-provenance', 'bundled', 'libdep.so.1 resolves to /usr/lib/x86_64-linux-gnu/libdep.so.1 (bundled), expected only system'],
        ['deps-provenance', 'bundled', 'libc.so.6 resolves to /usr/lib/x86_64-linux-gnu/libc.so.6 (bundled), expected only system'],
      ]);
    });
  });
});
