#!/usr/bin/env node
// npm run bench: linkplan inspect --json (--jobs 1 and the default) side by side with the usual tools over the same
// files, as wall-time ratios with peak RSS: ELF (every ELF under /usr/lib and /usr/bin, or the directories given)
// against readelf, llvm-readobj and scanelf; PE (wine's DLLs, fetched once into .cache/wine) against llvm-readobj
// --coff-imports; Mach-O (samples and the corpus' darwin packages) against llvm-objdump --macho --private-headers.
// Warm page cache; REPEAT (default 5) interleaved rounds, medians. Plus the bytes linkplan reads per ELF file.
// Then "hostile inputs": the files of test/hostile.ts SIZE_HOSTILE against ordinary files of the same size.
// Then "archives": audit --format json and inspect --json (default and --jobs 1) of a tarball of
// /usr/lib/x86_64-linux-gnu (built here, ~670 MB of input) as .tar.gz, .tar.zst and .tar.xz, against the
// decompression floor (gzip/zstd/xz -dc, and the same decompressor in Node), and against today's way (extract to
// disk, then readelf over every file); wall time and peak RSS. Then many small archives, as a release's tarballs or a
// distribution's packages: the shared libraries of that directory under 4 MiB, five to an archive, as .tar.gz,
// .tar.xz and .deb, each set audited and inspected (--jobs 1 and the default) against decompressing them one by one.
// `npm run bench -- --trees`, `-- --hostile`, `-- --archives` or `-- --many` runs only that part.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const { inspectPaths } = await import(dist('node/inspect-paths.js'));
const { FileSource } = await import(dist('node/file-source.js'));
const { inspectSource } = await import(dist('inspect.js'));
const { renderBinaryJson } = await import(dist('report/json.js'));

const parts = ['--trees', '--hostile', '--archives', '--many'].filter((p) => process.argv.includes(p));
const part = (p) => parts.length === 0 || parts.includes(p);
const args = process.argv.slice(2).filter((a) => !parts.includes(a));
const dirs = args.length ? args : ['/usr/lib', '/usr/bin'];
const REPEAT = Number(process.env.REPEAT ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'linkplan-bench-'));
if (part('--trees')) await trees();
if (part('--hostile')) await hostileInputs();
if (part('--archives')) await archives();
if (part('--many')) manyArchives(process.env.BENCH_TREE ?? '/usr/lib/x86_64-linux-gnu');

/**
 * Trees: one list of files per format, every tool over the same list in the same xargs batches, RUNS rounds with the
 * tools interleaved (a busy machine slows them alike), the median wall time of each and its peak RSS (GNU time's
 * %M, the largest process of the batch). Printed as ratios linkplan / tool: below 1 is faster.
 */
