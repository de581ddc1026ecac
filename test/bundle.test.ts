/**
 * The shipped bin (dist/cli/bin.cjs) runs the bundle (dist/cli/linkplan.cjs, scripts/bundle.mjs) with its code caches.
 * What it prints must be what tsc's build prints, whatever becomes of a cache: taken, turned away by V8 (corrupt, cut
 * short, made by another build or under other V8 flags), or missing, and with the bundle missing too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, sample } from './helpers.js';

const DIST = join(ROOT, 'dist/cli');
const TSC_MAIN = join(DIST, 'main.js');
const GROUPS = ['inspect', 'check', 'other', 'base'];

interface Run { stdout: string; stderr: string; code: number | null }
function run(bin: string, args: string[], nodeFlags: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeFlags, bin, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' }, maxBuffer: 64 << 20, timeout: 60_000,
  });
  expect(r.error).toBeUndefined();
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** What V8 made of the code cache `file` for the bundle beside `bin`, in a fresh process: accepted, rejected or none. */
function cacheState(bin: string, file: string, nodeFlags: string[] = []): string {
  const code = `const b = require(${JSON.stringify(bin)}); const l = b.loadBundle(${JSON.stringify(file)}); console.log(l ? l.cache : 'no bundle');`;
  return execFileSync(process.execPath, [...nodeFlags, '-e', code], { encoding: 'utf8' }).trim();
}

let tmp: string;
/** The bin, the bundle and its caches alone (no main.js, no dist/node, no node_modules reachable): what it runs is the bundle. */
let alone: string;
const aloneBin = () => join(alone, 'dist/cli/bin.cjs');
const archives: string[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'linkplan-bundle-'));
  alone = join(tmp, 'alone');
  mkdirSync(join(alone, 'dist/cli'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(alone, 'package.json'));
  for (const n of readdirSync(DIST).filter((n) => n === 'bin.cjs' || n.startsWith('linkplan.'))) copyFileSync(join(DIST, n), join(alone, 'dist/cli', n));
  // Archives of every compression the bundle carries a decoder for (xz-decompress, zstd's WASM, unbzip2-stream; zlib is Node's).
  const pkg = join(tmp, 'pkg');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  copyFileSync(sample('elf/glibc-pie'), join(pkg, 'bin/app'));
  copyFileSync(sample('pe/mingw/hello.exe'), join(pkg, 'bin/hello.exe'));
  for (const [name, flag] of [['pkg.tgz', '-z'], ['pkg.txz', '-J'], ['pkg.tar.zst', '--zstd'], ['pkg.tbz2', '-j']]) {
    execFileSync('tar', ['-C', tmp, flag, '-cf', join(tmp, name), 'pkg']);
    archives.push(join(tmp, name));
  }
  execFileSync('zip', ['-qr', join(tmp, 'pkg.zip'), 'pkg'], { cwd: tmp });
  archives.push(join(tmp, 'pkg.zip'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the bundle', () => {
  it('is what the bin runs, and V8 takes each of its code caches', () => {
    const src = readFileSync(join(DIST, 'linkplan.cjs'), 'latin1');
    expect(src).toMatch(/\n\/\/ linkplan build [0-9a-f]{16}\n$/);
    // bin.cjs reads it as Latin-1: the build keeps it ASCII.
    expect(src.search(/[^\0-\x7f]/)).toBe(-1);
    for (const g of GROUPS) expect(cacheState(BIN, join(DIST, `linkplan.${g}.cache`)), g).toBe('accepted');
    expect(readFileSync(join(DIST, 'THIRD-PARTY-NOTICES.txt'), 'utf8')).toMatch(/^commander \d.*\(MIT\)$/m);
  });

  it('prints what tsc\'s build prints: reports, usage errors, exit codes, one-line errors', () => {
    const cases = [
      ['--version'], ['--help'], ['inspect', '--help'], [], ['nope'], ['inspect'], ['inspect', '--jobs', 'x', 'samples/elf'],
      ['inspect', 'samples/elf', 'samples/misc', 'missing-file'], ['inspect', '--json', 'samples'], ['inspect', '--long', '--libs', 'samples/pe'],
      ['verify', '--plan', 'samples/linkplan.toml', 'samples'], ['verify', '--plan', 'samples/plans/distro.toml', '--format', 'sarif', 'samples/elf'],
      ['audit', '--format', 'json', 'samples/elf', ...archives], ['diff', 'samples/elf/glibc-pie', 'samples/elf/musl-dynamic'],
      ['resolve', '--root', 'samples/elf-tree', 'samples/elf-tree/bin/use-rpath'], ['plan', 'check', 'samples/misc/not-a-binary.txt'],
    ];
    const codes = new Set<number | null>();
    for (const args of cases) {
      const bundled = run(BIN, args);
      expect(bundled, args.join(' ')).toEqual(run(TSC_MAIN, args));
      expect(bundled.stderr).not.toMatch(/\n\s+at /);
      codes.add(bundled.code);
    }
    expect([...codes].sort()).toEqual([0, 1, 2]);
  });

  it('alone (no tsc build, no node_modules) it is the whole CLI: archives of every kind, worker threads from the bundle', () => {
    const args = ['inspect', '--json', 'samples/elf', 'samples/pe', ...archives];
    const one = run(TSC_MAIN, [...args, '--jobs', '1']);
    expect(JSON.parse(one.stdout).binaries.filter((b: { path: string }) => b.path.includes('!pkg/bin/')).length).toBe(2 * archives.length);
    // Workers start from bin.cjs with the bundle: pool-worker.js is not there, and a worker that cannot start
    // would turn its files into 'internal error' results.
    for (const jobs of ['1', '4']) expect(run(aloneBin(), [...args, '--jobs', jobs]), `--jobs ${jobs}`).toEqual(one);
  });

  it('loads worker_threads only for a run that starts workers, and zlib only for an archive', () => {
    // Node's own list of the built-in modules it has loaded, printed as the process exits.
    const preload = join(tmp, 'loaded.cjs');
    writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, process.moduleLoadList.join('\\n')));\n");
    const loaded = (args: string[]) => {
      const r = run(join(DIST, 'bin.cjs'), args, ['-r', preload]);
      expect(r.code).toBe(0);
      return ['worker_threads', 'zlib'].filter((m) => r.stderr.split('\n').includes(`NativeModule ${m}`));
    };
    const elf = ['samples/elf/glibc-pie', 'samples/elf/musl-static'];
    expect(loaded(['inspect', '--json', ...elf])).toEqual([]);
    expect(loaded(['inspect', '--json', '--jobs', '2', ...elf])).toEqual(['worker_threads']);
    expect(loaded(['inspect', '--json', '--jobs', '1', archives[0]])).toEqual(['zlib']);
  });
});

