import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  chmodSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, BIN_PATH, ROOT, cli, sample } from './helpers.js';
import { displayWidth } from '../src/report/text.js';
import { FileSource } from '../src/node/file-source.js';
import { inspectSource } from '../src/inspect.js';
import { SCHEMA_VERSION } from '../src/report/model.js';

/** A CLI run as recorded in snapshots: command, exit code, output. */
function run(args: string[]) {
  const r = cli(args);
  return { command: `linkplan ${args.join(' ')}`, exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
}

function noStackTrace(s: string) {
  expect(s).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
}

describe('inspect CLI', () => {
  it('table over ELF samples, exit 0', () => {
    const r = run([
      'inspect', 'samples/elf/musl-static', 'samples/elf/musl-static-pie', 'samples/elf/musl-dynamic', 'samples/elf/glibc-pie',
      'samples/elf/libfoo.so.1',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r).toMatchSnapshot();
  });

  it('--long shows details and evidence', () => {
    const r = run(['inspect', '--long', 'samples/rust/crt-static']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('DF_1_PIE=true');
    expect(r.stdout).toContain('rustc version');
    expect(r).toMatchSnapshot();
  });

  it('--json carries the documented fields', () => {
    const r = run(['inspect', '--json', 'samples/elf/musl-static-pie', 'samples/elf-tree/bin/use-runpath-rustlib']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(SCHEMA_VERSION);
    for (const b of j.binaries) {
      for (const k of [
        'path', 'format', 'arch', 'type', 'linkage', 'pie', 'libc', 'interpreter', 'needed', 'rpath', 'runpath', 'soname', 'evidence',
        'warnings', 'error',
      ]) {
        expect(b, k).toHaveProperty(k);
      }
    }
    expect(j.binaries[0]).toMatchObject({ linkage: 'static-pie', pie: true, interpreter: null, needed: [] });
    expect(j.binaries[1].runpath).toEqual(['$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib']);
  });

  it('directories: recursive, symlinks reported and not followed out of the tree', () => {
    const r = run(['inspect', '--json', 'samples/elf-tree']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.map((b: { path: string }) => b.path)).toContain('samples/elf-tree/lib/rustlib/x86_64-unknown-linux-musl/lib/libfoo.so.1');
    expect(j.symlinks).toContainEqual({ path: 'samples/elf-tree/bin/link-out', target: '/usr/bin/true', inTree: false });
    expect(j.symlinks).toContainEqual({ path: 'samples/elf-tree/lib/libfoo.so', target: 'libfoo.so.1', inTree: true });
    // Nothing outside the tree was read.
    expect(j.binaries.every((b: { path: string }) => b.path.startsWith('samples/elf-tree/'))).toBe(true);
  });

  it('a non-binary named on the command line: one line, exit 2', () => {
    const r = run(['inspect', 'samples/misc/not-a-binary.txt']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['linkplan: samples/misc/not-a-binary.txt: not an ELF, PE or Mach-O binary']);
    expect(r).toMatchSnapshot();
  });

  it('a Java class file is not taken for a universal Mach-O', () => {
    const r = run(['inspect', 'samples/misc/java.class']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Java class file');
  });

  it('truncated and corrupt ELF: one line each naming file and reason, the run goes on, exit 2', () => {
    const r = run(['inspect', 'samples/misc/truncated-elf', 'samples/misc/garbage-elf', 'samples/elf/glibc-pie']);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^linkplan: samples\/misc\/truncated-elf: .*past the end of the file/);
    expect(lines[1]).toMatch(/^linkplan: samples\/misc\/garbage-elf: /);
    expect(r.stdout).toContain('samples/elf/glibc-pie');
    noStackTrace(r.stderr);
    expect(r).toMatchSnapshot();
  });

  it('a directory of junk: non-binaries skipped, broken binaries reported, exit 2', () => {
    const r = run(['inspect', 'samples/misc']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/non-binary files? skipped/);
    expect(r.stderr).not.toContain('not-a-binary.txt');
    noStackTrace(r.stderr);
  });

  it('missing path: one line, exit 2', () => {
    const r = run(['inspect', 'samples/does-not-exist']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('linkplan: samples/does-not-exist: no such file or directory\n');
  });

  it('bad usage exits 2', () => {
    expect(run(['inspect']).exitCode).toBe(2);
    expect(run(['inspect', '--bogus', 'x']).exitCode).toBe(2);
    expect(run(['frobnicate']).exitCode).toBe(2);
    expect(run(['inspect', '--format', 'xml', 'samples/elf/glibc-pie']).exitCode).toBe(2);
  });

  it('--version and --help exit 0', () => {
    expect(run(['--version']).exitCode).toBe(0);
    expect(run(['--help']).exitCode).toBe(0);
  });
});

/** Long, CJK, emoji and combining-character paths, made at test time: the table fits 80 and 200 columns. */
describe('inspect CLI: the terminal width', () => {
  let dir: string;
  const names = [
    'node_modules/@swc/core-win32-ia32-msvc/swc-core-win32-ia32-msvc-1.16.22/package/swc.node',
    '中文目录/数据库/共享库.so',
    'emoji-😀/🚀app',
    'cafe\u0301/bin',
  ];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'linkplan-width-'));
    for (const n of names) {
      mkdirSync(join(dir, 'tree', n, '..'), { recursive: true });
      copyFileSync(sample(n.endsWith('.so') ? 'elf/libfoo.so.1' : 'elf/glibc-pie'), join(dir, 'tree', n));
    }
    symlinkSync('../README', join(dir, 'tree/emoji-😀/link-to-text'));
    writeFileSync(join(dir, 'tree/README'), 'text\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([80, 200])('%i columns: one row per binary, no line wider, table lines all equal, file names visible', (columns) => {
    const r = cli(['inspect', 'tree'], { cwd: dir, columns });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(columns);
    expect(new Set(lines.filter((l) => /^[┌│├└]/.test(l)).map(displayWidth)).size).toBe(1);
    for (const base of ['swc.node', '共享库.so', '🚀app', 'bin']) expect(r.stdout).toContain(base);
    // At 80 columns the link line wraps: continuation lines are indented two spaces.
    expect(r.stdout.replace(/\n {2}/g, ' ')).toContain('(inside the tree: not followed; its target, if a binary, is listed at its own path)');
    expect({ columns, stdout: r.stdout }).toMatchSnapshot();
  });
});

/**
 * The built CLI copied into `dir` (mode 0755) with its runtime dependencies, for runs as another user: the checkout
 * may sit in a 0700 directory (a fresh clone in mktemp -d) that `nobody` cannot enter.
 */
function reachableCli(dir: string): string {
  const to = join(dir, 'cli-copy');
  if (!existsSync(to)) {
    cpSync(join(ROOT, 'dist'), join(to, 'dist'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(to, 'package.json'));
    const pkg = (d: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', d, 'package.json'), 'utf8'));
    const todo = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
    for (const seen = new Set<string>(); todo.length;) {
      const d = todo.pop()!;
      if (seen.has(d)) continue;
      seen.add(d);
      cpSync(join(ROOT, 'node_modules', d), join(to, 'node_modules', d), { recursive: true });
      todo.push(...Object.keys(pkg(d).dependencies ?? {}));
    }
    spawnSync('chmod', ['-R', 'a+rX', to]);
  }
  return join(to, BIN_PATH);
}

/**
 * Hostile paths: every one gives one line on stderr naming the file and the reason, exit 2, and the rest of the run
 * goes on. Each run has a timeout, so something that blocks (a FIFO, /dev/zero) fails the test instead of hanging it.
 */
describe('inspect CLI: bad paths', () => {
  let dir: string;
  const ok = () => join(dir, 'ok');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'linkplan-cli-'));
    chmodSync(dir, 0o755);
    copyFileSync(sample('elf/glibc-pie'), join(dir, 'ok'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runIn(args: string[], opts: { uid?: number } = {}) {
    const main = opts.uid !== undefined ? reachableCli(dir) : BIN;
    const r = spawnSync(process.execPath, [main, 'inspect', ...args], {
      cwd: dir, encoding: 'utf8', timeout: 15_000, env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' },
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    expect(r.error, 'the CLI did not finish (blocked?)').toBeUndefined();
    noStackTrace(r.stderr);
    return { stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trim().split('\n').filter(Boolean), code: r.status };
  }

  /** Exit 2, exactly one stderr line, for `path`, matching `reason`; `ok` (named after it) still inspected. */
  function refusedOne(args: string[], path: string, reason: RegExp, opts: { uid?: number } = {}) {
    const r = runIn([...args, ok()], opts);
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0].startsWith(`linkplan: ${path}: `), r.lines[0]).toBe(true);
    expect(r.lines[0]).toMatch(reason);
    expect(r.stdout).toContain(ok());
    return r;
  }

  it('an unreadable file (chmod 000; as root, the CLI runs as nobody so the mode applies)', () => {
    const p = join(dir, 'noperm');
    copyFileSync(sample('elf/glibc-pie'), p);
    chmodSync(p, 0o000);
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    refusedOne([p], p, /permission denied$/, { uid });
  });

  it('a directory where a file is expected (a trailing slash after a file name)', () => {
    refusedOne([`${ok()}/`], `${ok()}/`, /not a directory/);
  });

  it('a FIFO inside a directory is passed over without blocking; named explicitly it is refused, not opened', () => {
    const d = join(dir, 'with-fifo');
    mkdirSync(d);
    copyFileSync(sample('elf/glibc-pie'), join(d, 'bin'));
    const mk = spawnSync('mkfifo', [join(d, 'fifo')]);
    expect(mk.status, 'mkfifo (coreutils) must be available').toBe(0);
    const r = runIn(['--json', d]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).binaries.map((b: { path: string }) => b.path)).toEqual([join(d, 'bin')]);
    refusedOne([join(d, 'fifo')], join(d, 'fifo'), /FIFO \(named pipe\), not a regular file/);
    // audit places each input before reading it (is it an archive?): a FIFO is not opened there either.
    const a = spawnSync(process.execPath, [BIN, 'audit', join(d, 'fifo'), join(d, 'bin')], { cwd: dir, encoding: 'utf8', timeout: 15_000 });
    expect(a.error, 'audit did not finish (blocked?)').toBeUndefined();
    expect(a.status).toBe(2);
    expect(a.stderr.trim().split('\n')).toEqual([expect.stringMatching(/fifo: a FIFO \(named pipe\), not a regular file/)]);
  });

  it('symlink loops: named explicitly, one line; inside a tree, reported as a loop', () => {
    const d = join(dir, 'loops');
    mkdirSync(d);
    symlinkSync('b', join(d, 'a'));
    symlinkSync('a', join(d, 'b'));
    symlinkSync('nowhere', join(d, 'dangling'));
    refusedOne([join(d, 'a')], join(d, 'a'), /too many levels of symbolic links$/);
    const j = runIn(['--json', d]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout).symlinks).toEqual([
      { path: join(d, 'a'), target: 'b', inTree: true, broken: 'loop' },
      { path: join(d, 'b'), target: 'a', inTree: true, broken: 'loop' },
      { path: join(d, 'dangling'), target: 'nowhere', inTree: true, broken: 'dangling' },
    ]);
    expect(runIn([d]).stdout).toContain(`symlink: ${join(d, 'a')} -> b (part of a symlink loop; nothing to inspect)`);
  });

  it('a path with spaces and non-ASCII characters', () => {
    const p = join(dir, 'dir with spaces ünï', 'bïn ärÿ 名前');
    mkdirSync(join(dir, 'dir with spaces ünï'));
    copyFileSync(sample('elf/glibc-pie'), p);
    const r = runIn(['--json', p, join(dir, 'dir with spaces ünï')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).binaries.map((b: { path: string }) => b.path)).toEqual([p, p]);
    const t = runIn([p]);
    expect(t.stdout).toContain('bïn ärÿ 名前');
  });

  it('a 0-byte file', () => {
    const p = join(dir, 'empty');
    writeFileSync(p, '');
    refusedOne([p], p, /empty file$/);
  });

  it('a 2 GiB sparse file with an ELF at its start costs kilobytes, even when PT_DYNAMIC claims 2 GiB', () => {
    const elf = readFileSync(sample('elf/glibc-pie'));
    // glibc-pie: program header 6 is PT_DYNAMIC; p_filesz at +32.
    const huge = Buffer.from(elf);
    huge.writeBigUInt64LE(0x7fff0000n, 64 + 6 * 56 + 32);
    for (const [name, bytes] of [['sparse', elf], ['sparse-dyn', huge]] as const) {
      const p = join(dir, name);
      const fd = openSync(p, 'w');
      writeSync(fd, bytes, 0, bytes.length, 0);
      writeSync(fd, Buffer.alloc(1), 0, 1, 2 ** 31 - 1); // one byte at the end: the rest is a hole
      closeSync(fd);
      const src = FileSource.open(p);
      try {
        const r = inspectSource(src, p);
        expect(r.error).toBeNull();
        expect(src.size).toBe(2 ** 31);
        expect(src.bytesRead).toBeLessThan(64 * 1024);
      } finally {
        src.close();
      }
      // The CLI too: it reads the same few kilobytes (what it reads is asserted above; seconds are the bench's).
      const c = runIn([p]);
      expect(c.code).toBe(0);
    }
  });

  it('/dev/zero and /dev/urandom named explicitly: refused (character devices), never read', () => {
    for (const dev of ['/dev/zero', '/dev/urandom']) refusedOne([dev], dev, /a character device, not a regular file or directory: not read$/);
    const r = runIn(['/dev/zero', '/dev/urandom', ok()]);
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(2);
  });
});