async function trees() {
  if (!has('scanelf')) {
    // pax-utils' scanelf is the fastest ELF scanner there is: worth measuring against.
    console.log('scanelf missing: installing pax-utils');
    const install = 'apt-get install -y pax-utils >/dev/null 2>&1';
    spawnSync('sh', ['-c', `${install} || (apt-get update >/dev/null 2>&1 && ${install})`], { stdio: 'ignore' });
  }
  const node = process.execPath;
  const lp = (...a) => [node, dist('cli/bin.cjs'), 'inspect', '--json', ...a];
  const linkplan = [['linkplan inspect --json --jobs 1', lp('--jobs', '1')], ['linkplan inspect --json (default --jobs)', lp()]];
  // Node's V8 platform runs 4 threads by default (compiles and GC helpers), whatever the cores: --v8-pool-size=0 sizes it
  // to the cores less one (README, "Speed and the JIT"); the GitHub Action runs linkplan so.
  const pool0 = ['linkplan inspect --json, node --v8-pool-size=0', [node, '--v8-pool-size=0', dist('cli/bin.cjs'), 'inspect', '--json']];
  // BENCH_BEFORE=path/to/other/dist/cli/bin.cjs (or an older build's main.js): another build of linkplan (an earlier commit) measured alongside.
  if (process.env.BENCH_BEFORE) linkplan.push(['linkplan inspect --json, BENCH_BEFORE build', [node, process.env.BENCH_BEFORE, 'inspect', '--json']]);

  const elf = await listOf(dirs, 'elf');
  // The commands that do more per file, over the same files (default --jobs): the version-string scan (--libs), a
  // plan's rules with resolution (verify, the samples' plan), and audit (resolution, the libraries proved).
  const bin = (...a) => [node, dist('cli/bin.cjs'), ...a];
  const more = [
    ['linkplan inspect --json --libs', lp('--libs')],
    ['linkplan verify --plan samples/linkplan.toml --format json', bin('verify', '--plan', join(root, 'samples/linkplan.toml'), '--format', 'json')],
    ['linkplan audit --format json', bin('audit', '--format', 'json')],
  ];
  await compare(`ELF: ${elf.length} files under ${dirs.join(' ')}`, elf, [
    ...linkplan,
    pool0,
    ...more,
    ['readelf -d -l -W', ['readelf', '-d', '-l', '-W']],
    ['llvm-readobj --needed-libs --dynamic-table --program-headers', ['llvm-readobj', '--needed-libs', '--dynamic-table', '--program-headers']],
    ['scanelf -n -i -r -t -e', ['scanelf', '-n', '-i', '-r', '-t', '-e']],
    // What no Node program gets below: the runtime's start-up, and the file system calls linkplan makes per file.
    ['floor: node -e 0 (Node start-up alone)', [node, '-e', '0'], true],
    ['floor: node, stat + open + fstat + 3 reads + close a file', [node, ioFloor()], true],
    ['floor: node, those calls + a report\'s JSON written a file', [node, ioFloor(jsonTemplate(elf))], true],
  ]);
  inProcess(elf);

  const pe = await listOf([wineDlls() ?? join(root, 'samples/pe'), join(root, '.cache/corpus')], 'pe');
  await compare(`PE: ${pe.length} files (${wineDlls() ? "wine's DLLs from Debian's libwine" : 'samples'} and the corpus)`, pe, [
    ...linkplan,
    pool0,
    // The version-string scan over .rdata and the export and COFF symbols (what --libs and audit read).
    ['linkplan inspect --json --libs', lp('--libs')], ['linkplan audit --format json', bin('audit', '--format', 'json')],
    ['llvm-readobj --coff-imports', ['llvm-readobj', '--coff-imports']],
    ['floor: node -e 0 (Node start-up alone)', [node, '-e', '0'], true],
    ['floor: node, stat + open + fstat + 3 reads + close + a report\'s JSON', [node, ioFloor(jsonTemplate(pe))], true],
  ]);

  // The corpus (npm run corpus) may not be there yet: then the Mach-O samples alone.
  let corpus = [];
  try { corpus = readdirSync(join(root, '.cache/corpus')); } catch { console.log('Mach-O: no .cache/corpus (npm run corpus fetches it): the samples alone'); }
  const darwin = corpus.filter((d) => d.includes('darwin')).map((d) => join(root, '.cache/corpus', d));
  const macho = await listOf([join(root, 'samples/macho'), ...darwin], 'macho');
  await compare(`Mach-O: ${macho.length} files (samples and the corpus' darwin packages)`, macho, [
    ...linkplan, ['llvm-objdump --macho --private-headers', ['llvm-objdump', '--macho', '--private-headers']],
  ]);
}

/**
 * A script doing per file, in Node, the system calls a linkplan run makes and nothing else (no parsing, no output):
 * the walk's stat, open, fstat, a 4 KiB head, two more reads (linkplan averages 2.6 a file), close. With `template`
 * (jsonTemplate) it also writes each file a report as linkplan's output does: that report, its path set to the
 * file's, through V8's JSON.stringify as report/json.ts calls it, in 64 KiB writes. What is left between that floor
 * and linkplan is reading the headers and judging them; nothing a reader does can take a run below it.
 */
