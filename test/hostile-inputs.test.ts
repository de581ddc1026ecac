/**
 * Hostile plan files and file names: what is not a regular file is refused before it is opened, names that are not
 * UTF-8 are still analysed, a text file that begins with "MZ" does not fail a tree, and no binary slips past a plan
 * by its name. Every input is built at test time in a temp dir; each outcome is one line and an exit code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Escaped } from '../src/bytes/utf8.js';
import { BIN, sample } from './helpers.js';

let dir: string;

/** The CLI in `cwd`; a hang guard (not a timing) kills it after 20 s, which the assertions then report. */
function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' }, timeout: 20_000, maxBuffer: 64 << 20,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1, signal: r.signal };
}

function oneLine(stderr: string, re: RegExp) {
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr.trimEnd()).toMatch(re);
  expect(stderr).not.toMatch(/^\s+at /m);
}

const mkfifo = (p: string) => {
  const r = spawnSync('mkfifo', [p]);
  expect(r.status).toBe(0);
};

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'linkplan-hostile-in-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan files that are not regular files', () => {
  it('plan check on a FIFO: refused before it is opened, one line, exit 2', () => {
    const d = join(dir, 'fifo-check');
    mkdirSync(d);
    mkfifo(join(d, 'plan.toml'));
    const r = run(['plan', 'check', 'plan.toml'], d);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^linkplan: plan\.toml: a FIFO \(named pipe\), not a regular file or directory: not read$/);
  });

  it('verify with a discovered linkplan.toml that is a FIFO', () => {
    const d = join(dir, 'fifo-discovered');
    mkdirSync(d);
    mkfifo(join(d, 'linkplan.toml'));
    copyFileSync(sample('elf/musl-static'), join(d, 'app'));
    const r = run(['verify', 'app'], d);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^linkplan: linkplan\.toml: a FIFO \(named pipe\)/);
  });

  it('verify with a Cargo.toml in a parent directory that is a FIFO', () => {
    const d = join(dir, 'fifo-cargo');
    mkdirSync(join(d, 'sub'), { recursive: true });
    mkfifo(join(d, 'Cargo.toml'));
    copyFileSync(sample('elf/musl-static'), join(d, 'sub', 'app'));
    const r = run(['verify', 'app'], join(d, 'sub'));
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    oneLine(r.stderr, /^linkplan: \.\.\/Cargo\.toml: a FIFO \(named pipe\)/);
  });

  it('plan check /dev/zero and /dev/null: character devices, never read', () => {
    for (const dev of ['/dev/zero', '/dev/null']) {
      const r = run(['plan', 'check', dev]);
      expect(r.code).toBe(2);
      oneLine(r.stderr, new RegExp(`^linkplan: ${dev}: a character device, not a regular file or directory: not read$`));
    }
  });

  it('a plan over the size limit is refused by its size, in one line', () => {
    const p = join(dir, 'huge.toml');
    writeFileSync(p, `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    const r = run(['plan', 'check', p]);
    expect(r.code).toBe(2);
    oneLine(r.stderr, /is too large for a plan \(the limit is 4 MiB\)$/);
  });
});

describe('file names', () => {
  it('names that are not UTF-8: analysed (files and directories), shown with \\xNN escapes', () => {
    const d = join(dir, 'bytes');
    mkdirSync(d);
    const db = Buffer.from(d);
    const file = Buffer.concat([db, Buffer.from('/bad'), Buffer.from([0xff, 0xfe]), Buffer.from('name')]);
    const sub = Buffer.concat([db, Buffer.from('/dir'), Buffer.from([0xc3, 0x28])]);
    copyFileSync(sample('elf/musl-static'), file);
    mkdirSync(sub);
    copyFileSync(sample('elf/glibc-pie'), Buffer.concat([sub, Buffer.from('/in'), Buffer.from([0x80]), Buffer.from('side')]));
    const r = run(['inspect', '--json', 'bytes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.map((b: { path: string; error: unknown; linkage: string }) => [b.path, b.error, b.linkage])).toEqual([
      ['bytes/bad\\xff\\xfename', null, 'static'],
      ['bytes/dir\\xc3(/in\\x80side', null, 'dynamic'],
    ]);
    const t = run(['inspect', 'bytes']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('bytes/bad\\xff\\xfename');
  });

  it('utf8Escaped: valid UTF-8 unchanged, each bad byte escaped, overlongs and surrogates rejected', () => {
    const e = (b: number[]) => utf8Escaped(Uint8Array.from(b));
    expect(e([0x61, 0xc3, 0xa9, 0xe6, 0xbc, 0xa2, 0xf0, 0x9f, 0x98, 0x80])).toBe('aé漢😀');
    expect(e([0x61, 0xff, 0x62])).toBe('a\\xffb');
    expect(e([0xc0, 0xaf])).toBe('\\xc0\\xaf');
    expect(e([0xed, 0xa0, 0x80])).toBe('\\xed\\xa0\\x80');
    expect(e([0xe6, 0xbc])).toBe('\\xe6\\xbc');
    expect(e([0xf4, 0x90, 0x80, 0x80])).toBe('\\xf4\\x90\\x80\\x80');
  });

  it('a text file that begins with "MZ": passed over inside a tree, an error when named', () => {
    const d = join(dir, 'mz');
    mkdirSync(d);
    writeFileSync(join(d, 'MZ-notes.txt'), 'MZ is where this text begins, and it is no program.\n');
    writeFileSync(join(d, 'mz-short'), 'MZ');
    copyFileSync(sample('elf/musl-static'), join(d, 'app'));
    const tree = run(['inspect', '--json', 'mz']);
    expect(tree.stderr).toBe('');
    expect(tree.code).toBe(0);
    const j = JSON.parse(tree.stdout);
    expect(j.binaries.map((b: { path: string }) => b.path)).toEqual(['mz/app']);
    expect(j.skipped).toBe(2);
    const named = run(['inspect', 'mz/MZ-notes.txt']);
    expect(named.code).toBe(2);
    oneLine(named.stderr, /^linkplan: mz\/MZ-notes\.txt: /);
  });

  it('a real PE inside a tree is still read (the plausibility check is not a filter on PEs)', () => {
    const d = join(dir, 'pe');
    mkdirSync(d);
    copyFileSync(sample('pe/mingw/cxx-dyn.exe'), join(d, 'hello.exe'));
    const r = run(['inspect', '--json', 'pe']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).binaries.map((b: { format: string }) => b.format)).toEqual(['pe']);
    expect(readFileSync(join(d, 'hello.exe')).subarray(0, 2).toString()).toBe('MZ');
  });
});

describe('no binary slips past the plan by its name', () => {
  it('a glibc binary named "bad\\nname" is matched by path = "**" and fails musl-static (exit 1)', () => {
    const d = join(dir, 'slip');
    mkdirSync(d);
    copyFileSync(sample('elf/glibc-pie'), join(d, 'bad\nname'));
    copyFileSync(sample('elf/glibc-pie'), join(d, '.hidden\r'));
    writeFileSync(join(d, 'linkplan.toml'), 'unmatched = "ignore"\n[[artifact]]\npath = "**"\npreset = "musl-static"\n');
    const r = run(['verify', '--format', 'json', '.'], d);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.map((b: { file: string; status: string }) => [b.file, b.status])).toEqual([['.hidden\r', 'fail'], ['bad\nname', 'fail']]);
  });
});
