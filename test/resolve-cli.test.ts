/** `linkplan resolve` end to end: the built CLI over committed samples and trees made at test time. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, sample } from './helpers.js';
import { elf } from './resolve-builders.js';

const tmp = mkdtempSync(join(tmpdir(), 'linkplan-resolve-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const put = (rel: string, b: Uint8Array | string) => {
  mkdirSync(join(tmp, rel, '..'), { recursive: true });
  writeFileSync(join(tmp, rel), b);
};

describe('linkplan resolve', () => {
  it('ELF without --root: resolves against / of this machine and says so; the tree shows provenance', () => {
    const r = cli(['resolve', 'samples/elf-tree/bin/use-rpath']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('samples/elf-tree/bin/use-rpath (glibc, root: / of this machine)');
    expect(lines[1]).toBe(`├── libfoo.so.1 => ${sample('elf-tree/lib/libfoo.so.1')} (bundled)`);
    expect(lines[2]).toMatch(/^│ {3}└── libc\.so\.6 => \S+ \(already loaded\)$/);
    expect(lines[3]).toMatch(/^└── libc\.so\.6 => \S+libc\.so\.6 \(system\)$/);
  });

  it('--why shows every step', () => {
    const r = cli(['resolve', '--why', 'samples/elf-tree/bin/use-runpath']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`│   │ · ${sample('elf-tree/lib/libfoo.so.1')}: found (DT_RUNPATH)`);
    expect(r.stdout).toContain('· $ORIGIN/../lib expands to');
  });

  it('a Windows application directory with one DLL missing: exit 1, a finding', () => {
    mkdirSync(join(tmp, 'win'));
    copyFileSync(sample('pe/mingw/usefoo.exe'), join(tmp, 'win/usefoo.exe'));
    copyFileSync(sample('pe/msvc/x64/delayload.exe'), join(tmp, 'win/delayload.exe'));
    const r = cli(['resolve', join(tmp, 'win/usefoo.exe')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('├── foo.dll (not found)');
    expect(r.stdout).toContain('├── KERNEL32.dll (system)');
    expect(r.stdout).toContain('└── msvcrt.dll (crt)');
    expect(r.stdout).toMatch(/^error: foo\.dll \(needed by .*usefoo\.exe\) is not found$/m);
  });

  it('a DLL imported without its extension is the .dll the loader loads, found beside the program', () => {
    mkdirSync(join(tmp, 'noext'));
    const b = Buffer.from(readFileSync(sample('pe/mingw/usefoo.exe')));
    const at = b.indexOf('foo.dll\0');
    b.fill(0, at + 3, at + 7);
    writeFileSync(join(tmp, 'noext/usefoo.exe'), b);
    copyFileSync(sample('pe/mingw/foo.dll'), join(tmp, 'noext/foo.dll'));
    const r = cli(['resolve', join(tmp, 'noext/usefoo.exe')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`├── foo => ${join(tmp, 'noext/foo.dll')} (bundled)`);
  });

  it('a missing delay-loaded DLL is a warning: exit 0', () => {
    const r = cli(['resolve', join(tmp, 'win/delayload.exe')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('└── mt_like.dll (delay-loaded, not found)');
    expect(r.stdout).toMatch(/^warning: mt_like\.dll/m);
  });

  it('a directory: every binary in it; JSON carries the steps', () => {
    const r = cli(['resolve', '--format', 'json', join(tmp, 'win')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.command).toBe('resolve');
    expect(j.results.map((x: { loader: string }) => x.loader)).toEqual(['windows', 'windows']);
    const use = j.results.find((x: { path: string }) => x.path.endsWith('usefoo.exe'));
    expect(use.deps[0]).toMatchObject({ name: 'foo.dll', status: 'missing', steps: [{ code: 'absent', args: { via: 'app-dir' } }, { code: 'not-found' }] });
  });

  it('--root DIR and --env: paths inside the root; LD_LIBRARY_PATH honoured', () => {
    put('root/usr/bin/app', elf({ needed: ['libx.so', 'libc.so.6'] }));
    put('root/lib/x86_64-linux-gnu/libc.so.6', elf({ soname: 'libc.so.6', interp: null }));
    put('root/opt/x/libx.so', elf({ interp: null }));
    put('root/lib64/ld-linux-x86-64.so.2', elf({ interp: null }));
    const root = join(tmp, 'root');
    const miss = cli(['resolve', '--root', root, join(root, 'usr/bin/app')]);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toContain('├── libx.so (not found)');
    expect(miss.stdout).toContain('└── libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (system)');
    const ok = cli(['resolve', '--root', root, '--env', 'LD_LIBRARY_PATH=/opt/x', join(root, 'usr/bin/app')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('├── libx.so => /opt/x/libx.so (other)');
    expect(ok.stdout.split('\n')[0]).toBe(`${join(root, 'usr/bin/app')} (glibc, root: ${root})`);
  });

  it('--loader musl, and --format dot', () => {
    const r = cli(['resolve', '--loader', 'musl', '--root', join(tmp, 'root'), '--format', 'dot', join(tmp, 'root/usr/bin/app')]);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('digraph linkplan {\n')).toBe(true);
    expect(r.stdout).toContain('[label="libx.so", color=red, style=dashed]');
  });

  it('a path that is not there: the one-line message the other commands give', () => {
    const r = cli(['resolve', join(tmp, 'no/such/file')]);
    expect([r.code, r.stderr]).toEqual([2, `linkplan: ${join(tmp, 'no/such/file')}: no such file or directory\n`]);
  });

  it('could not analyse: a root that is neither a directory nor an archive, a non-binary, bad options', () => {
    // Archive roots work (test/deps-cli.test.ts); a file that is none is one line and exit 2.
    put('root.tar', 'x');
    const a = cli(['resolve', '--root', join(tmp, 'root.tar'), 'samples/elf-tree/bin/use-rpath']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('neither a directory nor an archive');
    const n = cli(['resolve', 'samples/misc/not-a-binary.txt']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('not an ELF, PE or Mach-O file');
    expect(cli(['resolve', '--loader', 'ldd', 'samples/elf-tree/bin/use-rpath']).code).toBe(2);
    expect(cli(['resolve', '--format', 'xml', 'samples/elf-tree/bin/use-rpath']).code).toBe(2);
    expect(cli(['resolve', '--loader', 'dyld', 'samples/elf-tree/bin/use-rpath']).code).toBe(2);
  });

  it('Mach-O without --root: system libraries from the shared cache, the rest from its own tree', () => {
    const r = cli(['resolve', 'samples/macho/arm64/bin/usefoo']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0])
      .toBe('samples/macho/arm64/bin/usefoo [aarch64] (dyld, root: none needed (system libraries by table, the rest from its own tree))');
    expect(r.stdout).toContain(`├── @rpath/libfoo.dylib => ${sample('macho/arm64/lib/libfoo.dylib')} (bundled)`);
    expect(r.stdout).toContain('└── /usr/lib/libSystem.B.dylib (apple-system)');
  });

  it('--root DIR and a binary outside it, two folders deep (its parents are not in the root): read at its own path', () => {
    put('rootonly/lib/x86_64-linux-gnu/libc.so.6', elf({ soname: 'libc.so.6', interp: null }));
    put('rootonly/lib64/ld-linux-x86-64.so.2', elf({ interp: null }));
    put('out/side/app', elf({ needed: ['libc.so.6'] }));
    const r = cli(['resolve', '--root', join(tmp, 'rootonly'), join(tmp, 'out/side/app')]);
    expect(r.stderr).toBe(`linkplan: ${join(tmp, 'out/side/app')}: outside --root; read from this machine at its own path\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('└── libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (system)');
    // A directory input outside the root, alike; and the binary named through a linked folder.
    const d = cli(['resolve', '--root', join(tmp, 'rootonly'), join(tmp, 'out/side')]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('└── libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (system)');
    symlinkSync(join(tmp, 'out/side'), join(tmp, 'linked'));
    const l = cli(['resolve', '--root', join(tmp, 'rootonly'), join(tmp, 'linked/app')]);
    expect([l.code, l.stdout]).toEqual([0, expect.stringContaining('└── libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (system)')]);
  });

  it('a .deb: its files are at their install paths, over the system (an absolute RUNPATH into the package finds its library)', () => {
    const pkg = 'deb/p';
    put(`${pkg}/DEBIAN/control`, 'Package: t\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@y>\nDescription: t\n');
    put(`${pkg}/usr/bin/app`, elf({ needed: ['libfoo.so', 'libbar.so.1', 'libc.so.6'], runpath: ['/usr/lib/myapp'] }));
    put(`${pkg}/usr/lib/myapp/libfoo.so`, elf({ soname: 'libfoo.so', interp: null }));
    // A default directory the system has too: the package's file is found there, and the system's are not hidden.
    put(`${pkg}/usr/lib/x86_64-linux-gnu/libbar.so.1`, elf({ soname: 'libbar.so.1', interp: null }));
    execFileSync('dpkg-deb', ['--build', '-Zxz', join(tmp, pkg), join(tmp, 'deb/t.deb')], { stdio: 'ignore' });
    const r = cli(['resolve', join(tmp, 'deb/t.deb')]);
    expect(r.stdout).toContain('├── libfoo.so => /usr/lib/myapp/libfoo.so (bundled)');
    // (On a merged-/usr system, /lib is a link to usr/lib: the loader finds it there first, as installed.)
    expect(r.stdout).toMatch(/├── libbar\.so\.1 => (\/usr)?\/lib\/x86_64-linux-gnu\/libbar\.so\.1 \((bundled|system)\)/);
    expect(r.stdout).toMatch(/└── libc\.so\.6 => \S*libc\.so\.6 \(system\)/);
    expect(r.code).toBe(0);
    const a = cli(['audit', '--format', 'json', join(tmp, 'deb/t.deb')]);
    expect(JSON.parse(a.stdout).findings.filter((f: { rule: string }) => f.rule === 'unshipped-dependency')).toEqual([]);
    expect(a.code).toBe(0);
  });

  it('a .deb\'s absolute links are install paths (no link-escapes); one that climbs out with .. still escapes', () => {
    const pkg = 'deblinks/p';
    put(`${pkg}/DEBIAN/control`, 'Package: l\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@y>\nDescription: l\n');
    put(`${pkg}/usr/bin/app`, elf({ needed: ['libc.so.6'] }));
    mkdirSync(join(tmp, pkg, 'lib/systemd/system'), { recursive: true });
    symlinkSync('/dev/null', join(tmp, pkg, 'lib/systemd/system/masked.service'));
    symlinkSync('/etc/alternatives/app', join(tmp, pkg, 'usr/bin/app-alt'));
    symlinkSync('../../../../../etc/shadow', join(tmp, pkg, 'usr/bin/climb'));
    execFileSync('dpkg-deb', ['--build', join(tmp, pkg), join(tmp, 'deblinks/l.deb')], { stdio: 'ignore' });
    const j = JSON.parse(cli(['inspect', '--json', join(tmp, 'deblinks/l.deb')]).stdout);
    const deb = join(tmp, 'deblinks/l.deb');
    expect(j.notes.map((n: { path: string; code: string }) => [n.path.slice(deb.length), n.code])).toEqual([['!data.tar.xz!./usr/bin/climb', 'link-escapes']]);
    expect(j.symlinks.map((l: { path: string }) => l.path.slice(deb.length)).sort())
      .toEqual(['!data.tar.xz!./lib/systemd/system/masked.service', '!data.tar.xz!./usr/bin/app-alt', '!data.tar.xz!./usr/bin/climb']);
    // An Alpine .apk (gzip'd tars named .apk) inside another archive is a package too.
    execFileSync('tar', ['-czf', join(tmp, 'deblinks/pkg.apk'), '-C', join(tmp, pkg), 'usr', 'lib']);
    execFileSync('tar', ['-cf', join(tmp, 'deblinks/bundle.tar'), '-C', join(tmp, 'deblinks'), 'pkg.apk']);
    const apk = JSON.parse(cli(['inspect', '--json', join(tmp, 'deblinks/bundle.tar')]).stdout);
    expect(apk.notes.map((n: { path: string; code: string }) => [n.path.split('!').pop(), n.code])).toEqual([['usr/bin/climb', 'link-escapes']]);
    // The same links in a plain tarball do escape its unpack directory.
    execFileSync('tar', ['-cf', join(tmp, 'deblinks/l.tar'), '-C', join(tmp, pkg), 'usr', 'lib']);
    const t = JSON.parse(cli(['inspect', '--json', join(tmp, 'deblinks/l.tar')]).stdout);
    expect(t.notes.filter((n: { code: string }) => n.code === 'link-escapes')).toHaveLength(3);
  });

  it('a .deb\'s link into the system leads there, as installed (RUNPATH through /usr/lib/tpk/sys -> /opt/sys)', () => {
    const pkg = 'debsys/p';
    put(`${pkg}/DEBIAN/control`, 'Package: s\nVersion: 1\nArchitecture: amd64\nMaintainer: x <x@y>\nDescription: s\n');
    put(`${pkg}/usr/bin/app`, elf({ needed: ['libx.so'], runpath: ['/usr/lib/tpk/sys'] }));
    mkdirSync(join(tmp, pkg, 'usr/lib/tpk'), { recursive: true });
    symlinkSync('/opt/sys', join(tmp, pkg, 'usr/lib/tpk/sys'));
    put('debsys/root/opt/sys/libx.so', elf({ soname: 'libx.so', interp: null }));
    put('debsys/root/lib64/ld-linux-x86-64.so.2', elf({ interp: null }));
    execFileSync('dpkg-deb', ['--build', join(tmp, pkg), join(tmp, 'debsys/s.deb')], { stdio: 'ignore' });
    const r = cli(['resolve', '--root', join(tmp, 'debsys/root'), join(tmp, 'debsys/s.deb')]);
    expect(r.stdout).toContain('└── libx.so => /usr/lib/tpk/sys/libx.so');
    expect(r.code).toBe(0);
  });
});
