#!/usr/bin/env node
// npm run build, after tsc: the shipped CLI as one file with V8 code caches (see src/cli/bin.cts, README "Speed").
// 1. rolldown bundles dist/cli/bundle.js (tsc's output) and everything it imports, the packages from node_modules
//    too, into dist/cli/linkplan.cjs, which ends with its build stamp; the licences of the packages inside go to
//    dist/cli/THIRD-PARTY-NOTICES.txt. Why rolldown: it is in the tree already (vite 8 bundles with it).
// 2. For each group of commands (bin.cjs GROUPS), a child process loads the bundle as bin.cjs does, runs those
//    commands over the committed samples (the common paths: inspect, verify, audit of a tree and of a tarball, diff,
//    resolve, plan), so that the functions they call are compiled, and writes V8's code cache of it beside the
//    bundle: dist/cli/linkplan.<group>.cache. The CLI itself never writes one.
// 3. A fresh process checks that V8 takes each cache.
// Measured on this project's 2-core machine (README, "Speed"): packages from node_modules inside the bundle start
// faster than required from it (inspect of one file -4 ms, verify -10 ms: smol-toml comes from the cache too).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/cli');
const require = createRequire(import.meta.url);
/** bin.cjs: where the bundle and cache are, how they are loaded and how a cache is stamped. */
const bin = () => require(join(dist, 'bin.cjs'));

const self = fileURLToPath(import.meta.url);
/** Left in dist/cli/ by a build that could not bundle (no rolldown for this platform): see build-if-stale.mjs. */
const NO_BUNDLE = 'no-bundle';
if (process.argv[2] === '--train') await train(process.argv[3], process.argv[4]);
else if (process.argv[2] === '--check') check(process.argv[3]);
else await build();

