/**
 * `linkplan verify` end to end: the committed samples plan holds (exit 0), each plan in samples/plans is violated
 * (exit 1), each bad plan and each unanalysable input gives one clear line and exit 2; plan discovery; --strict.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, SAMPLES } from './helpers.js';

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('verify: the samples plan', () => {
  it('samples/linkplan.toml holds for every committed sample (exit 0)', () => {
    const r = cli(['verify', '--plan', 'samples/linkplan.toml', 'samples']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatch(/^plan holds: \d+ binaries checked against samples\/linkplan.toml: (\d+) passed, 0 failed; 0 errors, 0 warnings$/);
    const j = JSON.parse(cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', '-f', 'json']).stdout);
    // Every sample but the deliberately malformed ones is planned, and every artifact matched something.
    expect(j.summary.unmatched).toBe(0);
    expect(j.binaries.length).toBeGreaterThan(100);
    expect(j.binaries.every((b: { artifacts: string[] }) => b.artifacts.length > 0)).toBe(true);
  });

  it('is found without --plan when run inside samples/', () => {
    const r = cli(['verify', '.'], { cwd: SAMPLES });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checked against linkplan.toml');
  });
});

/** [plan, paths, files expected to fail]. */
const FAILING: [string, string[], string[]][] = [
  ['crt-static-drift.toml', ['samples/rust'], ['samples/rust/dynamic', 'samples/rust/libcdy.so', 'samples/rust/librdy.so', 'samples/rust/use-rdy']],
  [
    'windows-self-contained.toml', ['samples/pe/msvc/x64'],
    ['debug.dll', 'hybrid.dll', 'md_like-guardcf.dll', 'md_like-nodynamicbase.dll', 'md_like-nohighentropy-nonx.dll', 'md_like.dll', 'msvcp.dll']
      .map((f) => `samples/pe/msvc/x64/${f}`),
  ],
  [
    'macos-app.toml', ['samples/macho'],
    ['samples/macho/arm64/bin/homebrew-user', 'samples/macho/universal/bin/mismatch', 'samples/macho/x86_64/bin/homebrew-user'],
  ],
  [
    'hardening.toml', ['samples/elf'],
    ['execstack-flag', 'execstack-nested', 'glibc-nopie', 'glibc-pie', 'lazy-norelro', 'textrel-pie'].map((f) => `samples/elf/${f}`),
  ],
  ['distro.toml', ['samples/elf-tree'], ['use-rpath', 'use-rpath-rustlib', 'use-runpath', 'use-runpath-rustlib'].map((f) => `samples/elf-tree/bin/${f}`)],
  ['portable-linux.toml', ['samples/elf', 'samples/rust'], ['samples/elf/glibc-pie', 'samples/rust/dynamic', 'samples/rust/use-rdy']],
  ['missing-artifact.toml', ['samples/elf/musl-static'], []],
  ['cargo/Cargo.toml', ['samples/rust'], ['samples/rust/dynamic']],
];