describe('a code cache V8 must not take', () => {
  const inspectCache = () => join(alone, 'dist/cli/linkplan.inspect.cache');
  const good = () => readFileSync(join(DIST, 'linkplan.inspect.cache'));
  afterAll(() => writeFileSync(inspectCache(), good()));

  const args = ['inspect', '--json', 'samples/elf', 'samples/macho', 'samples/misc'];
  function same(why: string, state: string, nodeFlags: string[] = []) {
    expect(cacheState(aloneBin(), inspectCache(), nodeFlags), why).toBe(state);
    const ref = run(TSC_MAIN, [...args, '--jobs', '1']);
    // With --jobs 2 the worker reads the same cache.
    for (const jobs of ['1', '2']) expect(run(aloneBin(), [...args, '--jobs', jobs], nodeFlags), `${why}, --jobs ${jobs}`).toEqual(ref);
  }

  it('corrupt: bytes changed inside V8\'s data (V8 checks the checksum; unchecked, it would crash)', () => {
    const c = good();
    for (let i = 4096; i < c.length; i += 4099) c[i] ^= 0x5a;
    writeFileSync(inspectCache(), c);
    same('corrupt', 'rejected');
  });

  it('cut short', () => {
    writeFileSync(inspectCache(), good().subarray(0, 100_000));
    same('truncated', 'rejected');
  });

  it('another build\'s (its stamp differs: never given to V8, which checks only the source\'s length)', () => {
    const c = good();
    const at = c.indexOf('linkplan code cache ') + 20;
    c[at] = c[at] === 0x30 ? 0x31 : 0x30;
    writeFileSync(inspectCache(), c);
    same('another build', 'none');
  });

  it('made under other V8 flags, or read under them', () => {
    writeFileSync(inspectCache(), good());
    same('other flags', 'rejected', ['--max-semi-space-size=8']);
    const make = `const b = require(${JSON.stringify(aloneBin())}); process.stdout.write(b.codeCache(b.loadBundle(null)))`;
    writeFileSync(inspectCache(), execFileSync(process.execPath, ['--max-semi-space-size=8', '-e', make]));
    same('made under other flags', 'rejected');
  });

  it('none at all', () => {
    rmSync(inspectCache());
    same('no cache', 'none');
  });
});

describe('a bundle changed after its caches were made', () => {
  const bundle = () => join(alone, 'dist/cli/linkplan.cjs');
  const cache = () => join(alone, 'dist/cli/linkplan.inspect.cache');
  const original = () => readFileSync(join(DIST, 'linkplan.cjs'));
  afterAll(() => writeFileSync(bundle(), original()));
  const later = (file: string, s: number) => utimesSync(file, new Date(Date.now() + s * 1000), new Date(Date.now() + s * 1000));

  it('edited, its length kept (all V8 compares): the caches are not taken and the edit runs', () => {
    const text = original().toString('latin1');
    expect(text).toContain('is not a number of threads');
    writeFileSync(bundle(), Buffer.from(text.replace('is not a number of threads', 'IS NOT A NUMBER of threads'), 'latin1'));
    later(bundle(), 5);
    expect(cacheState(aloneBin(), cache())).toBe('none');
    const r = run(aloneBin(), ['inspect', '--jobs', 'x', 'samples/elf']);
    expect([r.code, r.stderr]).toEqual([2, "linkplan: --jobs 'x' IS NOT A NUMBER of threads from 1 to 256\n"]);
  });

  it('copied without its times (the bundle newer than its caches, its text the same): the caches are still taken', () => {
    writeFileSync(bundle(), original());
    later(bundle(), 5);
    expect(cacheState(aloneBin(), cache())).toBe('accepted');
  });
});

