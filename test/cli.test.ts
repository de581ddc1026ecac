import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
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
    const r = run(['inspect', 'samples/elf/musl-static', 'samples/elf/musl-static-pie', 'samples/elf/musl-dynamic', 'samples/elf/glibc-pie', 'samples/elf/libfoo.so.1']);
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
      for (const k of ['path', 'format', 'arch', 'type', 'linkage', 'pie', 'libc', 'interpreter', 'needed', 'rpath', 'runpath', 'soname', 'evidence', 'warnings', 'error']) {
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
