/**
 * The resolver, loader by loader, over sample trees built at test time (MemorySysroot, and real directories for
 * the cross-checks against lddtree and glibc's own loader). Results are asserted step by step.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectSource } from '../src/inspect.js';
import { DirSysroot } from '../src/node/sysroot.js';
import { shippedInputs } from '../src/node/shipped.js';
import { ShippedTrees } from '../src/resolve/shipped.js';
import { MemorySource, type ByteSource } from '../src/bytes/source.js';
import { MemorySysroot, type MemoryNode, resolveBinary, type ResolveResult, type ResolvedDep, type ResolveOptions } from '../src/resolve/index.js';
import { describeStep } from '../src/resolve/messages.js';
import { normalize } from '../src/resolve/paths.js';
import { renderResolveDot, renderResolveTree } from '../src/report/resolve.js';
import { elf, macho } from './resolve-builders.js';
import { sample } from './helpers.js';

const bytes = (p: string) => new Uint8Array(readFileSync(sample(p)));
/** A 64-bit stand-in for libc.so.6, so a root needs no real C library. */
const LIBC = elf({ soname: 'libc.so.6', interp: null });
/** The program interpreter elf() names by default: a root without it is a finding. */
const LOADER = { '/lib64/ld-linux-x86-64.so.2': elf({ soname: 'ld-linux-x86-64.so.2', interp: null }) };

function resolveIn(files: Record<string, MemoryNode>, path: string, opts: Partial<ResolveOptions> = {}): ResolveResult {
  const r = resolveBinary(path, { sysroot: new MemorySysroot(files), inspect: inspectSource, ...opts });
  expect(r).toHaveLength(1);
  expect(r[0].error).toBeNull();
  return r[0];
}

/** The dependency reached by following names from the top. */
function dep(r: ResolveResult, ...names: string[]): ResolvedDep {
  let deps = r.deps, d: ResolvedDep | undefined;
  for (const n of names) {
    d = deps.find((x) => x.name === n);
    if (!d) throw new Error(`no ${n} among ${deps.map((x) => x.name).join(', ')}`);
    deps = d.deps;
  }
  return d!;
}

const codes = (d: ResolvedDep) => d.steps.map((s) => [s.code, s.args.path ?? s.args.from ?? s.args.name ?? '', s.args.via ?? ''].join(' ').trim());