function ioFloor(template = null) {
  const file = join(tmp, template ? `io-json-floor-${basename(template, '.json')}.cjs` : 'io-floor.cjs');
  const json = template ? `const report = JSON.parse(fs.readFileSync(${JSON.stringify(template)}, 'utf8'));
let out = [], n = 0;
const flush = () => { fs.writeSync(1, out.join('')); out = []; n = 0; };` : '';
  const each = template ? `  report.path = f;
  const text = JSON.stringify([[report]], null, 2).slice(10, -6);
  out.push(text); n += text.length;
  if (n >= 65536) flush();` : '';
  writeFileSync(file, `const fs = require('fs'); const buf = Buffer.alloc(16384);
${json}
for (const f of process.argv.slice(2)) {
  fs.statSync(f);
  const fd = fs.openSync(f, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const size = fs.fstatSync(fd).size;
  fs.readSync(fd, buf, 0, 4096, 0);
  if (size > 8192) { fs.readSync(fd, buf, 0, 12288, Math.max(0, size - 12288)); fs.readSync(fd, buf, 0, 8192, size >> 1); }
  fs.closeSync(fd);
${each}
}
${template ? 'flush();' : ''}
`);
  return file;
}

/**
 * The report of median JSON length among `files` (as inspect --json renders it), written to a file for ioFloor: a
 * typical report, so the floor writes about as many bytes as linkplan does. Reading them here is not timed.
 */
