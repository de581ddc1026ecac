/**
 * verify as a user drives it, odd inputs included: TOML spellings that mean the same plan, absolute and
 * case-different artifact paths, directories with symlinks and non-binaries, garbage plan files, a run that both
 * violates the plan and cannot analyse a file. Every bad input: one line on stderr naming the file, the right exit
 * code, no stack trace.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/plan/load.js';
import { cli, SAMPLES } from './helpers.js';

const lines = (s: string) => s.split('\n').filter(Boolean);
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `linkplan-${tag}-`));
const planOf = (text: string, file = 'linkplan.toml') => {
  const r = parsePlan(text, file);
  if ('error' in r) throw new Error(JSON.stringify(r.error));
  return r.plan.artifacts.map(({ key: _k, sources: _s, ...a }) => a);
};

describe('TOML spellings of one plan', () => {
  const canonical = planOf(`[[artifact]]
path = "bin/app"
linkage = "static"
needed.allow = []
libs.openssl = "absent"
severity.linkage = "warn"
[[artifact]]
path = "bin/*.dll"
needed.forbid = ["VCRUNTIME*.DLL"]
`);

  it.each([
    ['an array of inline tables', `artifact = [
  { path = "bin/app", linkage = "static", needed = { allow = [] }, libs = { openssl = "absent" }, severity = { linkage = "warn" } },
  { path = "bin/*.dll", needed.forbid = ["VCRUNTIME*.DLL"] },
]`],
    ['sub-tables', `[[artifact]]
path = "bin/app"
linkage = "static"
[artifact.needed]
allow = []
[artifact.libs]
openssl = "absent"
[artifact.severity]
linkage = "warn"
[[artifact]]
path = "bin/*.dll"
[artifact.needed]
forbid = ["VCRUNTIME*.DLL"]`],
    ['quoted keys and literal strings', `[[artifact]]
"path" = 'bin/app'
'linkage' = 'static'
"needed"."allow" = []
libs."openssl" = 'absent'
severity."linkage" = "warn"
[[artifact]]
path = ['bin/*.dll']
needed = { "forbid" = ['VCRUNTIME*.DLL'] }`],
  ])('%s', (_n, text) => {
    expect(planOf(text)).toEqual(canonical);
  });

  it('the same plan as JSON', () => {
    expect(planOf(JSON.stringify({ artifact: [
      { path: 'bin/app', linkage: 'static', needed: { allow: [] }, libs: { openssl: 'absent' }, severity: { linkage: 'warn' } },
      { path: 'bin/*.dll', needed: { forbid: ['VCRUNTIME*.DLL'] } },
    ] }), 'linkplan.json')).toEqual(canonical);
  });

  it('a UTF-8 byte-order mark is fine', () => {
    const dir = tmp('bom');
    writeFileSync(join(dir, 'linkplan.toml'), `\uFEFF[[artifact]]\npath = "**"\nlinkage = "static"\n`);
    const r = cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(SAMPLES, 'elf/musl-static')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('artifact paths', () => {
  it('an absolute pattern matches a file inside the plan directory too', () => {
    const dir = tmp('abs');
    writeFileSync(join(dir, 'linkplan.toml'), `unmatched = "error"\n[[artifact]]\npath = "${join(SAMPLES, 'elf/musl-static')}"\npreset = "musl-static"\n`);
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'bin/musl-static'));
    // A file outside the plan's directory, named by an absolute pattern.
    const out = cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(SAMPLES, 'elf/musl-static')]);
    expect([out.code, out.stderr]).toEqual([0, '']);
    // And one inside it.
    writeFileSync(join(dir, 'linkplan.toml'), `unmatched = "error"\n[[artifact]]\npath = "${join(dir, 'bin/*')}"\npreset = "musl-static"\n`);
    const inside = cli(['verify', 'bin'], { cwd: dir });
    expect([inside.code, inside.stderr]).toEqual([0, '']);
    expect(inside.stdout).toMatch(/plan holds: 1 binary checked/);
  });

  it('a relative pattern does not see the absolute path of a file inside the plan directory', () => {
    // "**/tmp/**"-style excludes must not catch every file just because the checkout lives under such a directory.
    const dir = tmp('rel');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'bin/app'));
    writeFileSync(join(dir, 'linkplan.toml'), `[[artifact]]\npath = "bin/*"\nexclude = "/**/bin/*"\nlinkage = "dynamic"\n`);
    const r = cli(['verify', 'bin', '-f', 'json'], { cwd: dir });
    // The absolute exclude does apply (it is absolute), so the artifact matches nothing.
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['unmatched-binary', 'artifact-missing', 'nothing-checked']);
    writeFileSync(join(dir, 'linkplan.toml'), `[[artifact]]\npath = "bin/*"\nexclude = "${dir.split('/')[1]}/**"\nlinkage = "dynamic"\n`);
    const r2 = cli(['verify', 'bin', '-f', 'json'], { cwd: dir });
    expect(JSON.parse(r2.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['linkage']);
  });

  it('PE paths match case-insensitively (bin/*.dll covers BIN/FOO.DLL); ELF paths do not', () => {
    const dir = tmp('case');
    mkdirSync(join(dir, 'BIN'));
    copyFileSync(join(SAMPLES, 'pe/msvc/x64/md_like.dll'), join(dir, 'BIN/MD_LIKE.DLL'));
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'BIN/MUSL-STATIC'));
    writeFileSync(join(dir, 'linkplan.toml'), `unmatched = "error"
[[artifact]]
name = "self-contained DLLs"
path = "bin/*.dll"
preset = "msvc-crt-static"
[[artifact]]
name = "musl"
path = "bin/musl-static"
`);
    const r = cli(['verify', 'BIN', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.map((b: { file: string; artifacts: string[] }) => [b.file, b.artifacts])).toEqual([
      ['BIN/MD_LIKE.DLL', ['self-contained DLLs']],
      ['BIN/MUSL-STATIC', []],
    ]);
    // The DLL is checked (and fails: it imports the VC++ runtime); the ELF file is not in the plan.
    expect(j.findings.map((f: { rule: string; file: string }) => `${f.rule} ${f.file}`)).toEqual([
      'needed-forbid BIN/MD_LIKE.DLL', 'needed-forbid BIN/MD_LIKE.DLL', 'needed-forbid BIN/MD_LIKE.DLL', 'crt BIN/MD_LIKE.DLL',
      'unmatched-binary BIN/MUSL-STATIC', 'artifact-missing linkplan.toml',
    ]);
  });
});

describe('directories, symlinks, non-binaries', () => {
  it('checks the binaries in a tree; non-binaries and symlinks are not binaries to plan', () => {
    const dir = tmp('tree');
    mkdirSync(join(dir, 'dist/sub'), { recursive: true });
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'dist/app'));
    copyFileSync(join(SAMPLES, 'pe/msvc/x64/mt_like.dll'), join(dir, 'dist/sub/mt_like.dll'));
    writeFileSync(join(dir, 'dist/README.txt'), 'not a binary\n');
    writeFileSync(join(dir, 'dist/sub/empty'), '');
    symlinkSync('app', join(dir, 'dist/app-link'));
    symlinkSync('/nonexistent/target', join(dir, 'dist/dangling'));
    symlinkSync('..', join(dir, 'dist/sub/loop'));
    writeFileSync(join(dir, 'linkplan.toml'), `unmatched = "error"
[[artifact]]
path = "dist/app"
preset = "musl-static"
[[artifact]]
path = "dist/**/*.dll"
preset = "msvc-crt-static"
`);
    const r = cli(['verify', 'dist', '-f', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).binaries.map((b: { file: string }) => b.file).sort()).toEqual(['dist/app', 'dist/sub/mt_like.dll']);
  });

  it('a non-binary named on the command line cannot be analysed: exit 2, one line', () => {
    const dir = tmp('named');
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    writeFileSync(join(dir, 'linkplan.toml'), '[[artifact]]\npath = "**"\n');
    const r = cli(['verify', 'notes.txt'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['linkplan: notes.txt: not an ELF, PE or Mach-O binary']);
  });
});

describe('outcomes', () => {
  it('a plan that matches nothing: exit 1, "expected artifact missing"', () => {
    const dir = tmp('nothing');
    writeFileSync(join(dir, 'linkplan.toml'), 'unmatched = "ignore"\n[[artifact]]\nname = "server"\npath = "target/release/server"\npreset = "musl-static"\n');
    const r = cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(SAMPLES, 'elf/musl-static')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^error: .*linkplan\.toml: expected artifact missing: artifact "server" matched no binary \(patterns: target\/release\/server\)$/m,
    );
    expect(r.stdout).toMatch(/^plan violated: /m);
  });

  it('one file unparseable and another violating: exit 2, and the violation is still reported', () => {
    const args = ['verify', '--plan', 'samples/plans/hardening.toml', 'samples/elf/glibc-pie', 'samples/misc/truncated-elf'];
    const t = cli(args);
    expect(t.code).toBe(2);
    expect(lines(t.stderr)).toEqual([expect.stringMatching(/^linkplan: samples\/misc\/truncated-elf: program header table .* runs past the end/)]);
    expect(t.stdout).toContain('✗ relro: has partial RELRO, expected full');
    expect(t.stdout).toMatch(/^could not analyse every file: 1 binary checked .* 1 failed; .*; 1 could not be analysed$/m);
    for (const fmt of ['json', 'sarif', 'junit', 'github']) {
      const r = cli([...args, '-f', fmt]);
      expect(r.code, fmt).toBe(2);
      expect(r.stdout, fmt).toContain('samples/elf/glibc-pie');
      expect(r.stdout, fmt).toMatch(/relro/);
    }
  });

  it('unmatched = "error" on a real sample: exit 1; --strict turns a warn-only run into exit 1', () => {
    const dir = tmp('unmatched');
    writeFileSync(join(dir, 'p.toml'), `unmatched = "error"\n[[artifact]]\npath = "**/musl-static"\n`);
    const r = cli(['verify', '--plan', join(dir, 'p.toml'), join(SAMPLES, 'elf/musl-static'), join(SAMPLES, 'rust/dynamic')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ unmatched-binary: no artifact in the plan matches this binary');
  });
});

describe('bad plan files: one line, exit 2', () => {
  const dir = tmp('badplans');
  const binary = join(dir, 'binary.toml');
  copyFileSync(join(SAMPLES, 'elf/musl-static'), binary);
  writeFileSync(join(dir, 'latin1.toml'), Buffer.from([0x5b, 0x5b, 0x61, 0x72, 0x74, 0x69, 0x66, 0x61, 0x63, 0x74, 0x5d, 0x5d, 0x0a, 0x23, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'utf16.toml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[[artifact]]\n', 'utf16le')]));
  writeFileSync(join(dir, 'huge.toml'), Buffer.alloc(5 * 1024 * 1024, 0x23));
  writeFileSync(join(dir, 'deep.json'), '['.repeat(100000));
  writeFileSync(join(dir, 'deep.toml'), `a = ${'['.repeat(100000)}`);
  writeFileSync(join(dir, 'array.json'), '[1, 2]');
  mkdirSync(join(dir, 'nometa'));
  writeFileSync(join(dir, 'nometa/Cargo.toml'), '[package]\nname = "x"\nversion = "0.1.0"\n[package.metadata.docs.rs]\nall-features = true\n');

  it.each([
    [binary, /binary\.toml: not a text file \(a NUL byte at offset \d+\): a plan is TOML or JSON$/],
    [join(dir, 'latin1.toml'), /latin1\.toml: not UTF-8 text/],
    [join(dir, 'utf16.toml'), /utf16\.toml: not (UTF-8 text|a text file)/],
    [join(dir, 'huge.toml'), /huge\.toml: 5242880 bytes is too large for a plan \(the limit is 4 MiB\)$/],
    [join(dir, 'deep.json'), /deep\.json: JSON syntax error/],
    [join(dir, 'deep.toml'), /deep\.toml:1:\d+: TOML syntax error: .*nested/],
    [join(dir, 'array.json'), /array\.json: expected a table, got a list$/],
    [join(dir, 'nometa/Cargo.toml'), /nometa\/Cargo\.toml: no \[package\.metadata\.linkplan\] or \[workspace\.metadata\.linkplan\] table$/],
    [join(dir, 'missing.toml'), /missing\.toml: cannot read plan: no such file$/],
    [dir, /: is a directory, not a plan file$/],
  ])('%s', (file, re) => {
    const r = cli(['verify', '--plan', file, join(SAMPLES, 'elf/musl-static')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^linkplan: /);
    expect(r.stderr.trimEnd()).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--format unknown: exit 2, one line', () => {
    const r = cli(['verify', '--plan', 'samples/linkplan.toml', 'samples/elf', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(["linkplan: unknown --format 'yaml' for verify (expected table, json, sarif, junit, github, markdown)"]);
  });
});

describe('plan globs over archive members named ./ (a .deb, tar -C dir .)', () => {
  it('usr/bin/*, **/usr/bin/* and **/bin/app match ./usr/bin/app; the name as stored matches too', () => {
    const dir = tmp('dotslash');
    mkdirSync(join(dir, 'pkg/usr/bin'), { recursive: true });
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'pkg/usr/bin/app'));
    execFileSync('tar', ['-cf', join(dir, 'pkg.tar'), '-C', join(dir, 'pkg'), '.']);
    for (const glob of ['usr/bin/*', '**/usr/bin/*', '**/bin/app', './usr/bin/*', 'usr/bin/app']) {
      writeFileSync(join(dir, 'linkplan.toml'), `version = 1\nunmatched = "error"\n[[artifact]]\npath = "${glob}"\nlinkage = "static"\n`);
      const r = cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(dir, 'pkg.tar')]);
      expect([glob, r.code, lines(r.stdout).pop()]).toEqual([glob, 0, expect.stringMatching(/^plan holds: 1 binary checked/)]);
    }
    // A glob that names another folder still does not match.
    writeFileSync(join(dir, 'linkplan.toml'), 'version = 1\nunmatched = "error"\n[[artifact]]\npath = "bin/*"\nlinkage = "static"\n');
    expect(cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(dir, 'pkg.tar')]).code).toBe(1);
  });
});

describe('members as tar extracts them, and archives under an ignored path', () => {
  it('usr/./bin/x and usr//bin/x are usr/bin/x to plan globs: a dynamic binary so named fails a static artifact', () => {
    const dir = tmp('dotsegs');
    const py = 'import tarfile,sys\nt=tarfile.open(sys.argv[1],"w")\n'
      + 'for s,n in [(sys.argv[2],"usr/./bin/app"),(sys.argv[2],"usr//bin/app2"),(sys.argv[3],"usr/bin/ok")]: t.add(s,arcname=n)\nt.close()\n';
    execFileSync('python3', ['-c', py, join(dir, 'dot.tar'), join(SAMPLES, 'elf/glibc-pie'), join(SAMPLES, 'elf/musl-static')]);
    writeFileSync(join(dir, 'linkplan.toml'), '[[artifact]]\nname = "bins"\npath = "usr/bin/*"\nlinkage = "static"\n');
    const j = JSON.parse(cli(['verify', '--plan', join(dir, 'linkplan.toml'), join(dir, 'dot.tar'), '-f', 'json']).stdout);
    expect(j.outcome).toBe('violated');
    expect(j.binaries.map((b: { file: string; status: string }) => [b.file.split('!')[1], b.status]))
      .toEqual([['usr/./bin/app', 'fail'], ['usr//bin/app2', 'fail'], ['usr/bin/ok', 'pass']]);
  });
  it('ignore covers the members of an archive on disk under an ignored path, as it covers the files there', () => {
    const dir = tmp('ignarc');
    mkdirSync(join(dir, 'd'));
    mkdirSync(join(dir, 'r/usr/bin'), { recursive: true });
    copyFileSync(join(SAMPLES, 'elf/glibc-pie'), join(dir, 'r/usr/bin/app'));
    execFileSync('tar', ['-czf', join(dir, 'd/rel.tgz'), '-C', join(dir, 'r'), '.']);
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'ok'));
    for (const ignore of ['d/**', 'd/rel.tgz']) {
      writeFileSync(join(dir, 'linkplan.toml'), `ignore = ["${ignore}"]\n[[artifact]]\npath = "**"\nlinkage = "static"\n`);
      const r = cli(['verify', '--plan', 'linkplan.toml', 'd', 'ok'], { cwd: dir });
      expect([ignore, r.code, lines(r.stdout).pop()]).toEqual([ignore, 0, expect.stringMatching(/^plan holds: 1 binary checked/)]);
    }
    writeFileSync(join(dir, 'linkplan.toml'), 'ignore = ["x/**"]\n[[artifact]]\npath = "**"\nlinkage = "static"\n');
    expect(cli(['verify', '--plan', 'linkplan.toml', 'd', 'ok'], { cwd: dir }).code).toBe(1);
  });
});