async function build() {
  const { BUNDLE, GROUPS, cacheFile, stampLine } = bin();
  // Whatever an earlier build left: a bundle without its caches is slower, a cache without its bundle unused.
  for (const n of readdirSync(dist)) if (/^linkplan\..*(cjs|cache)$/.test(n) || n === NO_BUNDLE) rmSync(join(dist, n));
  let rolldown;
  try {
    ({ rolldown } = await import('rolldown'));
  } catch (e) {
    // No rolldown for this platform (a native package): the bin runs tsc's build, as fast as before the bundle.
    console.warn(`bundle: skipped, rolldown cannot load here (${e.message}); linkplan runs unbundled`);
    // What build-if-stale.mjs reads: no bundle is this build's outcome, not a build missing (else every demo rebuilds).
    writeFileSync(join(dist, NO_BUNDLE), `rolldown cannot load here: ${e.message}\n`);
    return;
  }
  const bundle = await rolldown({ input: join(dist, 'bundle.js'), platform: 'node', logLevel: 'warn' });
  const { output } = await bundle.generate({
    format: 'cjs',
    codeSplitting: false,
    // bin.cjs compiles the bundle with node:vm, which has no loader for import(): every import is a require.
    dynamicImportInCjs: false,
    // Legal comments stay (the packages' notices); doc comments go: less to scan at start-up.
    comments: { legal: true, annotation: false, jsdoc: false },
    // ASCII only (non-ASCII escaped): bin.cjs reads it as Latin-1, a one-byte string, faster to read than UTF-8.
    charset: 'ascii',
    // As strict as tsc's ES modules are (an ES module is strict code; this one file is what runs instead of them).
    strict: true,
  });
  await bundle.close();
  if (output.length !== 1) throw new Error(`bundle: ${output.length} outputs, one expected`);
  const [{ code, modules }] = output;
  if (/\bimport\(/.test(code)) throw new Error('bundle: an import() is left, which node:vm cannot run');
  const wide = code.search(/[^\0-\x7f]/);
  if (wide >= 0) throw new Error(`bundle: a character past ASCII at ${wide} (${JSON.stringify(code.slice(wide - 40, wide + 10))}): bin.cjs reads Latin-1`);
  const stamp = createHash('sha256').update(code).digest('hex').slice(0, 16);
  writeFileSync(BUNDLE, code + stampLine(stamp));
  writeFileSync(join(dist, 'THIRD-PARTY-NOTICES.txt'), notices(Object.keys(modules)));

  const tmp = mkdtempSync(join(tmpdir(), 'linkplan-bundle-'));
  try {
    const members = ['elf/glibc-pie', 'elf/musl-static', 'elf/libfoo.so.1', 'pe/mingw/hello.exe', 'macho/ppc/hello-ppc'];
    writeFileSync(join(tmp, 'samples.tar.gz'), gzipSync(tar(members)));
    for (const g of Object.keys(GROUPS)) {
      const r = spawnSync(process.execPath, [self, '--train', g, tmp], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      // The samples' broken files are one-line errors on stderr; a crash or an internal error is the build's failure.
      if (r.status !== 0 || /internal error|\n\s+at /.test(r.stderr)) throw new Error(`bundle: the ${g} training run failed (${r.status}):\n${r.stderr}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const sizes = [];
  for (const g of Object.keys(GROUPS)) {
    const c = spawnSync(process.execPath, [self, '--check', g], { encoding: 'utf8' });
    if (c.stdout.trim() !== 'accepted') throw new Error(`bundle: V8 did not take the ${g} code cache just made (${c.stdout.trim()}${c.stderr})`);
    sizes.push(`${g} ${kib(cacheFile(g))}`);
  }
  console.log(`bundle: ${relative(root, BUNDLE)} (${kib(BUNDLE)}, ${Object.keys(modules).length} modules), code caches ${sizes.join(', ')}`);
}

function kib(file) {
  return `${Math.round(readFileSync(file).length / 1024)} KiB`;
}

/**
 * The licence of every package from node_modules in the bundle, with its name and version: its licence files, or
 * (xz-decompress ships none) the notices in its code, which the bundle keeps too. Then the notices (`/*!` comments)
 * of this project's own modules that embed someone else's code: zstd's decoder in dist/archive/zstd-wasm.js.
 */
function notices(ids) {
  const pkgs = new Map();
  const embedded = [];
  for (const id of ids) {
    const m = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
    if (m) pkgs.set(m[1], [...(pkgs.get(m[1]) ?? []), id]);
    else if (!id.startsWith('\0')) {
      for (const c of readFileSync(id, 'utf8').match(/\/\*![\s\S]*?\*\//g) ?? []) embedded.push(`${relative(root, id)}\n\n${c}`);
    }
  }
  const parts = [...pkgs.keys()].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const files = readdirSync(dir).filter((n) => /^(licen[cs]e|copying|notice)/i.test(n)).sort();
    const texts = files.length ? files.map((f) => readFileSync(join(dir, f), 'utf8').trim())
      : pkgs.get(dir).flatMap((id) => readFileSync(id, 'utf8').match(/\/\*![\s\S]*?\*\//g) ?? []);
    if (!texts.length) throw new Error(`bundle: ${pkg.name} has no licence file or notice to ship with it`);
    return [`${pkg.name} ${pkg.version} (${pkg.license})`, ...texts].join('\n\n');
  });
  return `dist/cli/linkplan.cjs holds these packages; their licences follow.\n\n${[...parts, ...embedded].join(`\n\n${'-'.repeat(78)}\n\n`)}\n`;
}

/**
 * What each code cache is made from (bin.cjs GROUPS): the runs of its commands over the samples, the common paths
 * first. Not --long, --libs nor merge: each would add to a cache that every run of its commands reads.
 */
function runs(group, tmp) {
  const tgz = join(tmp, 'samples.tar.gz');
  const plan = 'samples/linkplan.toml';
  switch (group) {
    case 'inspect': return [['inspect', '--json', 'samples'], ['inspect', 'samples'], ['inspect', '--json', '--jobs', '1', 'samples/elf', tgz]];
    case 'check': return [
      ['verify', '--plan', plan, 'samples'], ['verify', '--plan', plan, '--format', 'json', 'samples'],
      ['audit', 'samples/elf', 'samples/rust', tgz], ['audit', '--format', 'json', 'samples/pe', tgz],
    ];
    case 'other': return [
      ['diff', 'samples/elf/glibc-pie', 'samples/elf/musl-dynamic'], ['diff', '--format', 'json', 'samples/elf', 'samples/elf-tree'],
      ['resolve', '--root', 'samples/elf-tree', 'samples/elf-tree/bin/use-rpath'],
      ['plan', 'check', plan], ['plan', 'init', '--target', 'x86_64-unknown-linux-musl'],
    ];
    case 'base': return [['--version'], ['--help']];
    default: throw new Error(`bundle: no code cache ${group}`);
  }
}

/** Run the bundled CLI over the samples in this process, then write the code cache of what ran. */
async function train(group, tmp) {
  const { POOL_WORKER, cacheFile, loadBundle, codeCache } = bin();
  const loaded = loadBundle(null);
  if (!loaded) throw new Error('bundle: no bundle to train');
  const worker = { script: pathToFileURL(join(dist, 'bin.cjs')), workerData: POOL_WORKER };
  for (const args of runs(group, tmp)) await loaded.exports.cli(['node', 'linkplan', ...args], worker);
  writeFileSync(cacheFile(group), codeCache(loaded));
  process.exitCode = 0;
}

/** Print what V8 made of a code cache in a fresh process: accepted, rejected or none. */
function check(group) {
  const { cacheFile, loadBundle } = bin();
  const loaded = loadBundle(cacheFile(group));
  console.log(loaded ? loaded.cache : 'no bundle');
}

/** A ustar archive of these samples (POSIX.1-2001 pax/ustar header layout), for the training's archive runs. */
function tar(paths) {
  const parts = [];
  for (const p of paths) {
    const data = readFileSync(join(root, 'samples', p));
    const h = Buffer.alloc(512);
    const field = (s, at) => h.write(s, at, 'latin1');
    const octal = (n, at, len) => field(`${n.toString(8).padStart(len - 1, '0')}\0`, at);
    field(p, 0);
    octal(0o644, 100, 8);
    octal(0, 108, 8);
    octal(0, 116, 8);
    octal(data.length, 124, 12);
    octal(0, 136, 12);
    field('        ', 148);
    field('0', 156);
    field('ustar\0' + '00', 257);
    octal(h.reduce((a, b) => a + b, 0), 148, 7);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}