describe('glibc', () => {
  it("a library's NEEDED is found through its loader's DT_RPATH (transitively)", () => {
    const r = resolveIn({
      '/app/bin/exe': elf({ needed: ['liba.so', 'libc.so.6'], rpath: ['/app/lib'] }),
      '/app/lib/liba.so': elf({ needed: ['libb.so'], soname: 'liba.so', interp: null }),
      '/app/lib/libb.so': elf({ soname: 'libb.so', interp: null }),
      '/lib/x86_64-linux-gnu/libc.so.6': LIBC, ...LOADER,
    }, '/app/bin/exe', { tree: '/app' });
    expect(dep(r, 'liba.so')).toMatchObject({ status: 'found', path: '/app/lib/liba.so', provenance: 'bundled' });
    const b = dep(r, 'liba.so', 'libb.so');
    expect(b).toMatchObject({ status: 'found', path: '/app/lib/libb.so', provenance: 'bundled' });
    // liba.so has no rpath: the first place is the executable's DT_RPATH, named as such.
    expect(b.steps).toEqual([{ code: 'found', args: { path: '/app/lib/libb.so', via: 'rpath', from: '/app/bin/exe' } }]);
    expect(describeStep(b.steps[0])).toBe('/app/lib/libb.so: found (DT_RPATH of /app/bin/exe)');
    expect(dep(r, 'libc.so.6')).toMatchObject({ status: 'found', path: '/lib/x86_64-linux-gnu/libc.so.6', provenance: 'system' });
    expect(r.findings).toEqual([]);
  });

  it('a $ORIGIN path that climbs out of an archive\'s tree reaches what it does not ship: not bundled', () => {
    const files = {
      '/app.tgz!/bin/exe': elf({ needed: ['libc.so.6', 'libown.so'], rpath: ['$ORIGIN/../../lib/x86_64-linux-gnu', '$ORIGIN/../lib'] }),
      '/app.tgz!/lib/libown.so': elf({ soname: 'libown.so', interp: null }), '/lib/x86_64-linux-gnu/libc.so.6': LIBC, ...LOADER,
    };
    const r = resolveIn(files, '/app.tgz!/bin/exe', { tree: '/app.tgz!' });
    expect(dep(r, 'libc.so.6')).toMatchObject({ status: 'found', path: '/lib/x86_64-linux-gnu/libc.so.6', provenance: 'other' });
    expect(dep(r, 'libown.so')).toMatchObject({ status: 'found', path: '/app.tgz!/lib/libown.so', provenance: 'bundled' });
    // A directory's tree is where the search started: what $ORIGIN reaches beside it on disk ships with it.
    expect(dep(resolveIn(files, '/app.tgz!/bin/exe', { tree: '/app.tgz!/bin' }), 'libown.so').provenance).toBe('bundled');
  });

  it('the same with DT_RUNPATH is not found: RUNPATH applies to the object\'s own NEEDED only', () => {
    const r = resolveIn({
      '/app/bin/exe': elf({ needed: ['liba.so'], runpath: ['/app/lib'] }),
      '/app/lib/liba.so': elf({ needed: ['libb.so'], soname: 'liba.so', interp: null }),
      '/app/lib/libb.so': elf({ soname: 'libb.so', interp: null }), ...LOADER,
    }, '/app/bin/exe');
    expect(codes(dep(r, 'liba.so'))).toEqual(['found /app/lib/liba.so runpath']);
    const b = dep(r, 'liba.so', 'libb.so');
    expect(b.status).toBe('missing');
    // Not a multiarch root (no /lib/x86_64-linux-gnu): the upstream default directories, lib64 first (Fedora-style).
    expect(codes(b)).toEqual([
      'absent /lib64/libb.so default', 'absent /usr/lib64/libb.so default', 'absent /lib/libb.so default', 'absent /usr/lib/libb.so default', 'not-found',
    ]);
    expect(r.findings).toEqual([{ code: 'missing', severity: 'error', name: 'libb.so', from: '/app/lib/liba.so', path: null }]);
  });

  it('a multiarch root: the default directories are Debian ld.so\'s, the tuple\'s and /lib:/usr/lib, never lib64', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libq.so', 'libc.so.6'] }), '/lib/x86_64-linux-gnu/libc.so.6': LIBC, '/usr/lib64/libq.so': elf({ interp: null }), ...LOADER,
    }, '/exe');
    expect(codes(dep(r, 'libq.so'))).toEqual([
      'absent /lib/x86_64-linux-gnu/libq.so default', 'absent /usr/lib/x86_64-linux-gnu/libq.so default', 'absent /lib/libq.so default',
      'absent /usr/lib/libq.so default', 'not-found',
    ]);
  });

  it('an object with DT_RUNPATH uses no DT_RPATH, its own or its loaders\'', () => {
    const r = resolveIn({
      '/app/exe': elf({ needed: ['liba.so'], rpath: ['/app/lib'] }),
      '/app/lib/liba.so': elf({ needed: ['libb.so'], runpath: ['/app/other'], soname: 'liba.so', interp: null }),
      '/app/lib/libb.so': elf({ soname: 'libb.so', interp: null }),
      '/app/other/libb.so': elf({ soname: 'libb.so', interp: null }),
    }, '/app/exe');
    const b = dep(r, 'liba.so', 'libb.so');
    expect(codes(b)).toEqual(['rpath-ignored /app/lib/liba.so', 'found /app/other/libb.so runpath']);
  });

  it('LD_LIBRARY_PATH (--env) comes after DT_RPATH and before DT_RUNPATH', () => {
    const files = {
      '/exe-rpath': elf({ needed: ['libx.so'], rpath: ['/r'] }),
      '/exe-runpath': elf({ needed: ['libx.so'], runpath: ['/r'] }),
      '/r/libx.so': elf({ interp: null }), '/env/libx.so': elf({ interp: null }),
    };
    const env = { LD_LIBRARY_PATH: '/env' };
    expect(dep(resolveIn(files, '/exe-rpath', { env }), 'libx.so').path).toBe('/r/libx.so');
    expect(dep(resolveIn(files, '/exe-runpath', { env }), 'libx.so').path).toBe('/env/libx.so');
  });

  it('$ORIGIN in a library is that library\'s directory; ${ORIGIN} too', () => {
    const r = resolveIn({
      '/app/bin/exe': elf({ needed: ['liba.so'], runpath: ['$ORIGIN/../lib'] }),
      '/app/lib/liba.so': elf({ needed: ['libb.so', 'libc2.so'], rpath: ['$ORIGIN/sub:${ORIGIN}/sub2'], soname: 'liba.so', interp: null }),
      '/app/lib/sub/libb.so': elf({ interp: null }),
      '/app/lib/sub2/libc2.so': elf({ interp: null }),
    }, '/app/bin/exe');
    expect(codes(dep(r, 'liba.so'))).toEqual(['expand $ORIGIN/../lib', 'found /app/lib/liba.so runpath']);
    expect(dep(r, 'liba.so').steps[0].args).toEqual({ from: '$ORIGIN/../lib', to: '/app/bin/../lib' });
    const b = dep(r, 'liba.so', 'libb.so');
    expect(b).toMatchObject({ status: 'found', path: '/app/lib/sub/libb.so', provenance: 'bundled' });
    expect(dep(r, 'liba.so', 'libc2.so').path).toBe('/app/lib/sub2/libc2.so');
  });

  it('$LIB: lib/<tuple> on a multiarch root (Debian), lib64 otherwise; $PLATFORM is AT_PLATFORM', () => {
    const exe = elf({ needed: ['liba.so', 'libp.so'], rpath: ['/opt/$LIB', '/opt/${PLATFORM}'] });
    const multi = resolveIn({
      '/exe': exe, '/lib/x86_64-linux-gnu/libc.so.6': LIBC, '/opt/lib/x86_64-linux-gnu/liba.so': elf({ interp: null }),
      '/opt/x86_64/libp.so': elf({ interp: null }),
    }, '/exe');
    expect(dep(multi, 'liba.so').path).toBe('/opt/lib/x86_64-linux-gnu/liba.so');
    expect(dep(multi, 'libp.so').path).toBe('/opt/x86_64/libp.so');
    const flat = resolveIn({ '/exe': exe, '/usr/lib64/libc.so.6': LIBC, '/opt/lib64/liba.so': elf({ interp: null }) }, '/exe');
    expect(dep(flat, 'liba.so')).toMatchObject({ status: 'found', path: '/opt/lib64/liba.so', provenance: 'other' });
  });

  it('/etc/ld.so.conf and its include globs are searched before the default directories', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libconf.so'] }),
      '/etc/ld.so.conf': new TextEncoder().encode('# comment\ninclude /etc/ld.so.conf.d/*.conf\n/opt/first\n'),
      '/etc/ld.so.conf.d/b.conf': new TextEncoder().encode('/opt/b\n'),
      '/etc/ld.so.conf.d/a.conf': new TextEncoder().encode('/opt/a  # trailing\n'),
      '/etc/ld.so.conf.d/a.conf.disabled': new TextEncoder().encode('/opt/never\n'),
      '/opt/b/libconf.so': elf({ interp: null }),
      '/usr/lib/libconf.so': elf({ interp: null }), ...LOADER,
    }, '/exe');
    expect(r.setup.map((s) => `${s.code} ${s.args.file ?? s.args.path}`)).toEqual([
      'ld-so-conf /etc/ld.so.conf', 'ld-so-conf /etc/ld.so.conf.d/a.conf', 'ld-so-conf /etc/ld.so.conf.d/b.conf', 'interpreter /lib64/ld-linux-x86-64.so.2',
    ]);
    expect(codes(dep(r, 'libconf.so'))).toEqual(['absent /opt/a/libconf.so ld-so-conf', 'found /opt/b/libconf.so ld-so-conf']);
    expect(dep(r, 'libconf.so').provenance).toBe('system');
  });

  it('a candidate of the wrong ELF class is skipped, and the right one later in the path is used', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libtiny.so'], rpath: ['/x32', '/x64'] }),
      '/x32/libtiny.so': bytes('elf/libtiny32.so'),
      '/x64/libtiny.so': elf({ soname: 'libtiny.so', interp: null }), ...LOADER,
    }, '/exe');
    const d = dep(r, 'libtiny.so');
    expect(d.steps).toEqual([
      { code: 'skip-wrong-class', args: { path: '/x32/libtiny.so', via: 'rpath', found: 'ELF32 LSB EM_386', wanted: 'ELF64 LSB EM_X86_64' } },
      { code: 'found', args: { path: '/x64/libtiny.so', via: 'rpath' } },
    ]);
    expect(r.findings).toEqual([]);
  });

  it('already-loaded sonames are reused, and the loader itself (PT_INTERP) counts as loaded', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['liba.so', 'libb.so', 'ld-linux-x86-64.so.2'], rpath: ['/l'] }),
      '/l/liba.so': elf({ needed: ['libb.so'], soname: 'liba.so', interp: null }),
      '/l/libb.so': elf({ soname: 'libb.so', interp: null }), ...LOADER,
    }, '/exe');
    expect(dep(r, 'liba.so', 'libb.so')).toMatchObject({ status: 'reused', path: '/l/libb.so' });
    expect(dep(r, 'ld-linux-x86-64.so.2')).toMatchObject({ status: 'reused', path: '/lib64/ld-linux-x86-64.so.2' });
    expect(r.findings).toEqual([]);
  });

  it('a root without the program interpreter is a finding, and a NEEDED of it is then not taken as loaded', () => {
    const r = resolveIn({ '/exe': elf({ needed: ['libc.so.6', 'ld-linux-x86-64.so.2'] }), '/lib/x86_64-linux-gnu/libc.so.6': LIBC }, '/exe');
    expect(r.setup).toContainEqual({ code: 'interpreter-missing', args: { path: '/lib64/ld-linux-x86-64.so.2' } });
    expect(dep(r, 'libc.so.6').status).toBe('found');
    expect(dep(r, 'ld-linux-x86-64.so.2').status).toBe('missing');
    expect(r.findings.slice(0, 1)).toEqual([
      { code: 'missing-interpreter', severity: 'error', name: '/lib64/ld-linux-x86-64.so.2', from: '/exe', path: null },
    ]);
    expect(renderResolveTree(r)).toContain('error: the program interpreter /lib64/ld-linux-x86-64.so.2 (PT_INTERP of /exe) is not found');
  });

  it('an executable without PT_INTERP that names libraries (a broken static-PIE): nothing loads them', () => {
    const files = { '/exe': bytes('elf/musl-static-pie-broken'), '/lib/ld-musl-x86_64.so.1': elf({ interp: null }) };
    const r = resolveIn(files, '/exe');
    expect(dep(r, 'libc.so')).toMatchObject({ status: 'missing', path: null, steps: [{ code: 'no-interpreter', args: { path: '/exe' } }] });
    expect(r.findings).toEqual([{ code: 'not-loaded', severity: 'error', name: 'libc.so', from: '/exe', path: null }]);
    expect(renderResolveTree(r, { why: true })).toContain('/exe has no program interpreter (PT_INTERP): nothing loads its dependencies');
  });

  it('--why words an empty search-path entry as audit does: "" (the current directory)', () => {
    const r = resolveIn({
      '/app/bin/exe': elf({ needed: ['libz.so'], rpath: ['lib', '', '$ORIGIN/../lib'] }), '/app/lib/libz.so': elf({ interp: null }), ...LOADER,
    }, '/app/bin/exe');
    const why = renderResolveTree(r, { why: true });
    expect(why).toContain('· lib: relative to the working directory, which the binary does not determine');
    expect(why).toContain('· "" (the current directory): relative to the working directory, which the binary does not determine');
    expect(why).not.toContain('· : relative');
  });

  it('a relative name with a slash depends on the working directory: ambiguous', () => {
    const r = resolveIn({ '/exe': elf({ needed: ['sub/libx.so'] }), ...LOADER }, '/exe');
    expect(dep(r, 'sub/libx.so').status).toBe('ambiguous');
    expect(r.findings.map((f) => f.code)).toEqual(['ambiguous']);
  });
});

