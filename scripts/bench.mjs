#!/usr/bin/env node
// npm run bench: linkplan inspect --json side by side with readelf and llvm-readobj over the same ELF files
// (every ELF under /usr/lib and /usr/bin by default, or the directories given), printed as wall-time ratios,
// plus the bytes linkplan reads per file. Warm page cache; each tool runs REPEAT times, the best run counts.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const { inspectPaths } = await import(dist('node/inspect-paths.js'));
const { FileSource } = await import(dist('node/file-source.js'));
const { inspectSource } = await import(dist('inspect.js'));

const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['/usr/lib', '/usr/bin'];
const REPEAT = Number(process.env.REPEAT ?? 3);
const files = inspectPaths(dirs).binaries.filter((b) => b.format === 'elf').map((b) => b.path);
if (files.length === 0) {
  console.error('bench: no ELF files found under', dirs.join(' '));
  process.exit(2);
}
const list = join(mkdtempSync(join(tmpdir(), 'linkplan-bench-')), 'files');
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
console.log(`  ${'linkplan in-process, warm (no start-up, no JSON)'.padEnd(62)} ${warm.toFixed(3)} s   per file ${(1e6 * warm / files.length).toFixed(0)} µs`);

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