describe('verify: plans the samples deliberately violate', () => {
  it('every plan in samples/plans is covered here', () => {
    const all = readdirSync(join(SAMPLES, 'plans')).flatMap((n) => (statSync(join(SAMPLES, 'plans', n)).isDirectory()
      ? readdirSync(join(SAMPLES, 'plans', n)).map((m) => `${n}/${m}`)
      : [n]));
    expect(all.sort()).toEqual(FAILING.map((f) => f[0]).sort());
  });

  it.each(FAILING)('%s is violated (exit 1)', (p, paths, failing) => {
    const r = cli(['verify', '--plan', `samples/plans/${p}`, ...paths, '-f', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.outcome).toBe('violated');
    expect(j.binaries.filter((b: { status: string }) => b.status === 'fail').map((b: { file: string }) => b.file).sort()).toEqual(failing);
    if (p === 'missing-artifact.toml') expect(j.findings.map((f: { rule: string }) => f.rule)).toEqual(['artifact-missing']);
  });
});

/** Each bad plan: one line on stderr naming the file, the key and what was expected; nothing on stdout; exit 2. */
const BAD: [string, RegExp][] = [
  ['syntax.toml', /^linkplan: test\/fixtures\/bad-plans\/syntax.toml:4:12: TOML syntax error: invalid value$/],
  ['syntax.json', /^linkplan: test\/fixtures\/bad-plans\/syntax.json:3:24: JSON syntax error: .+$/],
  ['unknown-key.toml', /: artifact\[0\]\.linkge: unknown key \(did you mean "linkage"\?\)$/],
  ['unknown-top-key.toml', /: unmatchd: unknown key \(did you mean "unmatched"\?\)$/],
  ['unknown-nested-key.toml', /: artifact\[0\]\.needed\.deny: unknown key \(expected one of: allow, forbid\)$/],
  ['wrong-type.toml', /: artifact\[0\]\.pie: expected true or false, got "yes"$/],
  ['bad-enum.toml', /: artifact\[0\]\.linkage\[1\]: expected "static", "static-pie" or "dynamic", got "statik" \(did you mean "static"\?\)$/],
  ['unknown-preset.toml', /: artifact\[0\]\.preset: expected one of "musl-static", .*"windows-portable", got "musl-statik" \(did you mean "musl-static"\?\)$/],
  ['malformed-glob.toml', /: artifact\[0\]\.path: malformed glob "bin\/\[abc": Missing closing: "\]"$/],
  ['malformed-needed-glob.toml', /: artifact\[0\]\.needed\.forbid\[0\]: malformed glob "libssl\{3,1\.1": Missing closing: "\}"$/],
  ['missing-path.toml', /: artifact\[0\]\.path: missing \(required\)$/],
  ['bad-version.toml', /: artifact\[0\]\.glibcMax: expected a version string like "2\.28", got "two\.28"$/],
  ['bad-plan-version.toml', /: version: expected 1, got 2 \(this linkplan reads plan version 1\)$/],
  ['unknown-lib.toml', /: artifact\[0\]\.libs\.opensll: unknown key \(did you mean "openssl"\?\)$/],
  ['unknown-rule.toml', /: severity\.needed-alow: unknown key \(did you mean "needed-allow"\?\)$/],
  ['artifact-not-list.toml', /: artifact: expected a list of tables, got a table$/],
  ['cargo-no-table/Cargo.toml', /Cargo.toml: no \[package\.metadata\.linkplan\] or \[workspace\.metadata\.linkplan\] table$/],
  ['cargo-both/Cargo.toml', /Cargo.toml: has both \[package\.metadata\.linkplan\] and \[workspace\.metadata\.linkplan\]: keep one/],
  ['no-artifact.toml', /: artifact: missing: a plan needs at least one \[\[artifact\]\] table/],
  ['empty-artifact-list.toml', /: artifact: missing: a plan needs at least one \[\[artifact\]\] table/],
  ['backslash-path.toml', /: artifact\[0\]\.path: "target\\\\release\\\\\*\.dll": separate directories with "\/", not "\\"/],
];

describe('verify: bad plans and bad usage exit 2 with one line', () => {
  it('every bad plan fixture is covered here', () => {
    const dir = join(ROOT, 'test/fixtures/bad-plans');
    const all = readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? readdirSync(join(dir, n)).map((m) => `${n}/${m}`) : [n]));
    expect(all.sort()).toEqual(BAD.map((b) => b[0]).sort());
  });

  it.each(BAD)('%s', (file, re) => {
    const r = cli(['verify', '--plan', `test/fixtures/bad-plans/${file}`, 'samples/elf/musl-static']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(new RegExp(`^linkplan: test/fixtures/bad-plans/${file.replace(/[.[\]/]/g, '\\$&')}`));
    expect(r.stderr.trimEnd()).toMatch(re);
    // plan check says the same.
    const c = cli(['plan', 'check', `test/fixtures/bad-plans/${file}`]);
    expect([c.code, c.stderr]).toEqual([2, r.stderr]);
  });

  it.each([
    [['verify', '--plan', 'nope.toml', 'samples/elf'], /^linkplan: nope.toml: cannot read plan: no such file$/],
    [['verify', '--plan', 'samples/linkplan.toml', 'samples/elf', '-f', 'xml'], /^linkplan: unknown --format 'xml' for verify/],
    [['verify', '--plan', 'samples/plans/hardening.toml', 'samples/misc/truncated-elf'], /^linkplan: samples\/misc\/truncated-elf: .*runs past the end/],
    [['verify', '--plan', 'samples/linkplan.toml', 'samples/no-such-file'], /^linkplan: samples\/no-such-file: no such file or directory$/],
    [['verify', '--plan', 'samples/plans', 'samples/elf'], /^linkplan: samples\/plans: is a directory, not a plan file$/],
  ] as const)('%j', (args, re) => {
    const r = cli([...args]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(re);
  });

  it('no plan found: exit 2', () => {
    const r = cli(['verify', join(SAMPLES, 'elf/musl-static')], { cwd: mkdtempSync(join(tmpdir(), 'linkplan-noplan-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^linkplan: no plan found: looked for linkplan.toml, linkplan.json, Cargo.toml/);
  });

  it('unanalysable wins over violated: exit 2 even when a plan is also broken by other files', () => {
    const r = cli(['verify', '--plan', 'samples/plans/hardening.toml', 'samples/elf', 'samples/misc/truncated-pe', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).outcome).toBe('unanalysable');
  });
});

describe('verify: discovery, --strict, plan check', () => {
  it('finds [workspace.metadata.linkplan] in a Cargo.toml and a JSON plan', () => {
    expect(cli(['verify', join(SAMPLES, 'elf/glibc-pie')], { cwd: join(ROOT, 'test/fixtures/plans/workspace') }).code).toBe(0);
    expect(cli(['verify', join(SAMPLES, 'elf/glibc-pie')], { cwd: join(ROOT, 'test/fixtures/plans') }).stdout).toContain('linkplan.json');
    expect(cli(['verify', '--plan', 'test/fixtures/plans/linkplan.json', 'samples/elf']).code).toBe(0);
  });

  it('--strict promotes warnings: a run with only warnings exits 0, and 1 with --strict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-strict-'));
    writeFileSync(join(dir, 'linkplan.toml'), `[[artifact]]\npath = "**/musl-static"\nlinkage = "static"\n`);
    const args = ['verify', '--plan', join(dir, 'linkplan.toml'), join(SAMPLES, 'elf/musl-static'), join(SAMPLES, 'elf/glibc-pie')];
    const lax = cli(args);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(/plan holds: .* 0 errors, 1 warning$/m);
    const strict = cli([...args, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/plan violated: .*\(strict\): .* 1 error, 0 warnings$/m);
  });

  it('plan check and plan schema', () => {
    const c = cli(['plan', 'check', 'samples/linkplan.toml']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^samples\/linkplan.toml: ok, \d+ artifacts/);
    const s = cli(['plan', 'schema']);
    expect(JSON.parse(s.stdout).title).toBe('linkplan linkage plan');
  });
});