describe('musl', () => {
  const MUSL = '/lib/ld-musl-x86_64.so.1';
  it('reads etc/ld-musl-<arch>.path under the root; the libc names are musl itself', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libz.so.1', 'libc.so'], interp: MUSL }),
      '/etc/ld-musl-x86_64.path': new TextEncoder().encode('/custom/lib\n/usr/lib:/lib\n'),
      '/custom/lib/libz.so.1': elf({ interp: null }), [MUSL]: elf({ interp: null }),
    }, '/exe');
    expect(r.loader).toBe('musl');
    expect(r.setup).toEqual([{ code: 'musl-path', args: { file: '/etc/ld-musl-x86_64.path' } }, { code: 'interpreter', args: { path: MUSL } }]);
    expect(codes(dep(r, 'libz.so.1'))).toEqual(['found /custom/lib/libz.so.1 musl-path']);
    expect(dep(r, 'libc.so')).toMatchObject({ status: 'present', path: MUSL, steps: [{ code: 'reused', args: { path: MUSL, by: 'builtin' } }] });
  });

  it('a root without the loader PT_INTERP names: a finding (the libc names stay musl\'s own: the loader is what is missing)', () => {
    const r = resolveIn({ '/exe': elf({ needed: ['libc.so'], interp: MUSL }) }, '/exe');
    expect(r.setup).toContainEqual({ code: 'interpreter-missing', args: { path: MUSL } });
    expect(dep(r, 'libc.so')).toMatchObject({ status: 'present', path: MUSL });
    expect(r.findings).toEqual([{ code: 'missing-interpreter', severity: 'error', name: MUSL, from: '/exe', path: null }]);
  });

  it('a library (no PT_INTERP): the libc names are musl itself, /lib/ld-musl-<arch>.so.1', () => {
    const r = resolveIn({ '/lib.so': elf({ needed: ['libc.so'], interp: null }) }, '/lib.so', { loader: 'musl' });
    expect(dep(r, 'libc.so')).toMatchObject({ status: 'present', path: MUSL, steps: [{ code: 'reused', args: { path: MUSL, by: 'builtin' } }] });
    expect(r.findings).toEqual([]);
  });

  it('without a path file, /lib:/usr/local/lib:/usr/lib', () => {
    const r = resolveIn({ '/exe': elf({ needed: ['libq.so'], interp: MUSL }) }, '/exe');
    expect(r.setup[0].code).toBe('musl-path-missing');
    expect(codes(dep(r, 'libq.so'))).toEqual([
      'absent /lib/libq.so musl-path', 'absent /usr/local/lib/libq.so musl-path', 'absent /usr/lib/libq.so musl-path', 'not-found',
    ]);
  });

  it('RUNPATH applies to every dependency down the chain (unlike glibc), and LD_LIBRARY_PATH comes first', () => {
    const files = {
      '/app/exe': elf({ needed: ['liba.so'], runpath: ['/app/lib'], interp: MUSL }),
      '/app/lib/liba.so': elf({ needed: ['libb.so'], interp: null }),
      '/app/lib/libb.so': elf({ interp: null }),
      '/env/libb.so': elf({ interp: null }),
    };
    const r = resolveIn(files, '/app/exe');
    expect(dep(r, 'liba.so', 'libb.so').steps).toEqual([{ code: 'found', args: { path: '/app/lib/libb.so', via: 'runpath', from: '/app/exe' } }]);
    expect(dep(resolveIn(files, '/app/exe', { env: { LD_LIBRARY_PATH: '/env' } }), 'liba.so', 'libb.so').path).toBe('/env/libb.so');
    // The same tree under glibc: libb.so is not found.
    expect(dep(resolveIn(files, '/app/exe', { loader: 'glibc' }), 'liba.so', 'libb.so').status).toBe('missing');
  });

  it('does not skip a wrong-class library: the load fails, and that is a finding', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libtiny.so'], rpath: ['/x32:/x64'], interp: MUSL }),
      '/x32/libtiny.so': bytes('elf/libtiny32.so'),
      '/x64/libtiny.so': elf({ interp: null }), [MUSL]: elf({ interp: null }),
    }, '/exe');
    const d = dep(r, 'libtiny.so');
    expect(d).toMatchObject({ status: 'wrong-arch', path: '/x32/libtiny.so' });
    expect(d.steps.map((s) => s.code)).toEqual(['wrong-arch']);
    expect(r.findings).toEqual([{ code: 'wrong-arch', severity: 'error', name: 'libtiny.so', from: '/exe', path: '/x32/libtiny.so' }]);
  });

  it('an rpath with a token other than $ORIGIN is dropped whole', () => {
    const r = resolveIn({ '/exe': elf({ needed: ['liba.so'], rpath: ['/ok:/opt/$LIB'], interp: MUSL }), '/ok/liba.so': elf({ interp: null }) }, '/exe');
    expect(codes(dep(r, 'liba.so'))[0]).toBe('bad-token');
    expect(dep(r, 'liba.so').status).toBe('missing');
  });
});

