// GNU tar's sparse members (src/archive/tar-sparse.ts): each of the four layouts GNU tar writes is expanded to the
// file `tar x` gives back, under its real name; a binary in one is checked like any other; a bad map is one line.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sample } from './helpers.js';
import { readTar } from '../src/archive/tar.js';
import { archiveLimits } from '../src/archive/limits.js';
import { walkArchive } from '../src/archive/walk.js';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { nodeDecompressors } from '../src/node/decompress.js';
import type { Chunks } from '../src/archive/chunks.js';

let dir: string;
const LAYOUTS = [['pax 0.0', ['--format=pax', '--sparse-version=0.0']], ['pax 0.1', ['--format=pax', '--sparse-version=0.1']],
  ['pax 1.0', ['--format=pax', '--sparse-version=1.0']], ['old GNU', ['--format=gnu']]] as const;
const tarOf = (layout: string) => join(dir, `${layout.replace(/\W/g, '')}.tar`);
const tarFiles = (layout: string) => join(dir, `${layout.replace(/\W/g, '')}-files.tar`);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });

async function* chunksOf(b: Uint8Array, n = 7777): Chunks {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}

/** Each member of a tar as readTar hands it on: name, size and the body's hash. */
async function members(file: string): Promise<{ name: string; size: number; bytes: number; sha: string }[]> {
  const out = [];
  for await (const m of readTar(chunksOf(readFileSync(file)))) {
    if (m.kind !== 'file') continue;
    const h = createHash('sha256');
    let n = 0;
    for await (const c of m.body()) { h.update(c); n += c.length; }
    out.push({ name: m.name, size: m.size, bytes: n, sha: h.digest('hex') });
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-sparse-'));
  mkdirSync(join(dir, 'rel/bin'), { recursive: true });
  // 30 data regions with holes between (more than the 4 an old GNU header holds: extension blocks), a hole at the end.
  const fd = openSync(join(dir, 'rel/bin/holey'), 'w');
  for (let i = 0; i < 30; i++) writeSync(fd, randomBytes(5000), 0, 5000, i * 200_000);
  closeSync(fd);
  truncateSync(join(dir, 'rel/bin/holey'), 7_000_000);
  // A dynamic binary made sparse by a hole after it (GNU tar stores it so with -S), beside a static one.
  copyFileSync(sample('elf/glibc-pie'), join(dir, 'rel/bin/app'));
  truncateSync(join(dir, 'rel/bin/app'), 4 << 20);
  copyFileSync(sample('elf/musl-static'), join(dir, 'rel/bin/good'));
  for (const [name, flags] of LAYOUTS) {
    execFileSync('tar', ['-S', ...flags, '-cf', tarOf(name), '-C', join(dir, 'rel'), 'bin/holey']);
    execFileSync('tar', ['-S', ...flags, '-cf', tarFiles(name), '-C', join(dir, 'rel'), 'bin/app', 'bin/good']);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GNU tar sparse members', () => {
  for (const [name] of LAYOUTS) {
    it(`${name}: expanded byte for byte, under the real name`, async () => {
      const want = readFileSync(join(dir, 'rel/bin/holey'));
      const tar = readFileSync(tarOf(name));
      // Stored sparse (the archive is far smaller than the file), else the test would prove nothing.
      expect(tar.length).toBeLessThan(want.length / 10);
      expect(await members(tarOf(name))).toEqual([{ name: 'bin/holey', size: want.length, bytes: want.length, sha: sha(want) }]);
    });

    it(`${name}: a binary in a sparse member is inspected and audited like any other`, () => {
      const r = run(['inspect', '--json', tarFiles(name)]);
      expect(r.stderr).toBe('');
      const bins = JSON.parse(r.stdout).binaries.map((b: { path: string; linkage: string }) => [b.path.split('!')[1], b.linkage]);
      expect(bins).toEqual([['bin/app', 'dynamic'], ['bin/good', 'static']]);
    });
  }

  /** A one-member pax tar (python's tarfile) with these records and body. */
  const paxTar = (file: string, records: Record<string, string>, body: string) => {
    execFileSync('python3', ['-c', `
import tarfile, io, sys
body = bytes.fromhex(sys.argv[2])
ti = tarfile.TarInfo('GNUSparseFile.0/app'); ti.size = len(body); ti.pax_headers = ${JSON.stringify(records)}
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t: t.addfile(ti, io.BytesIO(body))
`, file, Buffer.from(body, 'latin1').toString('hex')]);
    return file;
  };

  it('a map that overlaps, runs past the file, is not numbers or has too many entries: one line naming the member, exit 2', () => {
    const data = 'x'.repeat(200);
    const cases: [string, Record<string, string>, string, RegExp][] = [
      ['overlap', { 'GNU.sparse.map': '0,100,50,100', 'GNU.sparse.size': '1000', 'GNU.sparse.name': 'bin/app' }, data, /overlaps/],
      ['past', { 'GNU.sparse.map': '900,200', 'GNU.sparse.size': '1000', 'GNU.sparse.name': 'bin/app' }, data, /runs past the file/],
      ['hex', { 'GNU.sparse.map': '0x0,100', 'GNU.sparse.size': '1000' }, data, /is not a number/],
      ['nosize', { 'GNU.sparse.map': '0,100' }, data, /no GNU\.sparse\.size/],
      ['count', { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' }, `99999999\n`, /more than 1048576 map entries/],
      ['short', { 'GNU.sparse.map': '0,5000', 'GNU.sparse.size': '5000' }, data, /ends before its data does/],
      ['version', { 'GNU.sparse.major': '2', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' }, data, /format 2\.0 is not one linkplan reads/],
    ];
    for (const [name, records, body, message] of cases) {
      paxTar(join(dir, `bad-${name}.tar`), records, body);
      const r = run(['inspect', `bad-${name}.tar`]);
      expect(r.status, name).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toMatch(new RegExp(`^linkplan: bad-${name}\\.tar!(bin/app|GNUSparseFile\\.0/app): tar sparse member: .*${message.source}`));
    }
  });

  it('a bad map is that member\'s error: the members after it are read', () => {
    execFileSync('python3', ['-c', `
import tarfile, io, sys
def add(t, name, body, px):
    ti = tarfile.TarInfo(name); ti.size = len(body); ti.pax_headers = px; t.addfile(ti, io.BytesIO(body))
with tarfile.open('two.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    add(t, 'GNUSparseFile.0/app', b'x' * 200, {'GNU.sparse.map': '0,100,50,100', 'GNU.sparse.size': '1000', 'GNU.sparse.name': 'bin/bad'})
    add(t, 'bin/good', open(sys.argv[1], 'rb').read(), {})
`, sample('elf/musl-static')], { cwd: dir });
    const r = run(['inspect', '--json', 'two.tar']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('linkplan: two.tar!bin/bad: tar sparse member: region at 50 overlaps or precedes the one before (ending at 100)\n');
    expect(JSON.parse(r.stdout).binaries.map((b: { path: string }) => b.path)).toEqual(['two.tar!bin/bad', 'two.tar!bin/good']);
  });

  it('pax sizes are decimal digits, as GNU tar reads them (not 0x9, 1e3 or empty)', () => {
    for (const [name, size] of [['hex', '0x9'], ['exp', '1e3'], ['empty', '']]) {
      paxTar(join(dir, `size-${name}.tar`), { size }, 'x'.repeat(9));
      const r = run(['inspect', `size-${name}.tar`]);
      expect(r.status, name).toBe(2);
      expect(r.stderr, name).toMatch(new RegExp(`^linkplan: size-${name}\\.tar: .*pax size is not a number\\n$`));
    }
  });

  it('many regions (9,000: a map past what one call can spread), a name cut at its NUL, an extension header the stream lacks', async () => {
    const fd = openSync(join(dir, 'rel/many'), 'w');
    for (let i = 0; i < 9000; i++) writeSync(fd, Buffer.from('XXXXXXXXXX'), 0, 10, 16384 + i * 12288);
    closeSync(fd);
    truncateSync(join(dir, 'rel/many'), 16384 + 9000 * 12288 + 4096);
    execFileSync('tar', ['-S', '--format=pax', '--sparse-version=0.1', '-cf', join(dir, 'many.tar'), '-C', join(dir, 'rel'), 'many', 'bin/good']);
    const r = run(['inspect', '--json', 'many.tar']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).binaries.map((b: { path: string }) => b.path)).toEqual(['many.tar!bin/good']);
    // GNU.sparse.name holding a NUL: tar writes what comes before it.
    paxTar(join(dir, 'nulname.tar'), { 'GNU.sparse.map': '0,9', 'GNU.sparse.size': '9', 'GNU.sparse.name': 'ok\0hidden/x' }, 'x'.repeat(9));
    expect((await members(join(dir, 'nulname.tar'))).map((m) => m.name)).toEqual(['ok']);
    // An old GNU 'S' header whose "extended" byte is set, and nothing after it.
    const h = Buffer.alloc(512);
    const oct = (n: number, w: number) => `${n.toString(8).padStart(w - 1, '0')}\0`;
    h.write('sp', 0); h.write('0000644\0', 100); h.write(oct(9, 12), 124); h.write(oct(0, 12), 136); h.write('S', 156);
    h.write('ustar  \0', 257); h.write(oct(0, 12) + oct(9, 12), 386); h[482] = 1; h.write(oct(9, 12), 483);
    h.fill(' ', 148, 156);
    h.write(`${h.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
    writeFileSync(join(dir, 's-eof.tar'), h);
    const t = run(['inspect', 's-eof.tar']);
    expect([t.status, t.stderr])
      .toEqual([2, 'linkplan: s-eof.tar: tar sparse header at 0: the stream ends before the extension header it announces (truncated)\n']);
  });

  it('nested tars share one budget of holes: a few KB of nested sparse members is a bomb, not minutes of zeros', async () => {
    execFileSync('python3', ['-c', `
import tarfile, io, gzip, sys
app = open(sys.argv[1], 'rb').read()
def inner():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        for i in range(4):
            body = b'1\\n0\\n%d\\n' % len(app); body += b'\\0' * (-len(body) % 512) + app
            ti = tarfile.TarInfo('GNUSparseFile.0/m%d' % i); ti.size = len(body)
            ti.pax_headers = {'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'bin/m%d' % i, 'GNU.sparse.realsize': str(1 << 28)}
            t.addfile(ti, io.BytesIO(body))
    return buf.getvalue()
out = io.BytesIO()
with tarfile.open(fileobj=out, mode='w') as t:
    for j in range(8):
        b = inner(); ti = tarfile.TarInfo('n%d.tar' % j); ti.size = len(b); t.addfile(ti, io.BytesIO(b))
open('nested-holes.tar.gz', 'wb').write(gzip.compress(out.getvalue()))
`, sample('elf/musl-static')], { cwd: dir });
    expect(readFileSync(join(dir, 'nested-holes.tar.gz')).length).toBeLessThan(64 * 1024);
    // One budget for the input, not one per nested tar (28 s and 2.2 GB before, members of 1 GiB): with a budget of
    // 512 MiB (8 GiB by default: the CLI would spend seconds getting there), the third 256 MiB member ends it.
    const b = readFileSync(join(dir, 'nested-holes.tar.gz'));
    const r = await collectReport(walkArchive({ path: 'nested-holes.tar.gz', kind: 'gzip', source: new MemorySource(b, 'n') },
      { decompressors: nodeDecompressors, limits: { ...archiveLimits, maxHoleBytes: 2 ** 29 } }));
    const bomb = r.binaries.filter((x) => x.error?.message.includes('holes expand past 536870912 bytes of zeros'));
    expect(bomb.length).toBeGreaterThan(0);
    expect(r.binaries.filter((x) => x.error === null).length).toBeLessThan(3);
  });

  it('real sparse binaries past 1 GiB of holes in one input are read (six 200 MiB executables padded by truncate)', () => {
    mkdirSync(join(dir, 'pad'));
    for (let i = 0; i < 6; i++) {
      copyFileSync(sample('elf/musl-static'), join(dir, `pad/bin${i}`));
      truncateSync(join(dir, `pad/bin${i}`), 200 * 2 ** 20);
    }
    execFileSync('tar', ['-S', '-cf', join(dir, 'pad.tar'), '-C', join(dir, 'pad'), '.']);
    expect(readFileSync(join(dir, 'pad.tar')).length).toBeLessThan(2 ** 20);
    const r = run(['inspect', '--json', 'pad.tar']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).binaries.filter((x: { error: unknown }) => x.error === null)).toHaveLength(6);
  });

  it('holes count against one budget per archive: a map of terabytes of zeros is a bomb, not a hang', async () => {
    const file = paxTar(join(dir, 'bomb.tar'), { 'GNU.sparse.map': `${2 ** 42},1`, 'GNU.sparse.size': `${2 ** 42 + 1}` }, 'x');
    const read = async () => {
      for await (const m of readTar(chunksOf(readFileSync(file)), undefined, { left: 2 ** 24, total: 2 ** 24 })) for await (const c of m.body()) void c;
    };
    await expect(read()).rejects.toThrow(/holes expand past 16777216 bytes of zeros/);
  });
});