function jsonTemplate(files) {
  const reports = files.map((p) => { const src = FileSource.open(p); try { return inspectSource(src, p); } finally { src.close(); } });
  const sized = reports.map((r) => ({ r, n: renderBinaryJson(r).length })).sort((a, b) => a.n - b.n);
  const file = join(tmp, `json-template-${files.length}.json`);
  writeFileSync(file, JSON.stringify(sized[sized.length >> 1].r));
  return file;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** The files of `format` under the paths, as linkplan finds them (archives not opened). */
async function listOf(paths, format) {
  const { binaries } = await inspectPaths(paths.filter((p) => { try { statSync(p); return true; } catch { return false; } }), { archives: false });
  return binaries.filter((b) => b.format === format).map((b) => b.path);
}

/**
 * wine's PE DLLs and EXEs (Debian's libwine, x86_64-windows), fetched with apt-get download and unpacked with
 * dpkg-deb -x into .cache/wine once; null when that cannot be done (then the PE samples stand in).
 */
function wineDlls() {
  const dir = join(root, '.cache/wine');
  const tree = join(dir, 'x/usr/lib/x86_64-linux-gnu/wine/x86_64-windows');
  try { if (statSync(tree).isDirectory()) return tree; } catch { /* not yet */ }
  mkdirSync(dir, { recursive: true });
  const get = 'apt-get download libwine >/dev/null 2>&1 && dpkg-deb -x libwine_*.deb x && rm -f libwine_*.deb';
  const r = spawnSync('sh', ['-c', get], { cwd: dir, stdio: 'ignore' });
  if (r.status !== 0) return null;
  try { return statSync(tree).isDirectory() ? tree : null; } catch { return null; }
}

/** Wall seconds and peak RSS (MiB) of one xargs run of `argv` over the list; `strict`: it must exit 0. */
function xargsRun(list, argv, strict = false) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'xargs', '-d', '\n', '-a', list, ...argv], {
    encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28,
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || r.status === 127) return null;
  // readelf and linkplan exit non-zero over files they cannot read (xargs then says 123); a floor script never may.
  if (strict && r.status !== 0) {
    throw new Error(`bench: ${argv.slice(0, 3).join(' ')} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  return { s, rss: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

function median(xs) { const a = [...xs].sort((x, y) => x - y); return a[a.length >> 1]; }

async function compare(title, files, tools) {
  if (files.length === 0) { console.log(`${title}: no files found, skipped`); return; }
  const list = join(tmp, 'files');
  writeFileSync(list, files.join('\n') + '\n');
  const runs = tools.map(() => []);
  for (let i = 0; i < REPEAT; i++) tools.forEach(([, argv, strict], t) => { const m = xargsRun(list, argv, strict); if (m) runs[t].push(m); });
  const med = runs.map((r) => (r.length ? { s: median(r.map((x) => x.s)), rss: Math.max(...r.map((x) => x.rss)) } : null));
  console.log(`${title}; median of ${REPEAT} interleaved runs, warm cache, peak RSS`);
  const w = Math.max(...tools.map(([n]) => n.length));
  tools.forEach(([name], t) => {
    const m = med[t];
    if (!m) { console.log(`  ${name.padEnd(w)}  not installed`); return; }
    console.log(`  ${name.padEnd(w)}  ${m.s.toFixed(3).padStart(7)} s  ${m.rss.toFixed(0).padStart(5)} MiB`);
  });
  const mine = med.slice(0, 2);
  const p0 = tools.findIndex(([name]) => name.includes('--v8-pool-size=0'));
  for (const [t, [name]] of tools.entries()) {
    if (name.startsWith('linkplan') || !med[t]) continue;
    const ratio = (m) => (m ? (m.s / med[t].s).toFixed(2) : 'n/a');
    const r = mine.map(ratio);
    console.log(`  linkplan / ${name}: --jobs 1 ${r[0]}×, default ${r[1]}×${p0 >= 0 ? `, --v8-pool-size=0 ${ratio(med[p0])}×` : ''}`);
  }
  // How close a floor itself comes to the first tool (readelf, llvm-readobj): the least ratio any Node program gets.
  const ref = tools.findIndex(([name]) => !name.startsWith('linkplan') && !name.startsWith('floor'));
  for (const [t, [name]] of tools.entries()) {
    if (name.startsWith('floor') && med[t] && ref >= 0 && med[ref]) console.log(`  ${name} / ${tools[ref][0]}: ${(med[t].s / med[ref].s).toFixed(2)}×`);
  }
}

/** The same ELF files read in this already-running process (no start-up, no JSON), and the bytes read. */
function inProcess(files) {
  // The same work in this already-running process, second pass: what is left without Node's start-up and JIT
  // warm-up, i.e. the cost of the reader itself.
  const pass = () => {
    const t0 = process.hrtime.bigint();
    for (const p of files) { const src = FileSource.open(p); try { inspectSource(src, p); } finally { src.close(); } }
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const again = pass();
  const warm = Math.min(pass(), pass());
  const us = (s) => `${(1e6 * s / files.length).toFixed(0)} µs`;
  // A fresh process's first pass: what a CLI run pays, the JIT cold (this process warmed up listing the files).
  const list = join(tmp, 'cold-files');
  writeFileSync(list, files.join('\n'));
  const script = `const { readFileSync } = await import('node:fs');
const { FileSource } = await import(${JSON.stringify(dist('node/file-source.js'))});
const { inspectSource } = await import(${JSON.stringify(dist('inspect.js'))});
const files = readFileSync(${JSON.stringify(list)}, 'utf8').split('\\n');
const t0 = process.hrtime.bigint();
for (const p of files) { const src = FileSource.open(p); try { inspectSource(src, p); } finally { src.close(); } }
console.log(Number(process.hrtime.bigint() - t0) / 1e9);`;
  const colds = [1, 2, 3].map(() => Number(spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout));
  console.log(`  in-process (no start-up, no JSON): a fresh process's first pass ${us(median(colds))} a file, `
    + `this process's ${us(again)} (after listing them), warm ${us(warm)}`);

  // Bytes read: linkplan reads the ranges the headers point to, not the files.
  let total = 0, totalSize = 0, max = { bytes: 0, path: '' }, biggest = { size: 0, bytes: 0, path: '' };
  const per = [];
  for (const p of files) {
    const src = FileSource.open(p);
    try { inspectSource(src, p); } finally { src.close(); }
    const size = statSync(p).size;
    per.push(src.bytesRead);
    total += src.bytesRead; totalSize += size;
    if (src.bytesRead > max.bytes) max = { bytes: src.bytesRead, path: p };
    if (size > biggest.size) biggest = { size, bytes: src.bytesRead, path: p };
  }
  per.sort((a, b) => a - b);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`  bytes read per file: median ${kib(per[per.length >> 1])}, mean ${kib(total / files.length)}, max ${kib(max.bytes)} (${max.path})`);
  console.log(`  all files: ${(total / 2 ** 20).toFixed(1)} MiB read of ${(totalSize / 2 ** 20).toFixed(1)} MiB (${((100 * total) / totalSize).toFixed(2)}%)`);
  console.log(`  largest file: ${biggest.path}, ${(biggest.size / 2 ** 20).toFixed(1)} MiB, ${kib(biggest.bytes)} read`);
}

