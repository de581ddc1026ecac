/**
 * `linkplan audit` end to end: over real npm platform tarballs (npm run corpus keeps them as published), over
 * archives built from the samples, with and without a plan, in every report format.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sample } from './helpers.js';
import { parseXml } from './xml.js';

const TGZ = join(ROOT, '.cache', 'corpus-tgz');
let dir: string;

function audit(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 << 20,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}
const rules = (stdout: string) => (JSON.parse(stdout).findings as { rule: string; args: Record<string, unknown> }[])
  .map((f) => [f.rule, f.args.name ?? f.args.path ?? f.args.code ?? null]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-audit-'));
  // A release tree: bin/use-rpath needs libfoo.so.1 (shipped in lib/) and libc.so.6 (the system's).
  const rel = join(dir, 'release');
  mkdirSync(join(rel, 'bin'), { recursive: true });
  mkdirSync(join(rel, 'lib'));
  copyFileSync(sample('elf-tree/bin/use-rpath'), join(rel, 'bin/use-rpath'));
  copyFileSync(sample('elf-tree/lib/libfoo.so.1'), join(rel, 'lib/libfoo.so.1'));
  execFileSync('tar', ['-C', dir, '-czf', join(dir, 'release.tgz'), 'release']);
  // The same without the library it needs.
  rmSync(join(rel, 'lib'), { recursive: true });
  execFileSync('tar', ['-C', dir, '-czf', join(dir, 'missing-lib.tgz'), 'release']);
  copyFileSync(sample('elf/textrel-pie'), join(rel, 'bin/textrel'));
  copyFileSync(sample('elf/execstack-flag'), join(rel, 'bin/execstack'));
  execFileSync('tar', ['-C', dir, '-czf', join(dir, 'sloppy.tgz'), 'release']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit over real npm platform tarballs', () => {
  it('the tarballs are there (npm run corpus)', () => expect(existsSync(join(TGZ, '@esbuild__linux-x64@0.25.0.tgz'))).toBe(true));

  it.each([
    ['@esbuild__linux-x64@0.25.0.tgz', 0, []],
    ['@esbuild__win32-x64@0.25.0.tgz', 0, []],
    ['@biomejs__cli-linux-x64-musl@1.9.4.tgz', 0, []],
    ['@biomejs__cli-win32-x64@1.9.4.tgz', 0, []],
    ['@rollup__rollup-linux-x64-gnu@4.34.8.tgz', 0, []],
    // napi-rs on musl needs the GCC runtime, which Alpine's base image does not have and the package does not ship.
    ['@rollup__rollup-linux-x64-musl@4.34.8.tgz', 1, [['unshipped-dependency', 'libgcc_s.so.1']]],
    // The dylib's install name is the path it was linked at on the CI runner.
    ['@rollup__rollup-darwin-arm64@4.34.8.tgz', 1, [['build-path', expect.stringMatching(/^\/Users\/runner\/work\/rollup\//)]]],
  ])('%s: exit %i', (file, code, findings) => {
    const r = audit(['--format', 'json', join(TGZ, file)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    const j = JSON.parse(r.stdout);
    expect(j.summary.binaries).toBe(1);
    expect(j.binaries[0].file).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}!package/`));
    expect(rules(r.stdout)).toEqual(findings);
  });
});

describe('audit over archives built from the samples', () => {
  it('a dependency shipped in the same archive is found there; the system libc is the system\'s', () => {
    const r = audit(['--format', 'json', 'release.tgz']);
    expect(r.code).toBe(0);
    expect(rules(r.stdout)).toEqual([]);
  });

  it('the same archive without the library: unshipped-dependency, exit 1', () => {
    const r = audit(['--format', 'json', 'missing-lib.tgz']);
    expect(r.code).toBe(1);
    expect(rules(r.stdout)).toEqual([['unshipped-dependency', 'libfoo.so.1']]);
  });

  it('a library named by a path relative to the working directory (gcc u.c sub/libssl.so.3): unanchored-search-path, exit 1', () => {
    const d = join(dir, 'needpath');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'l.c'), 'int l(void) { return 1; }\n');
    writeFileSync(join(d, 'u.c'), 'int l(void);\nint main(void) { return l(); }\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-o', 'sub/libssl.so.3', 'l.c'], { cwd: d });
    execFileSync('gcc', ['u.c', 'sub/libssl.so.3', '-o', 'needpath'], { cwd: d });
    const r = audit(['--format', 'json', 'needpath'], d);
    expect(rules(r.stdout)).toContainEqual(['unanchored-search-path', null]);
    expect(JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'unanchored-search-path').args)
      .toEqual({ field: 'DT_NEEDED', entry: 'sub/libssl.so.3' });
    expect(r.code).toBe(1);
  });

  it('warnings (text relocations, executable stack) fail only with --strict', () => {
    const loose = audit(['--format', 'json', 'sloppy.tgz']);
    expect(loose.code).toBe(1); // libfoo.so.1 is missing here too
    expect(rules(loose.stdout)).toEqual(expect.arrayContaining([['text-relocations', null], ['exec-stack', null]]));
    const f = JSON.parse(loose.stdout).findings.filter((x: { rule: string }) => x.rule === 'exec-stack');
    expect(f.map((x: { severity: string }) => x.severity)).toEqual(['warning']);
  });

  it('--glibc-max: a floor above it is an error; a bad version is bad usage', () => {
    const r = audit(['--format', 'json', '--glibc-max', '2.1', 'release.tgz']);
    expect(r.code).toBe(1);
    expect(rules(r.stdout).map((x) => x[0])).toContain('glibc-floor');
    const bad = audit(['--glibc-max', 'new', 'release.tgz']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("linkplan: --glibc-max 'new' is not a glibc version (expected e.g. 2.28)\n");
  });

  it('with a plan: its rules run too, and its [severity] table retunes the hygiene rules', () => {
    writeFileSync(join(dir, 'linkplan.toml'), '[severity]\nunshipped-dependency = "off"\n\n[[artifact]]\npath = "release/bin/*"\nlinkage = "static"\n');
    try {
      const r = audit(['--format', 'json', 'missing-lib.tgz']);
      expect(r.code).toBe(1);
      expect(rules(r.stdout)).toEqual([['linkage', null]]);
    } finally {
      rmSync(join(dir, 'linkplan.toml'));
    }
  });

  it('archive members reported, not obeyed, are archive-member findings', () => {
    execFileSync('python3', ['-c', `
import tarfile, io
t = tarfile.open('evil.tgz', 'w:gz')
i = tarfile.TarInfo('../outside'); i.size = 3; t.addfile(i, io.BytesIO(b'abc'))
i = tarfile.TarInfo('link'); i.type = tarfile.SYMTYPE; i.linkname = '/etc/shadow'; t.addfile(i)
t.close()`], { cwd: dir });
    const r = audit(['--format', 'json', 'evil.tgz']);
    expect(r.code).toBe(1);
    expect(rules(r.stdout)).toEqual([['archive-member', 'traversal'], ['archive-member', 'link-escapes']]);
    const t = audit(['evil.tgz']);
    expect(t.stdout).toContain('error: evil.tgz!../outside: archive member reported, not obeyed: a member name with ".." '
      + 'can reach outside the unpack directory');
  });

  it('two members of one name are two binaries, each judged on its own facts (and resolved as itself)', () => {
    const dyn = sample('elf/libs/zlib-dynamic'), stat = sample('elf/musl-static');
    for (const [name, order, want] of [['dup-a.tar', [dyn, stat], ['fail', 'pass']], ['dup-b.tar', [stat, dyn], ['pass', 'fail']]] as const) {
      execFileSync('python3', ['-c', `
import tarfile, io, sys
with tarfile.open(sys.argv[1], 'w') as t:
    for f in sys.argv[2:]:
        b = open(f, 'rb').read(); i = tarfile.TarInfo('bin/app'); i.size = len(b); t.addfile(i, io.BytesIO(b))
`, name, ...order], { cwd: dir });
      const r = JSON.parse(audit(['--format', 'json', name]).stdout);
      expect(r.binaries.map((b: { status: string; facts: { linkage: string } }) => [b.facts.linkage, b.status]), name)
        .toEqual(order.map((f, i) => [f === dyn ? 'dynamic' : 'static', want[i]]));
      const missing = r.findings.filter((f: { rule: string }) => f.rule === 'unshipped-dependency');
      // libz.so.1 looked for as glibc's loader would (the musl binary's facts do not stand in for it).
      expect(missing.map((f: { args: { name: string; lookedIn: string[] } }) => [f.args.name, f.args.lookedIn.includes('musl')]), name)
        .toEqual([['libz.so.1', false]]);
    }
  });

  it('every report format is well-formed', () => {
    const sarifSchema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(sarifSchema);
    const sarif = audit(['--format', 'sarif', 'missing-lib.tgz']);
    expect(sarif.code).toBe(1);
    expect(validate(JSON.parse(sarif.stdout)), JSON.stringify(validate.errors)).toBe(true);
    const junit = audit(['--format', 'junit', 'missing-lib.tgz']);
    const doc = parseXml(junit.stdout);
    expect(JSON.stringify(doc)).toContain('unshipped-dependency');
    expect(doc.attrs.name).toMatch(/^linkplan audit /);
    // A clean audit: one passing testcase per binary checked, not tests="0".
    const clean = parseXml(audit(['--format', 'junit', 'release.tgz']).stdout);
    expect([clean.attrs.tests, clean.attrs.failures]).toEqual(['2', '0']);
    expect(clean.children[0].children.map((c) => [c.attrs.name, c.attrs.classname]).sort()).toEqual([
      ['hygiene', 'release.tgz!release/bin/use-rpath'], ['hygiene', 'release.tgz!release/lib/libfoo.so.1']]);
    const gh = audit(['--format', 'github', 'missing-lib.tgz']);
    expect(gh.stdout).toMatch(/^::error file=missing-lib\.tgz!release\/bin\/use-rpath,title=linkplan unshipped-dependency/m);
    const table = audit(['missing-lib.tgz']);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toMatch(/^audit failed: 1 binary checked against the hygiene rules/);
  });
});

describe('an artifact\'s [severity] retunes an audit rule for its binaries', () => {
  it('severity.build-path = "off" on the artifact covering a binary with a runner RUNPATH: the audit passes; another binary still fails', () => {
    const d = mkdtempSync(join(tmpdir(), 'linkplan-audit-sev-'));
    writeFileSync(join(d, 'm.c'), 'int main(void){return 0;}\n');
    for (const n of ['h', 'g']) {
      execFileSync('gcc', [join(d, 'm.c'), '-o', join(d, n), '-Wl,--enable-new-dtags', '-Wl,-rpath,/home/runner/work/lib']);
    }
    writeFileSync(join(d, 'linkplan.toml'), '[[artifact]]\nname = "h"\npath = "h"\nseverity.build-path = "off"\n[[artifact]]\nname = "g"\npath = "g"\n');
    const j = JSON.parse(audit(['--plan', 'linkplan.toml', 'h', 'g', '-f', 'json'], d).stdout);
    expect(j.findings.map((f: { rule: string; file: string }) => [f.rule, f.file])).toEqual([['build-path', 'g']]);
    expect(j.binaries.map((b: { file: string; status: string }) => [b.file, b.status])).toEqual([['h', 'pass'], ['g', 'fail']]);
    // Set on the artifact: the finding of a warn names the layer that set it.
    writeFileSync(join(d, 'linkplan.toml'), '[[artifact]]\nname = "g"\npath = "g"\nseverity.build-path = "warn"\n');
    const w = JSON.parse(audit(['--plan', 'linkplan.toml', 'g', '-f', 'json'], d).stdout);
    expect(w.findings.map((f: { rule: string; severity: string; layer: string }) => [f.rule, f.severity, f.layer]))
      .toEqual([['build-path', 'warning', 'linkplan.toml']]);
  });
});