describe('dyld', () => {
  it('@rpath through a two-level loader chain: the LC_RPATH stack', () => {
    const r = resolveIn({
      '/App/bin/exe': macho({ dylibs: [{ name: '@rpath/liba.dylib' }], rpaths: ['@executable_path/../lib'] }),
      '/App/lib/liba.dylib': macho({ id: '@rpath/liba.dylib', dylibs: [{ name: '@rpath/libb.dylib' }], rpaths: ['@loader_path/own'] }),
      '/App/lib/libb.dylib': macho({ id: '@rpath/libb.dylib' }),
    }, '/App/bin/exe');
    expect(r.loader).toBe('dyld');
    expect(dep(r, '@rpath/liba.dylib')).toMatchObject({ status: 'found', path: '/App/lib/liba.dylib', provenance: 'bundled' });
    const b = dep(r, '@rpath/liba.dylib', '@rpath/libb.dylib');
    expect(b.steps).toEqual([
      { code: 'expand', args: { from: '@loader_path/own', to: '/App/lib/own' } },
      { code: 'expand', args: { from: '@executable_path/../lib', to: '/App/lib' } },
      { code: 'absent', args: { path: '/App/lib/own/libb.dylib', via: 'lc-rpath' } },
      { code: 'found', args: { path: '/App/lib/libb.dylib', via: 'lc-rpath', from: '/App/bin/exe' } },
    ]);
    expect(dep(r, '/usr/lib/libSystem.B.dylib')).toMatchObject({ status: 'present', provenance: 'apple-system', steps: [{ code: 'shared-cache' }] });
    expect(r.findings).toEqual([]);
  });

  it('@loader_path is the directory of the image with the load command, @executable_path the main program\'s', () => {
    const r = resolveIn({
      '/App/bin/exe': macho({ dylibs: [{ name: '@executable_path/../lib/liba.dylib' }] }),
      '/App/lib/liba.dylib': macho({ id: 'liba', dylibs: [{ name: '@loader_path/libl.dylib' }, { name: '@executable_path/libe.dylib' }] }),
      '/App/lib/libl.dylib': macho({ id: 'libl' }),
      '/App/bin/libe.dylib': macho({ id: 'libe' }),
    }, '/App/bin/exe');
    expect(dep(r, '@executable_path/../lib/liba.dylib', '@loader_path/libl.dylib').path).toBe('/App/lib/libl.dylib');
    expect(dep(r, '@executable_path/../lib/liba.dylib', '@executable_path/libe.dylib').path).toBe('/App/bin/libe.dylib');
  });

  it('a missing weak dylib is a warning; a missing one loaded at start an error; Homebrew paths are named', () => {
    const r = resolveIn({
      '/exe': macho({
        dylibs: [{ name: '@rpath/libw.dylib', weak: true }, { name: '/opt/homebrew/lib/libssl.3.dylib' }, { name: '/opt/homebrew/lib/libz.dylib' }],
      }),
      '/opt/homebrew/lib/libz.dylib': macho({ id: '/opt/homebrew/lib/libz.dylib' }),
    }, '/exe');
    expect(r.findings.map((f) => [f.code, f.severity, f.name])).toEqual([
      ['missing-delayed', 'warning', '@rpath/libw.dylib'], ['missing', 'error', '/opt/homebrew/lib/libssl.3.dylib'],
    ]);
    expect(dep(r, '/opt/homebrew/lib/libz.dylib').provenance).toBe('homebrew');
  });

  it('resolves each slice of a universal file (the committed samples)', () => {
    const rs = resolveBinary(sample('macho/universal/bin/usefoo'), { sysroot: new DirSysroot('/'), inspect: inspectSource });
    expect(rs.map((r) => r.arch)).toEqual(['x86_64', 'aarch64']);
    for (const r of rs) {
      expect(dep(r, '@rpath/libfoo.dylib')).toMatchObject({ status: 'found', path: sample('macho/universal/lib/libfoo.dylib') });
      expect(dep(r, '@rpath/libbar.dylib').status).toBe('missing');
    }
  });
});

