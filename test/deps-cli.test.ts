/**
 * Resolution over what ships, end to end (the built CLI): `resolve` over an archive input and against archive roots
 * (one with an ld.so.conf include, one hostile), `verify` with the deps.* rules and the channel presets, `audit`'s
 * unshipped-dependency judged by resolution. Trees and archives are built at test time from the committed samples
 * and from test/resolve-builders.ts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveLimits } from '../src/archive/limits.js';
import { walkArchive } from '../src/archive/walk.js';
import { MemorySource } from '../src/bytes/source.js';
import { LOADER_CONFIG } from '../src/node/shipped.js';
import { cli, sample } from './helpers.js';
import { elf } from './resolve-builders.js';

let dir: string;
const put = (rel: string, b: Uint8Array | string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), b);
};
const tgz = (out: string, from: string, ...members: string[]) => execFileSync('tar', ['-C', join(dir, from), '-czf', join(dir, out), ...members]);
const run = (args: string[]) => cli(args, { cwd: dir });
const rules = (stdout: string) => (JSON.parse(stdout).findings as { rule: string; file: string; args: Record<string, unknown> }[])
  .map((f) => `${f.rule}:${f.file}:${f.args.name ?? ''}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-deps-'));
  // A release tarball: bin/use-rpath finds libfoo.so.1 through DT_RPATH $ORIGIN/../lib.
  for (const [to, from] of [['rel/release/bin/use-rpath', 'elf-tree/bin/use-rpath'], ['rel/release/lib/libfoo.so.1', 'elf-tree/lib/libfoo.so.1']]) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    copyFileSync(sample(from), join(dir, to));
  }
  tgz('release.tgz', 'rel', 'release');
  // The same library shipped next to the binary, where $ORIGIN/../lib does not look.
  mkdirSync(join(dir, 'wrong/release/bin'), { recursive: true });
  copyFileSync(sample('elf-tree/bin/use-rpath'), join(dir, 'wrong/release/bin/use-rpath'));
  copyFileSync(sample('elf-tree/lib/libfoo.so.1'), join(dir, 'wrong/release/bin/libfoo.so.1'));
  tgz('wrong-dir.tgz', 'wrong', 'release');
  // A target root: libc in the multiarch directory, libx.so in a directory an ld.so.conf include names.
  put('sys/lib/x86_64-linux-gnu/libc.so.6', elf({ soname: 'libc.so.6', interp: null }));
  put('sys/lib64/ld-linux-x86-64.so.2', elf({ soname: 'ld-linux-x86-64.so.2', interp: null }));
  put('sys/opt/x/lib/libx.so', elf({ soname: 'libx.so', needed: ['libc.so.6'], interp: null }));
  put('sys/etc/ld.so.conf', 'include /etc/ld.so.conf.d/*.conf\n');
  put('sys/etc/ld.so.conf.d/x.conf', '# the x library\n/opt/x/lib\n');
  tgz('sysroot.tgz', 'sys', '.');
  put('app/bin/app', elf({ needed: ['libx.so', 'libc.so.6'] }));
  put('plan-tarball.toml', '[[artifact]]\nname = "release"\npath = "release/bin/*"\npreset = "tarball"\n');
  // A hostile root: libx.so only by a traversal name, an absolute name, and a link to this machine's libc.
  execFileSync('python3', ['-c', `
import tarfile, io, sys
libx = open(sys.argv[2], 'rb').read()
libc = open(sys.argv[3], 'rb').read()
t = tarfile.open(sys.argv[1], 'w:gz', format=tarfile.GNU_FORMAT)
def add(name, data=b'', kind=tarfile.REGTYPE, link=''):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = link; i.size = len(data)
    t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
add('lib/x86_64-linux-gnu/libc.so.6', libc)
add('../../lib/x86_64-linux-gnu/libx.so', libx)
add('/usr/lib/x86_64-linux-gnu/libx.so', libx)
add('usr/lib/x86_64-linux-gnu/libx.so', kind=tarfile.SYMTYPE, link='/../../../../../usr/lib/x86_64-linux-gnu/libc.so.6x')
add('lib64/libx.so', kind=tarfile.SYMTYPE, link='../../../../../../etc/passwd')
add('etc/ld.so.conf', b'include ../../../../../etc/ld.so.conf\\n/../../../usr/lib\\n')
t.close()
`, join(dir, 'hostile-root.tgz'), join(dir, 'sys/opt/x/lib/libx.so'), join(dir, 'sys/lib/x86_64-linux-gnu/libc.so.6')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolve: archives', () => {
  it('an archive input: each binary resolved inside the archive (bundled) and against the root', () => {
    const r = run(['resolve', '--format', 'json', 'release.tgz']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const use = JSON.parse(r.stdout).results.find((x: { path: string }) => x.path === 'release.tgz!release/bin/use-rpath');
    const path = `${join(dir, 'release.tgz')}!/release/lib/libfoo.so.1`;
    expect(use.deps[0]).toMatchObject({ name: 'libfoo.so.1', status: 'found', provenance: 'bundled', path });
    expect(use.deps[0].steps.map((s: { code: string }) => s.code)).toEqual(['expand', 'found']);
  });

  it('an archive input with the library in the wrong directory: not found, exit 1', () => {
    const r = run(['resolve', 'wrong-dir.tgz']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('wrong-dir.tgz!release/bin/use-rpath (glibc, root: / of this machine)\n├── libfoo.so.1 (not found)');
  });

  it('an archive root: the ld.so.conf include read inside it; the input from disk', () => {
    const r = run(['resolve', '--format', 'json', '--root', 'sysroot.tgz', 'app/bin/app']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout).results[0];
    expect(j.root).toBe('sysroot.tgz');
    expect(j.setup).toEqual([
      { code: 'ld-so-conf', args: { file: '/etc/ld.so.conf' } }, { code: 'ld-so-conf', args: { file: '/etc/ld.so.conf.d/x.conf' } },
      { code: 'interpreter', args: { path: '/lib64/ld-linux-x86-64.so.2' } },
    ]);
    expect(j.deps.map((d: { name: string; path: string; provenance: string }) => [d.name, d.path, d.provenance]))
      .toEqual([['libx.so', '/opt/x/lib/libx.so', 'system'], ['libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', 'system']]);
    // An archive root and an archive input together.
    const both = run(['resolve', '--root', 'sysroot.tgz', 'release.tgz']);
    expect(both.stdout).toContain('└── libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (system)');
  });

  it('a hostile archive root: names and links that leave it are never followed out of it', () => {
    const r = run(['resolve', '--format', 'json', '--root', 'hostile-root.tgz', 'app/bin/app']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('linkplan: --root hostile-root.tgz!../../lib/x86_64-linux-gnu/libx.so: not part of the root (its name leaves the archive)\n');
    expect(r.stderr).toContain('linkplan: --root hostile-root.tgz!/usr/lib/x86_64-linux-gnu/libx.so: not part of the root (its name leaves the archive)\n');
    expect(r.stderr).toContain('linkplan: --root hostile-root.tgz!usr/lib/x86_64-linux-gnu/libx.so: a link out of the archive, resolved inside it\n');
    const j = JSON.parse(r.stdout).results[0];
    const libx = j.deps.find((d: { name: string }) => d.name === 'libx.so');
    expect(libx.status).toBe('missing');
    // The include `../../../../../etc/ld.so.conf` is the archive's own file again (read once), never this machine's.
    // (It holds no program interpreter either: a finding of its own.)
    expect(j.setup).toEqual([
      { code: 'ld-so-conf', args: { file: '/etc/ld.so.conf' } }, { code: 'interpreter-missing', args: { path: '/lib64/ld-linux-x86-64.so.2' } },
    ]);
    expect(j.deps.find((d: { name: string }) => d.name === 'libc.so.6')).toMatchObject({ status: 'found', path: '/lib/x86_64-linux-gnu/libc.so.6' });
  });

  it('a root of 5,000 traversal names and 5,000 links out: 20 lines of each, then one line counting the rest', () => {
    execFileSync('python3', ['-c', `
import tarfile, sys
t = tarfile.open(sys.argv[1], 'w')
for k in range(5000):
    i = tarfile.TarInfo('../x%d.so' % k); t.addfile(i)
    l = tarfile.TarInfo('lib/l%d.so' % k); l.type = tarfile.SYMTYPE; l.linkname = '/../../etc/passwd'; t.addfile(l)
t.close()
`, join(dir, 'many-out.tar')]);
    const r = run(['resolve', '--root', 'many-out.tar', 'app/bin/app']);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.endsWith('not part of the root (its name leaves the archive)'))).toHaveLength(20);
    expect(lines).toContain('linkplan: --root many-out.tar: 4980 more members whose names leave the archive');
    expect(lines.filter((l) => l.endsWith('a link out of the archive, resolved inside it'))).toHaveLength(20);
    expect(lines).toContain('linkplan: --root many-out.tar: 4980 more links out of the archive');
    expect(lines.length).toBeLessThan(50);
  });

  it('a broken archive root, or a root that is neither: one line, exit 2', () => {
    put('broken.tgz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    const b = run(['resolve', '--root', 'broken.tgz', 'app/bin/app']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^linkplan: --root broken\.tgz: (truncated|corrupt)/);
    put('plain.txt', 'hello');
    const p = run(['resolve', '--root', 'plain.txt', 'app/bin/app']);
    expect(p.code).toBe(2);
    expect(p.stderr).toBe('linkplan: --root plain.txt: neither a directory nor an archive\n');
  });
});

describe('the archive walk keeps the loaders\' configuration files, within the metadata limit', () => {
  it('etc/ld.so.conf kept (its bytes), a larger one and other text files skipped without bytes', async () => {
    execFileSync('tar', ['-C', join(dir, 'sys'), '-cf', join(dir, 'sys.tar'), 'etc', 'opt']);
    const src = new MemorySource(new Uint8Array(readFileSync(join(dir, 'sys.tar'))), 'sys.tar');
    const walked = async (maxMetaBytes: number) => {
      const out: Record<string, string | null> = {};
      const limits = { ...archiveLimits, maxMetaBytes };
      for await (const e of walkArchive({ path: 'sys.tar', kind: 'tar', source: src }, { decompressors: {}, limits, keep: LOADER_CONFIG })) {
        if (e.kind === 'skipped') out[e.path] = e.bytes ? new TextDecoder().decode(e.bytes) : null;
      }
      return out;
    };
    expect(await walked(1 << 20)).toEqual({
      'sys.tar!etc/ld.so.conf': 'include /etc/ld.so.conf.d/*.conf\n', 'sys.tar!etc/ld.so.conf.d/x.conf': '# the x library\n/opt/x/lib\n',
    });
    expect(await walked(20)).toEqual({ 'sys.tar!etc/ld.so.conf': null, 'sys.tar!etc/ld.so.conf.d/x.conf': null });
  });
});

describe('verify: deps.* rules and channel presets', () => {
  it('tarball preset: the release tarball holds; the wrong-directory one fails with the search as evidence', () => {
    const ok = run(['verify', '--plan', 'plan-tarball.toml', '--format', 'json', 'release.tgz']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = run(['verify', '--plan', 'plan-tarball.toml', '--format', 'json', 'wrong-dir.tgz']);
    expect(bad.code).toBe(1);
    expect(rules(bad.stdout)).toEqual(['deps-resolve:wrong-dir.tgz!release/bin/use-rpath:libfoo.so.1']);
    const f = JSON.parse(bad.stdout).findings[0];
    expect(f.message).toBe('libfoo.so.1 is not found where the loader looks');
    expect(f.evidence).toContainEqual({ field: 'absent', value: `path=${join(dir, 'wrong-dir.tgz')}!/release/lib/libfoo.so.1 via=rpath` });
  });

  it('a directory input is a shipped tree too; --root names the target system (a directory or an archive)', () => {
    writeFileSync(join(dir, 'plan-app.toml'),
      '[[artifact]]\npath = "app/bin/*"\ndeps.resolve = "inside-root"\ndeps.allow-provenance = ["system", "bundled"]\n');
    const bare = run(['verify', '--plan', 'plan-app.toml', '--format', 'json', 'app']);
    expect(bare.code).toBe(1); // libx.so is nowhere on this machine
    expect(rules(bare.stdout)).toEqual(['deps-resolve:app/bin/app:libx.so']);
    expect(run(['verify', '--plan', 'plan-app.toml', '--root', 'sys', 'app']).code).toBe(0);
    expect(run(['verify', '--plan', 'plan-app.toml', '--root', 'sysroot.tgz', 'app']).code).toBe(0);
    const hostile = run(['verify', '--plan', 'plan-app.toml', '--format', 'json', '--root', 'hostile-root.tgz', 'app']);
    expect(hostile.code).toBe(1);
    // That root has no program interpreter either: nothing there would start the program.
    expect(rules(hostile.stdout)).toEqual(['deps-resolve:app/bin/app:/lib64/ld-linux-x86-64.so.2', 'deps-resolve:app/bin/app:libx.so']);
  });

  it('a root without the program interpreter: deps-resolve fails, and so does audit --root (the program cannot start)', () => {
    mkdirSync(join(dir, 'empty-root'), { recursive: true });
    mkdirSync(join(dir, 'lone'), { recursive: true });
    copyFileSync(sample('elf/musl-dynamic'), join(dir, 'lone/app'));
    writeFileSync(join(dir, 'plan-lone.toml'), '[[artifact]]\npath = "lone/*"\ndeps.resolve = "inside-root"\n');
    const v = run(['verify', '--plan', 'plan-lone.toml', '--root', 'empty-root', '--format', 'json', 'lone']);
    expect(v.code).toBe(1);
    const f = JSON.parse(v.stdout).findings;
    expect(f.map((x: { rule: string; message: string }) => [x.rule, x.message]))
      .toEqual([['deps-resolve', 'its program interpreter /lib/ld-musl-x86_64.so.1 is not in the root: the program cannot start']]);
    const a = run(['audit', '--root', 'empty-root', '--format', 'json', 'lone']);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stdout).findings.map((x: { rule: string; args: { name: string } }) => [x.rule, x.args.name]))
      .toEqual([['unshipped-dependency', '/lib/ld-musl-x86_64.so.1']]);
  });

  it('--root without a deps.* rule: said, and nothing resolved', () => {
    writeFileSync(join(dir, 'plan-plain.toml'), '[[artifact]]\npath = "**"\nlinkage = "dynamic"\n');
    const r = run(['verify', '--plan', 'plan-plain.toml', '--root', 'sys', 'app']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('linkplan: --root sys: the plan has no deps.* rule, so nothing is resolved\n');
  });
});

describe('verify: channel presets over shipped archives', () => {
  const zip = (out: string, files: [string, string][]) => execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for i in range(2, len(sys.argv), 2): z.write(sys.argv[i], sys.argv[i + 1])
z.close()
`, join(dir, out), ...files.flatMap(([from, name]) => [sample(from), name])]);

  it('windows-portable: every non-system DLL next to the .exe inside the zip (names case-insensitive); without it, violated', () => {
    zip('portable.zip', [['pe/mingw/usefoo.exe', 'app/usefoo.exe'], ['pe/mingw/foo.dll', 'app/FOO.DLL']]);
    zip('portable-apart.zip', [['pe/mingw/usefoo.exe', 'app/usefoo.exe'], ['pe/mingw/foo.dll', 'app/lib/foo.dll']]);
    writeFileSync(join(dir, 'plan-win.toml'), '[[artifact]]\npath = "app/*.exe"\npreset = "windows-portable"\n');
    const ok = run(['verify', '--plan', 'plan-win.toml', '--format', 'json', 'portable.zip']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = run(['verify', '--plan', 'plan-win.toml', '--format', 'json', 'portable-apart.zip']);
    expect(bad.code).toBe(1);
    expect(rules(bad.stdout).filter((x) => x.startsWith('deps'))).toEqual(['deps-resolve:portable-apart.zip!app/usefoo.exe:foo.dll']);
  });

  it('app-bundle: @rpath through LC_RPATH inside the tarball; Apple\'s libraries from the shared cache', () => {
    execFileSync('tar', ['-C', sample('macho/arm64'), '-czf', join(dir, 'bundle.tgz'), 'bin', 'lib', 'Frameworks']);
    writeFileSync(join(dir, 'plan-mac.toml'), '[[artifact]]\npath = "bin/usefoo"\npreset = "app-bundle"\n');
    const r = run(['verify', '--plan', 'plan-mac.toml', '--format', 'json', 'bundle.tgz']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'plan-mac-bad.toml'), '[[artifact]]\npath = "bin/homebrew-user"\npreset = "app-bundle"\n');
    const bad = run(['verify', '--plan', 'plan-mac-bad.toml', '--format', 'json', 'bundle.tgz']);
    expect(bad.code).toBe(1);
    expect(rules(bad.stdout).filter((x) => x.startsWith('deps-resolve'))).toEqual([
      'deps-resolve:bundle.tgz!bin/homebrew-user:/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib',
      'deps-resolve:bundle.tgz!bin/homebrew-user:/Users/runner/work/proj/target/release/libfoo.dylib',
    ]);
  });
});

describe('audit: unshipped-dependency by resolution', () => {
  it('a library reached through $ORIGIN counts as shipped; one in the wrong directory does not', () => {
    const ok = run(['audit', '--format', 'json', 'release.tgz']);
    expect(ok.code).toBe(0);
    const bad = run(['audit', '--format', 'json', 'wrong-dir.tgz']);
    expect(bad.code).toBe(1);
    // By name it would pass (libfoo.so.1 is in the tarball); the loader would not find it.
    expect(rules(bad.stdout)).toEqual(['unshipped-dependency:wrong-dir.tgz!release/bin/use-rpath:libfoo.so.1']);
    // It is shipped, only not where the loader looks: the message says so, and where it is.
    const f = JSON.parse(bad.stdout).findings[0];
    expect(f.message).toBe('needs libfoo.so.1, which is shipped (wrong-dir.tgz!release/bin/libfoo.so.1) but not where the loader looks for it');
    expect(f.args.shippedAt).toEqual(['wrong-dir.tgz!release/bin/libfoo.so.1']);
  });

  it('with --root the root is the system: a library it lacks is unshipped, one it has is not', () => {
    // (The built app has no PT_GNU_STACK: exec-stack, a warning, is not this test's business.)
    const unshipped = (args: string[]) => rules(run(['audit', '--format', 'json', ...args]).stdout).filter((x) => x.startsWith('unshipped'));
    expect(unshipped(['--root', 'sysroot.tgz', 'app'])).toEqual([]);
    expect(unshipped(['app'])).toEqual(['unshipped-dependency:app/bin/app:libx.so']);
  });
});