/**
 * Each hostile input of test/hostile.ts (SIZE_HOSTILE) next to an ordinary file of the same size: a committed sample
 * of the same format padded with zeros to that size (trailing bytes no reader looks at). Timed two ways: in this
 * process (inspectSource + JSON.stringify, what `inspect --json` does, best of REPEAT) and through the CLI
 * (`inspect --json` > /dev/null, start-up included). The ratio hostile / ordinary is what the fixes keep small.
 * test/hostile.ts is TypeScript without imports: it is transpiled here with the TypeScript compiler the project
 * already depends on, so the bench needs no extra tool and builds exactly the files the tests check.
 */
async function hostileInputs() {
  const { MemorySource } = await import(dist('bytes/source.js'));
  const ts = (await import('typescript')).default;
  const js = ts.transpileModule(readFileSync(join(root, 'test/hostile.ts'), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const hostileJs = join(tmp, 'hostile.mjs');
  writeFileSync(hostileJs, js);
  const { SIZE_HOSTILE } = await import(hostileJs);
  const ordinaryOf = { 'Mach-O': 'macho/universal/bin/usefoo', ELF: 'elf/glibc-static', PE: 'pe/msvc/x64/use_md.exe' };

  const inProcess = (bytes, name) => {
    let best = Infinity, out = 0;
    for (let i = 0; i < REPEAT; i++) {
      const t0 = process.hrtime.bigint();
      const r = inspectSource(new MemorySource(bytes, name), name);
      out = JSON.stringify(r).length;
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { ms: best, out };
  };
  const viaCli = (path) => {
    let best = Infinity;
    for (let i = 0; i < REPEAT; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [dist('cli/bin.cjs'), 'inspect', '--json', path], { stdio: ['ignore', 'ignore', 'ignore'] });
      if (r.error) return null;
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
  };
  const fmt = (ms) => (ms === null ? 'n/a' : ms < 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`);

  console.log(`hostile inputs: best of ${REPEAT}; in-process = inspectSource + JSON.stringify, CLI = inspect --json > /dev/null`);
  console.log(`  ${'input'.padEnd(58)} ${'size'.padStart(9)} ${'in-process'.padStart(10)} ${'CLI'.padStart(8)} ${'JSON'.padStart(9)}`);
  for (const [name, build] of Object.entries(SIZE_HOSTILE)) {
    const bytes = build();
    const base = ordinaryOf[name.split(':')[0]];
    const sampleBytes = readFileSync(join(root, 'samples', base));
    const ordinary = new Uint8Array(Math.max(bytes.length, sampleBytes.length));
    ordinary.set(sampleBytes);
    const hp = join(tmp, 'hostile.bin'), op = join(tmp, 'ordinary.bin');
    writeFileSync(hp, bytes);
    writeFileSync(op, ordinary);
    const h = { ...inProcess(bytes, hp), cli: viaCli(hp) };
    const o = { ...inProcess(ordinary, op), cli: viaCli(op) };
    const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    const row = (label, size, x) =>
      `  ${label.padEnd(58)} ${mib(size).padStart(9)} ${fmt(x.ms).padStart(10)} ${fmt(x.cli).padStart(8)} ${mib(x.out).padStart(9)}`;
    console.log(row(name, bytes.length, h));
    console.log(row(`  ordinary: ${base} padded`, ordinary.length, o));
    const ratio = (a, b) => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(1)}×`);
    console.log(`  ${'  hostile / ordinary'.padEnd(58)} ${''.padStart(9)} ${ratio(h.ms, o.ms).padStart(10)} ${ratio(h.cli, o.cli).padStart(8)}`);
    // Linear growth: the same attack with 1/16 of the counts should cost about 1/16 (a quadratic scan: 1/256).
    const small = build(1 / 16);
    const s = inProcess(small, hp);
    console.log(row('  same attack, 1/16 of the counts', small.length, { ...s, cli: null }));
    console.log(`  ${'  full / (1/16): ×16 the counts cost'.padEnd(58)} ${''.padStart(9)} ${ratio(h.ms, s.ms).padStart(10)}`);
  }
}

/** Wall seconds and peak RSS (MiB) of a shell command, best of `n` runs (GNU time's %M is the peak RSS in KiB). */
function measure(cmd, n = Math.min(REPEAT, 2)) {
  let best = { s: Infinity, rss: 0 };
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
    if (r.status !== 0 && r.status !== 1) return { s: null, rss: null, err: r.stderr.trim().split('\n')[0] };
    if (s < best.s) best = { s, rss };
  }
  return best;
}

async function archives() {
  const src = process.env.BENCH_TREE ?? '/usr/lib/x86_64-linux-gnu';
  const tar = join(tmp, 'tree.tar');
  spawnSync('tar', ['-cf', tar, '-C', dirname(src), src.split('/').pop()], { stdio: 'ignore' });
  const size = statSync(tar).size;
  const q = (p) => `'${p}'`;
  const node = `'${process.execPath}'`;
  const cli = `${node} '${dist('cli/bin.cjs')}'`;
  const largest = Number(spawnSync('sh', ['-c', `find ${q(src)} -type f -printf '%s\\n' | sort -n | tail -1`], { encoding: 'utf8' }).stdout.trim());
  console.log(`\narchives: ${src} as a ${(size / 2 ** 20).toFixed(0)} MiB tar (largest member ${(largest / 2 ** 20).toFixed(1)} MiB); `
    + `best of ${Math.min(REPEAT, 2)}; peak RSS`);
  const kinds = [
    [
      'gz', 'gzip -c -6', 'gzip -dc',
      `${node} -e "require('fs').createReadStream(process.argv[1]).pipe(require('zlib').createGunzip()).on('data',()=>{})"`, 'z',
    ],
    ['zst', 'zstd -q -c -3 -T2', 'zstd -q -dc', null, '--zstd'],
    ['xz', 'xz -c -1 -T2', 'xz -dc', null, 'J'],
  ];
  for (const [ext, pack, unpack, nodeFloor, tarFlag] of kinds) {
    const file = join(tmp, `tree.tar.${ext}`);
    const made = spawnSync('sh', ['-c', `${pack} ${q(tar)} > ${q(file)}`], { stdio: 'ignore' });
    if (made.status !== 0) { console.log(`  .tar.${ext}: could not be made (${pack.split(' ')[0]} missing?)`); continue; }
    const floor = measure(`${unpack} ${q(file)} > /dev/null`);
    const rows = [[`${unpack} > /dev/null (floor)`, floor]];
    if (nodeFloor) rows.push(['node zlib gunzip, discarding (floor in Node)', measure(`${nodeFloor} ${q(file)}`)]);
    // The default decodes xz, zstd and bzip2 on a thread of its own while the main thread reads the members; with
    // --jobs 1 one thread does both in turn (gzip is inflated on libuv's pool either way).
    for (const cmd of ['audit --format json', 'inspect --json']) {
      rows.push([`linkplan ${cmd}`, measure(`${cli} ${cmd} ${q(file)} > /dev/null`)]);
      if (ext !== 'gz') rows.push([`linkplan ${cmd} --jobs 1`, measure(`${cli} ${cmd} --jobs 1 ${q(file)} > /dev/null`)]);
    }
    const x = join(tmp, `x-${ext}`);
    const flag = tarFlag.startsWith('--') ? `${tarFlag} -` : `-${tarFlag}`;
    const extract = `rm -rf ${q(x)} && mkdir ${q(x)} && tar ${flag}xf ${q(file)} -C ${q(x)} && `
      + `find ${q(x)} -type f -print0 | xargs -0 readelf -d -l -W > /dev/null 2>&1; rm -rf ${q(x)}`;
    rows.push(['extract to disk + readelf -d -l -W over every file', measure(extract)]);
    console.log(`  .tar.${ext} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
    printRows(rows, floor);
  }
}

function printRows(rows, floor) {
  for (const [name, m] of rows) {
    if (m.s === null) { console.log(`    ${name.padEnd(56)} failed: ${m.err}`); continue; }
    console.log(`    ${name.padEnd(56)} ${m.s.toFixed(2).padStart(7)} s  ${(m.s / floor.s).toFixed(2).padStart(5)}× the floor  `
      + `peak ${m.rss.toFixed(0).padStart(5)} MiB`);
  }
}

/**
 * Many small archives (the default --jobs reads them in its workers as well as on the main thread, pool-archive.ts):
 * `src`'s shared libraries under 4 MiB, five to an archive, as .tar.gz, .tar.xz and .deb (data.tar.xz), against
 * decompressing the same archives one after another and against extracting each and running readelf over it.
 */
function manyArchives(src) {
  const q = (p) => `'${p}'`;
  const cli = `'${process.execPath}' '${dist('cli/bin.cjs')}'`;
  const found = spawnSync('sh', ['-c', `find ${q(src)} -maxdepth 1 -type f -name '*.so*' -size -4M | sort`], { encoding: 'utf8' });
  const libs = found.stdout.trim().split('\n').filter(Boolean).map((p) => basename(p));
  const groups = [];
  for (let i = 0; i < libs.length; i += 5) groups.push(libs.slice(i, i + 5));
  const dir = join(tmp, 'many');
  mkdirSync(dir, { recursive: true });
  const sets = [['tar.gz', 'gzip -dc'], ['tar.xz', 'xz -dc'], ['deb', 'dpkg-deb --fsys-tarfile']];
  const made = {};
  for (const [ext] of sets) made[ext] = [];
  groups.forEach((g, i) => {
    const names = g.map(q).join(' ');
    const base = join(dir, `p${i}`);
    const sh = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;
    if (sh(`tar -czf ${q(`${base}.tar.gz`)} -C ${q(src)} ${names}`)) made['tar.gz'].push(`${base}.tar.gz`);
    if (sh(`tar -cf - -C ${q(src)} ${names} | xz -6 -T1 > ${q(`${base}.tar.xz`)}`)) made['tar.xz'].push(`${base}.tar.xz`);
    const root = join(dir, `r${i}`);
    const control = `Package: p${i}\nVersion: 1\nArchitecture: amd64\nMaintainer: bench <b@b>\nDescription: bench\n`;
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(join(root, 'usr/lib'), { recursive: true });
    writeFileSync(join(root, 'DEBIAN/control'), control);
    if (sh(`cd ${q(src)} && cp ${names} ${q(join(root, 'usr/lib'))} && dpkg-deb --root-owner-group -Zxz --build ${q(root)} ${q(`${base}.deb`)}`
      + ` && rm -rf ${q(root)}`)) made.deb.push(`${base}.deb`);
  });
  console.log(`\n  many archives: ${libs.length} shared libraries of ${src} under 4 MiB, five to an archive; best of ${Math.min(REPEAT, 2)}`);
  for (const [ext, unpack] of sets) {
    const list = made[ext].map(q).join(' ');
    if (!made[ext].length) { console.log(`  .${ext}: could not be made`); continue; }
    const floor = measure(`for f in ${list}; do ${unpack} "$f"; done > /dev/null`);
    const rows = [[`${unpack} of each in turn > /dev/null (floor)`, floor]];
    for (const cmd of ['audit --format json', 'inspect --json']) {
      rows.push([`linkplan ${cmd}`, measure(`${cli} ${cmd} ${list} > /dev/null`)]);
      rows.push([`linkplan ${cmd} --jobs 1`, measure(`${cli} ${cmd} --jobs 1 ${list} > /dev/null`)]);
    }
    const x = join(tmp, 'x-many');
    const extract = ext === 'deb' ? (f) => `dpkg-deb -x ${f} ${q(x)}` : (f) => `tar -xf ${f} -C ${q(x)}`;
    rows.push(['extract each to disk + readelf -d -l -W over its files', measure(made[ext].map((f) => `rm -rf ${q(x)} && mkdir ${q(x)} && ${extract(q(f))}`
      + ` && find ${q(x)} -type f -print0 | xargs -0 readelf -d -l -W > /dev/null 2>&1`).join('; ') + `; rm -rf ${q(x)}`)]);
    const bytes = made[ext].reduce((n, f) => n + statSync(f).size, 0);
    console.log(`  ${made[ext].length} × .${ext} (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
    printRows(rows, floor);
  }
}
