#!/usr/bin/env node
// npm run bench: linkplan inspect --json side by side with readelf and llvm-readobj over the same ELF files
// (every ELF under /usr/lib and /usr/bin by default, or the directories given), printed as wall-time ratios,
// plus the bytes linkplan reads per file. Warm page cache; each tool runs REPEAT times, the best run counts.
// Then "hostile inputs": the files of test/hostile.ts SIZE_HOSTILE against ordinary files of the same size.
// Then "archives": audit --format json of a tarball of /usr/lib/x86_64-linux-gnu (built here, ~670 MB of input) as
// .tar.gz, .tar.zst and .tar.xz, against the decompression floor (gzip/zstd/xz -dc, and the same decompressor in
// Node), and against today's way (extract to disk, then readelf over every file); wall time and peak RSS.
// `npm run bench -- --hostile` or `-- --archives` runs only that part.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const { inspectPaths } = await import(dist('node/inspect-paths.js'));
const { FileSource } = await import(dist('node/file-source.js'));
const { inspectSource } = await import(dist('inspect.js'));

const hostileOnly = process.argv.includes('--hostile');
const archivesOnly = process.argv.includes('--archives');
const args = process.argv.slice(2).filter((a) => a !== '--hostile' && a !== '--archives');
const dirs = args.length ? args : ['/usr/lib', '/usr/bin'];
const REPEAT = Number(process.env.REPEAT ?? 3);
const tmp = mkdtempSync(join(tmpdir(), 'linkplan-bench-'));
if (!hostileOnly && !archivesOnly) await elfFiles();
if (!archivesOnly) await hostileInputs();
if (!hostileOnly) await archives();

async function elfFiles() {
  const files = (await inspectPaths(dirs, { archives: false })).binaries.filter((b) => b.format === 'elf').map((b) => b.path);
  if (files.length === 0) {
    console.error('bench: no ELF files found under', dirs.join(' '));
    process.exit(2);
  }
  const list = join(tmp, 'files');
  writeFileSync(list, files.join('\n') + '\n');

  function time(cmd, args) {
    let best = Infinity;
    for (let i = 0; i < REPEAT; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync('xargs', ['-d', '\n', '-a', list, cmd, ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.error) return null;
      best = Math.min(best, s);
    }
    return best;
  }

  const node = process.execPath;
  const rows = [
    ['linkplan inspect --json', time(node, [dist('cli/main.js'), 'inspect', '--json'])],
    ['readelf -d -l -W', time('readelf', ['-d', '-l', '-W'])],
    ['llvm-readobj --needed-libs --dynamic-table --program-headers', time('llvm-readobj', ['--needed-libs', '--dynamic-table', '--program-headers'])],
  ];
  const mine = rows[0][1];
  console.log(`${files.length} ELF files under ${dirs.join(' ')}; best of ${REPEAT} runs, warm cache`);
  for (const [name, s] of rows) {
    if (s === null) { console.log(`  ${name.padEnd(62)} not installed`); continue; }
    console.log(`  ${name.padEnd(62)} ${s.toFixed(3)} s   linkplan/this = ${(mine / s).toFixed(2)}`);
  }

  // The same work in this already-running process, second pass: what is left without Node's start-up and JIT
  // warm-up, i.e. the cost of the reader itself.
  const pass = () => {
    const t0 = process.hrtime.bigint();
    for (const p of files) { const src = FileSource.open(p); try { inspectSource(src, p); } finally { src.close(); } }
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  pass();
  const warm = Math.min(pass(), pass());
  const perFile = `${(1e6 * warm / files.length).toFixed(0)} µs`;
  console.log(`  ${'linkplan in-process, warm (no start-up, no JSON)'.padEnd(62)} ${warm.toFixed(3)} s   per file ${perFile}`);

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
  console.log(`bytes read per file: median ${kib(per[per.length >> 1])}, mean ${kib(total / files.length)}, max ${kib(max.bytes)} (${max.path})`);
  console.log(`all files: ${(total / 2 ** 20).toFixed(1)} MiB read of ${(totalSize / 2 ** 20).toFixed(1)} MiB (${((100 * total) / totalSize).toFixed(2)}%)`);
  console.log(`largest file: ${biggest.path}, ${(biggest.size / 2 ** 20).toFixed(1)} MiB, ${kib(biggest.bytes)} read`);
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
      const r = spawnSync(process.execPath, [dist('cli/main.js'), 'inspect', '--json', path], { stdio: ['ignore', 'ignore', 'ignore'] });
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
  const cli = `${node} '${dist('cli/main.js')}'`;
  const largest = Number(spawnSync('sh', ['-c', `find ${q(src)} -type f -printf '%s\\n' | sort -n | tail -1`], { encoding: 'utf8' }).stdout.trim());
  console.log(`\narchives: ${src} as a ${(size / 2 ** 20).toFixed(0)} MiB tar (largest member ${(largest / 2 ** 20).toFixed(1)} MiB); best of ${Math.min(REPEAT, 2)}; peak RSS`);
  const kinds = [
    ['gz', 'gzip -c -6', 'gzip -dc', `${node} -e "require('fs').createReadStream(process.argv[1]).pipe(require('zlib').createGunzip()).on('data',()=>{})"`, 'z'],
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
    const audit = measure(`${cli} audit --format json ${q(file)} > /dev/null`);
    const inspect = measure(`${cli} inspect --json ${q(file)} > /dev/null`);
    rows.push(['linkplan audit --format json', audit], ['linkplan inspect --json', inspect]);
    const x = join(tmp, `x-${ext}`);
    const flag = tarFlag.startsWith('--') ? `${tarFlag} -` : `-${tarFlag}`;
    rows.push(['extract to disk + readelf -d -l -W over every file', measure(`rm -rf ${q(x)} && mkdir ${q(x)} && tar ${flag}xf ${q(file)} -C ${q(x)} && find ${q(x)} -type f -print0 | xargs -0 readelf -d -l -W > /dev/null 2>&1; rm -rf ${q(x)}`)]);
    console.log(`  .tar.${ext} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
    for (const [name, m] of rows) {
      if (m.s === null) { console.log(`    ${name.padEnd(56)} failed: ${m.err}`); continue; }
      console.log(`    ${name.padEnd(56)} ${m.s.toFixed(2).padStart(7)} s  ${(m.s / floor.s).toFixed(2).padStart(5)}× the floor  peak ${m.rss.toFixed(0).padStart(5)} MiB`);
    }
  }
}