describe('windows', () => {
  const root = new MemorySysroot({
    '/app/usefoo.exe': bytes('pe/mingw/usefoo.exe'),
    '/app/delayload.exe': bytes('pe/msvc/x64/delayload.exe'),
    '/app/hello-ucrt.exe': bytes('pe/mingw/hello-ucrt.exe'),
    '/full/usefoo.exe': bytes('pe/mingw/usefoo.exe'),
    '/full/FOO.DLL': bytes('pe/mingw/foo.dll'),
    '/full/msvcrt.dll': bytes('pe/mingw/foo.dll'),
  });
  const one = (p: string) => resolveBinary(p, { sysroot: root, inspect: inspectSource })[0];

  it('the application directory without foo.dll: missing (error); system and CRT DLLs are present', () => {
    const r = one('/app/usefoo.exe');
    expect(r.loader).toBe('windows');
    expect(dep(r, 'foo.dll')).toMatchObject({ status: 'missing', provenance: null });
    expect(codes(dep(r, 'foo.dll'))).toEqual(['absent /app/foo.dll app-dir', 'not-found']);
    expect(dep(r, 'KERNEL32.dll')).toMatchObject({ status: 'present', provenance: 'system', steps: [{ code: 'known-dll' }] });
    expect(dep(r, 'msvcrt.dll')).toMatchObject({ status: 'present', provenance: 'crt' });
    expect(r.findings).toEqual([{ code: 'missing', severity: 'error', name: 'foo.dll', from: '/app/usefoo.exe', path: null }]);
  });

  it('found case-insensitively; a KnownDLL copy in the application directory is shadowed', () => {
    const r = one('/full/usefoo.exe');
    expect(dep(r, 'foo.dll')).toMatchObject({ status: 'found', path: '/full/FOO.DLL', provenance: 'bundled' });
    expect(dep(r, 'foo.dll', 'msvcrt.dll').status).toBe('present');
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['shadowed', 'warning'], ['shadowed', 'warning']]);
  });

  it('a missing delay-loaded DLL is marked as such: a warning, not an error', () => {
    const r = one('/app/delayload.exe');
    expect(dep(r, 'mt_like.dll')).toMatchObject({ kind: 'delay-import', status: 'missing' });
    expect(r.findings).toEqual([{ code: 'missing-delayed', severity: 'warning', name: 'mt_like.dll', from: '/app/delayload.exe', path: null }]);
  });

  it('on disk: the application directory is listed once however many DLLs are looked up in it, by binaries named one by one', () => {
    // An audit of wine's 696 DLLs, each named on the command line, listed their directory for every DLL each imports.
    const d = mkdtempSync(join(tmpdir(), 'linkplan-windir-'));
    try {
      for (const [n, from] of [['usefoo.exe', 'pe/mingw/usefoo.exe'], ['other.exe', 'pe/mingw/usefoo.exe'], ['Foo.DLL', 'pe/mingw/foo.dll']]) {
        writeFileSync(join(d, n), bytes(from));
      }
      // Without a directory root (audit's default, an archive root) each file's directory is mounted from disk; inside
      // one, the root shows it (and lists it once too: DirSysroot keeps its listings).
      const named = [join(d, 'usefoo.exe'), join(d, 'other.exe'), join(d, 'Foo.DLL')];
      expect(shippedInputs(named, { dir: '/' }).map((i) => [i.file, i.disk])).toEqual(named.map(() => [true, undefined]));
      const inputs = shippedInputs(named, { dir: null });
      const disk = inputs[0].disk as DirSysroot;
      // One DirSysroot for the three (by identity: two over the same directory would be deep-equal).
      expect(new Set(inputs.map((i) => i.disk)).size).toBe(1);
      expect(disk).toBeInstanceOf(DirSysroot);
      // The directory is that Sysroot's '/'.
      const listing = disk.list('/');
      expect(listing).toEqual(['Foo.DLL', 'other.exe', 'usefoo.exe']);
      // The same array again (no second readdir), so the lower-cased map over it is built once.
      expect(disk.list('/')).toBe(listing);
      for (const exe of ['/usefoo.exe', '/other.exe']) {
        const r = resolveBinary(exe, { sysroot: disk, inspect: inspectSource })[0];
        expect(dep(r, 'foo.dll')).toMatchObject({ status: 'found', path: '/Foo.DLL' });
      }
      expect(disk.list('/')).toBe(listing);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('binaries named one by one are read once: ShippedTrees gives the resolver the facts it holds', () => {
    const d = mkdtempSync(join(tmpdir(), 'linkplan-once-'));
    try {
      const files = [['usefoo.exe', 'pe/mingw/usefoo.exe'], ['other.exe', 'pe/mingw/usefoo.exe'], ['Foo.DLL', 'pe/mingw/foo.dll']];
      for (const [n, from] of files) writeFileSync(join(d, n), bytes(from));
      const paths = files.map(([n]) => join(d, n));
      const trees = new ShippedTrees(shippedInputs(paths, { dir: null }));
      paths.forEach((p, i) => trees.add(inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p), null, i));
      const read: string[] = [];
      const inspect = (src: ByteSource, path: string) => (read.push(path), inspectSource(src, path));
      const found: string[] = [];
      trees.replay({ base: new MemorySysroot({}), inspect }, (_r, _inner, _i, resolve) => {
        for (const x of resolve()) found.push(`${posix.basename(x.path)}: ${x.deps.find((dd) => dd.name.toLowerCase() === 'foo.dll')?.status ?? '-'}`);
      });
      expect(found).toEqual(['usefoo.exe: found', 'other.exe: found', 'Foo.DLL: -']);
      // Only the DLL the two executables need, once (a library is read once a run): not the three inputs again.
      expect(read).toEqual([join(d, 'Foo.DLL')]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('API sets are resolved by the schema, never missing', () => {
    const r = one('/app/hello-ucrt.exe');
    const api = r.deps.filter((d) => d.name.startsWith('api-ms-win-crt-'));
    expect(api).toHaveLength(8);
    for (const d of api) expect(d).toMatchObject({ status: 'present', provenance: 'crt', steps: [{ code: 'api-set' }] });
    expect(r.findings).toEqual([]);
  });
});

describe('a file the loader cannot map (empty, text): unloadable, not of another architecture', () => {
  const text = new TextEncoder().encode('INPUT(-lbar)\n');
  it.each([['glibc', '/lib/x86_64-linux-gnu/libc.so.6'], ['musl', '/lib/ld-musl-x86_64.so.1']] as const)('%s', (loader, libc) => {
    const r = resolveIn({
      '/exe': elf({ needed: ['libempty.so', 'libtext.so', '/abs/libtext.so'], rpath: ['/l'] }), '/l/libempty.so': new Uint8Array(0), '/l/libtext.so': text,
      '/abs/libtext.so': text, [libc]: LIBC, ...LOADER,
    }, '/exe', { loader });
    for (const n of ['libempty.so', 'libtext.so', '/abs/libtext.so']) expect(dep(r, n).status).toBe('unloadable');
    expect(r.findings.map((f) => f.code)).toEqual(['unreadable', 'unreadable', 'unreadable']);
    const tree = renderResolveTree(r);
    expect(tree).toContain('├── libempty.so => /l/libempty.so (cannot be loaded)');
    expect(tree).not.toContain('wrong architecture');
  });

  it('windows: a DLL in the application directory that is not PE', () => {
    const r = resolveIn({ '/app/usefoo.exe': bytes('pe/mingw/usefoo.exe'), '/app/foo.dll': text }, '/app/usefoo.exe');
    expect(dep(r, 'foo.dll')).toMatchObject({ status: 'unloadable', path: '/app/foo.dll' });
    expect(renderResolveTree(r)).toContain('foo.dll => /app/foo.dll (cannot be loaded)');
  });
});

describe('renderers', () => {
  it('the tree is indented per level, with --why steps, every line sanitized; DOT escapes names', () => {
    const r = resolveIn({
      '/exe': elf({ needed: ['liba.so', 'lib"\n::error::x.so'], rpath: ['/l'] }),
      '/l/liba.so': elf({ needed: ['libb.so'], interp: null }), '/l/libb.so': elf({ interp: null }),
    }, '/exe');
    const t = renderResolveTree(r);
    expect(t.split('\n').slice(0, 4)).toEqual([
      '/exe (glibc, root: /)',
      '├── liba.so => /l/liba.so (other)',
      '│   └── libb.so => /l/libb.so (other)',
      '└── lib"\\n::error::x.so (not found)',
    ]);
    expect(renderResolveTree(r, { why: true })).toContain('│   │ · /l/liba.so: found (DT_RPATH)');
    const dot = renderResolveDot([r]);
    expect(dot).toContain('label="lib\\"\\\\n::error::x.so"');
    expect(dot.split('\n').every((l) => !l.startsWith('::'))).toBe(true);
  });
});

/** Real directories: the committed elf-tree samples, and crafted trees, checked against lddtree and ld.so. */
describe('cross-checks on disk', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'linkplan-resolve-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const put = (rel: string, b: Uint8Array) => { mkdirSync(dirname(join(tmp, rel)), { recursive: true }); writeFileSync(join(tmp, rel), b); };
  const onDisk = (rel: string, opts: Partial<ResolveOptions> = {}) =>
    resolveBinary(`/${rel}`, { sysroot: new DirSysroot(tmp), inspect: inspectSource, ...opts })[0];

  it('a DirSysroot sees the root as it first found it (each path is looked up on disk once a run)', () => {
    put('seen/lib/libx.so', new Uint8Array(1));
    symlinkSync('libx.so', join(tmp, 'seen/lib/libx.so.1'));
    const root = new DirSysroot(tmp);
    expect([root.isFile('/seen/lib/libx.so.1'), root.realpath('/seen/lib/libx.so.1')]).toEqual([true, '/seen/lib/libx.so']);
    rmSync(join(tmp, 'seen'), { recursive: true });
    expect([root.isFile('/seen/lib/libx.so.1'), root.realpath('/seen/lib/libx.so.1')]).toEqual([true, '/seen/lib/libx.so']);
    const fresh = new DirSysroot(tmp);
    expect([fresh.isFile('/seen/lib/libx.so.1'), fresh.realpath('/seen/lib/libx.so.1')]).toEqual([false, null]);
  });
  // pax-utils' lddtree is Python and needs pyelftools; Debian's python3 has it (a pyenv shim may not).
  const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import elftools']).status === 0);
  const lddtree = (rel: string): Map<string, string> => {
    const r = spawnSync(PY!, ['/usr/bin/lddtree', '--root', tmp, '-l', `/${rel}`], { encoding: 'utf8' });
    const m = new Map<string, string>();
    // -l: one line per file, the rooted path when found, the bare name when not.
    for (const l of r.stdout.split('\n').filter(Boolean)) {
      m.set(l.slice(l.lastIndexOf('/') + 1), !l.includes('/') ? 'not found' : l.startsWith(tmp) ? l.slice(tmp.length) : l);
    }
    return m;
  };
  const haveLddtree = PY !== undefined && existsSync('/usr/bin/lddtree');

  // .ci/run installs pax-utils and python3-pyelftools: without them the cross-checks below would check nothing.
  it('lddtree (pax-utils) and a Python with pyelftools are installed', () => expect(haveLddtree).toBe(true));
  it("glibc's own loader is where the cross-check expects it", () => expect(existsSync(LDSO)).toBe(true));

  put('lib/x86_64-linux-gnu/libc.so.6', LIBC);
  // lddtree reads ld.so.conf under the root (without one it searches only the interpreter's directories).
  put('etc/ld.so.conf', new TextEncoder().encode('include /etc/ld.so.conf.d/*.conf\n'));
  put('etc/ld.so.conf.d/multiarch.conf', new TextEncoder().encode('/lib/x86_64-linux-gnu\n'));
  // Absolute rpaths here: lddtree --root expands $ORIGIN to the rooted directory and then prefixes the root again.
  put('app/bin/rpath', elf({ needed: ['liba.so', 'libc.so.6'], rpath: ['/app/lib'] }));
  put('app/bin/runpath', elf({ needed: ['liba.so', 'libc.so.6'], runpath: ['/app/lib'] }));
  put('app/lib/liba.so', elf({ needed: ['libb.so'], soname: 'liba.so', interp: null }));
  put('app/lib/libb.so', elf({ soname: 'libb.so', interp: null }));
  put('app/bin/origin', elf({ needed: ['liba.so'], runpath: ['$ORIGIN/../lib'] }));
  put('app/bin/classes', elf({ needed: ['libtiny.so'], rpath: ['/x32', '/x64'] }));
  put('x32/libtiny.so', bytes('elf/libtiny32.so'));
  put('x64/libtiny.so', elf({ soname: 'libtiny.so', interp: null }));
  // An intermediate loader's RPATH: exe → libmid.so (RPATH /opt/mid) → libm2.so → libdeep.so, only in /opt/mid.
  put('app/bin/chain', elf({ needed: ['libmid.so'], rpath: ['/app/lib'] }));
  put('app/lib/libmid.so', elf({ needed: ['libm2.so'], rpath: ['/opt/mid'], soname: 'libmid.so', interp: null }));
  put('opt/mid/libm2.so', elf({ needed: ['libdeep.so'], soname: 'libm2.so', interp: null }));
  put('opt/mid/libdeep.so', elf({ soname: 'libdeep.so', interp: null }));
  mkdirSync(join(tmp, 'tree'));
  cpSync(sample('elf-tree/bin'), join(tmp, 'tree/bin'), { recursive: true, verbatimSymlinks: true });
  cpSync(sample('elf-tree/lib'), join(tmp, 'tree/lib'), { recursive: true, verbatimSymlinks: true });
  symlinkSync('x86_64-linux-gnu/libc.so.6', join(tmp, 'lib/libc.so.6'));

  it('RPATH: glibc and lddtree agree, down to the NEEDED of a library found through the executable\'s RPATH', () => {
    const r = onDisk('app/bin/rpath');
    const l = lddtree('app/bin/rpath');
    expect(dep(r, 'liba.so').path).toBe(l.get('liba.so'));
    expect(dep(r, 'libc.so.6').path).toBe(l.get('libc.so.6'));
    expect(dep(r, 'liba.so', 'libb.so').path).toBe(l.get('libb.so'));
    expect(l.get('libb.so')).toBe('/app/lib/libb.so');
  });

  it('RUNPATH: lddtree applies the executable\'s RUNPATH to every library; glibc (and we) do not', () => {
    const r = onDisk('app/bin/runpath');
    const l = lddtree('app/bin/runpath');
    expect(dep(r, 'liba.so').path).toBe(l.get('liba.so'));
    expect(dep(r, 'libc.so.6').path).toBe(l.get('libc.so.6'));
    // lddtree propagates the main ELF's runpaths (ldpaths["runpath"]) to children; ld.so(8): DT_RUNPATH is used only
    // for the object's own DT_NEEDED. The glibc behaviour is what we assert.
    expect(l.get('libb.so')).toBe('/app/lib/libb.so');
    expect(dep(r, 'liba.so', 'libb.so').status).toBe('missing');
  });

  it("an intermediate library's RPATH: glibc searches the whole loader chain; lddtree only the executable's", () => {
    const r = onDisk('app/bin/chain');
    const l = lddtree('app/bin/chain');
    expect(dep(r, 'libmid.so', 'libm2.so').path).toBe(l.get('libm2.so'));
    const deep = dep(r, 'libmid.so', 'libm2.so', 'libdeep.so');
    expect(deep.path).toBe('/opt/mid/libdeep.so');
    expect(deep.steps).toContainEqual({ code: 'found', args: { path: '/opt/mid/libdeep.so', via: 'rpath', from: '/app/lib/libmid.so' } });
    expect(l.get('libdeep.so')).toBe('not found');
  });

  it('a library only in /lib64 of a multiarch root: not found by Debian\'s ld.so, nor by lddtree, nor by us', () => {
    put('app/bin/lib64', elf({ needed: ['libonly64.so'] }));
    put('lib64/libonly64.so', elf({ soname: 'libonly64.so', interp: null }));
    // As Debian has it: the loader in the tuple's directory, /lib64 holding a link to it (lddtree searches the
    // interpreter's real directory and /usr's, and no default directories: on Debian, the tuple's two).
    put('lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', elf({ soname: 'ld-linux-x86-64.so.2', interp: null }));
    symlinkSync('../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', join(tmp, 'lib64/ld-linux-x86-64.so.2'));
    expect(dep(onDisk('app/bin/lib64'), 'libonly64.so').status).toBe('missing');
    expect(lddtree('app/bin/lib64').get('libonly64.so')).toBe('not found');
  });

  it('$ORIGIN: lddtree without --root agrees (the tree read at its real paths)', () => {
    const real = resolveBinary(join(tmp, 'app/bin/origin'), { sysroot: new DirSysroot('/'), inspect: inspectSource })[0];
    const out = spawnSync(PY!, ['/usr/bin/lddtree', '-l', join(tmp, 'app/bin/origin')], { encoding: 'utf8' }).stdout;
    expect(out.split('\n')).toContain(dep(real, 'liba.so').path);
    expect(dep(real, 'liba.so').path).toBe(join(tmp, 'app/lib/liba.so'));
  });

  it('a wrong-class candidate: skipped by glibc and by lddtree alike', () => {
    const r = onDisk('app/bin/classes');
    expect(dep(r, 'libtiny.so').path).toBe('/x64/libtiny.so');
    expect(lddtree('app/bin/classes').get('libtiny.so')).toBe('/x64/libtiny.so');
  });

  it('samples/elf-tree: RPATH and RUNPATH both find lib/libfoo.so.1 for the executable; symlinks followed inside the root', () => {
    for (const b of ['use-rpath', 'use-runpath', 'link-in']) {
      const r = onDisk(`tree/bin/${b}`, { tree: '/tree' });
      expect(dep(r, 'libfoo.so.1')).toMatchObject({ status: 'found', path: '/tree/lib/libfoo.so.1', provenance: 'bundled' });
      expect(dep(r, 'libc.so.6')).toMatchObject({ status: 'found', path: '/lib/x86_64-linux-gnu/libc.so.6', provenance: 'system' });
    }
    expect(dep(onDisk('tree/bin/use-rpath-rustlib'), 'libfoo.so.1').path).toBe('/tree/lib/rustlib/x86_64-unknown-linux-musl/lib/libfoo.so.1');
  });

  const LDSO = '/lib64/ld-linux-x86-64.so.2';
  it("glibc's own loader (--list, our own sample binaries) finds libfoo.so.1 where we do", () => {
    for (const b of ['use-rpath', 'use-runpath', 'use-runpath-rustlib']) {
      const bin = sample(`elf-tree/bin/${b}`);
      const out = spawnSync(LDSO, ['--list', '--library-path', join(tmp, 'empty'), bin], { encoding: 'utf8' }).stdout;
      const line = out.split('\n').find((l) => l.includes('libfoo.so.1'))!;
      const theirs = /=> (\S+)/.exec(line)![1];
      const ours = resolveBinary(bin, { sysroot: new DirSysroot('/'), inspect: inspectSource })[0];
      expect(dep(ours, 'libfoo.so.1').path).toBe(theirs.replace(/\/bin\/\.\.\//, '/'));
      expect(dep(ours, 'libc.so.6').path).toBe(/libc\.so\.6 => (\S+)/.exec(out)![1]);
    }
  });
});

describe('hostile sizes', () => {
  it('50,000 NEEDED × 5,000 rpath entries: bounded work and steps, capped with a step saying so', () => {
    const needed = Array.from({ length: 50_000 }, (_, i) => `lib${i}.so`);
    const rpath = Array.from({ length: 5_000 }, (_, i) => `/r${i}`);
    // Bounded by the steps counted below, not by a clock (no timed tests).
    const r = resolveIn({ '/exe': elf({ needed, rpath }) }, '/exe');
    expect(r.deps).toHaveLength(50_000);
    const steps = r.deps.reduce((n, d) => n + d.steps.length, 0);
    expect(steps).toBeLessThan(600_000);
    expect(r.deps[0].steps.some((s) => s.code === 'search-capped')).toBe(true);
    expect(r.deps[49_999].steps.map((s) => s.code)).toEqual(['search-capped', 'not-found']);
  }, 60_000);
});

describe('normalize', () => {
  /** The same lexical rule from Node's own path module: made absolute under /, never above it. */
  const reference = (p: string) => posix.resolve('/', p);

  it('agrees with path.posix.resolve("/", p) on every path of up to five parts of /, ., .., ..., a, .a, a.', () => {
    const parts = ['/', '.', '..', '...', 'a', '.a', 'a.'];
    let paths = [''];
    const all: string[] = [];
    for (let n = 0; n < 5; n++) {
      paths = paths.flatMap((p) => parts.map((x) => p + x));
      all.push(...paths);
    }
    for (const p of all) expect(normalize(p), JSON.stringify(p)).toBe(reference(p));
    expect(all.length).toBeGreaterThan(19_000);
    expect(normalize('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
  });
});