describe('without the bundle', () => {
  it('the bin runs tsc\'s build, worker threads from dist/node/pool-worker.js', () => {
    const copy = join(tmp, 'unbundled');
    mkdirSync(copy);
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true, filter: (p) => !/[\\/]linkplan\.[^\\/]*$/.test(p) });
    copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    expect(readdirSync(join(copy, 'dist/cli')).filter((n) => n.startsWith('linkplan.'))).toEqual([]);
    const bin = join(copy, 'dist/cli/bin.cjs');
    expect(cacheState(bin, join(DIST, 'linkplan.inspect.cache'))).toBe('no bundle');
    const cases = [['inspect', '--json', '--jobs', '3', 'samples/elf', archives[1]], ['verify', '--plan', 'samples/linkplan.toml', 'samples/elf'], ['nope']];
    for (const args of cases) expect(run(bin, args), args.join(' ')).toEqual(run(BIN, args));
  });

  it('tsc\'s build newer than the bundle (a tsc-only build since): the bin runs what tsc just built', () => {
    const copy = join(tmp, 'tsc-newer');
    mkdirSync(copy);
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true, preserveTimestamps: true });
    copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const jobs = join(copy, 'dist/cli/jobs.js');
    writeFileSync(jobs, readFileSync(jobs, 'utf8').replace('is not a number of threads', 'is, after tsc, not a number of threads'));
    const bin = join(copy, 'dist/cli/bin.cjs');
    const usage = () => run(bin, ['inspect', '--jobs', 'x', 'samples/elf']).stderr;
    // The bundle as built (newer than tsc's files): what it was made from runs.
    expect(usage()).toBe("linkplan: --jobs 'x' is not a number of threads from 1 to 256\n");
    const t = new Date(Date.now() + 5000);
    utimesSync(join(copy, 'dist/cli/bundle.js'), t, t);
    expect(usage()).toBe("linkplan: --jobs 'x' is, after tsc, not a number of threads from 1 to 256\n");
  });
});

describe('the bundle run as a file of its own', () => {
  it('says to run the bin and fails (it would define the CLI and exit 0 having checked nothing)', () => {
    const r = run(join(DIST, 'linkplan.cjs'), ['verify', '--plan', 'samples/linkplan.toml', 'samples/elf']);
    const stderr = 'linkplan: dist/cli/linkplan.cjs is the bundle bin.cjs runs; run dist/cli/bin.cjs (the linkplan command)\n';
    expect(r).toEqual({ stdout: '', code: 2, stderr });
  });

  it('and tsc\'s entry, named without its extension, still runs the CLI', () => {
    const r = run(join(DIST, 'main'), ['inspect', 'missing-file']);
    expect([r.code, r.stderr]).toEqual([2, 'linkplan: missing-file: no such file or directory\n']);
  });
});

describe('the package as a dependency (node_modules/linkplan: this checkout)', () => {
  const app = () => {
    const d = join(tmp, 'app');
    mkdirSync(join(d, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(d, 'node_modules/linkplan'));
    return d;
  };
  let dir: string;
  beforeAll(() => { dir = app(); });
  it('its schema files resolve through the exports', () => {
    for (const n of readdirSync(join(ROOT, 'schema'))) {
      const r = spawnSync(process.execPath, ['-e', `console.log(require.resolve('linkplan/schema/${n}'))`], { cwd: dir, encoding: 'utf8' });
      expect([r.status, r.stderr], n).toEqual([0, '']);
      expect(r.stdout.trim()).toBe(join(ROOT, 'schema', n));
    }
  });
  it('its types resolve under moduleResolution node10 too, linkplan/node included', () => {
    const ts = ["import { inspectPaths } from 'linkplan/node';", "import { loadPlan } from 'linkplan';", 'export const f = [inspectPaths, loadPlan];', ''];
    writeFileSync(join(dir, 'a.ts'), ts.join('\n'));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--skipLibCheck', '--moduleResolution', 'node10', '--module', 'commonjs', '--target', 'es2022',
      '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'a.ts'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('CommonJS require() of it needs require(esm), Node 20.19: README says so, as engines says only >= 20', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/require\('linkplan'\)` needs Node >= 20\.19/);
    const r = spawnSync(process.execPath, ['-e', "console.log(typeof require('linkplan').loadPlan)"], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('function\n');
  });
});
