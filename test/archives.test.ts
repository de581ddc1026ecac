/**
 * Archives read natively, in one streaming pass, nothing written: every container and compression built at test
 * time from the committed samples (tar, gzip, xz, zstd, bzip2, zip and the zips people ship, .deb, .crate, Alpine
 * .apk, nesting), and hostile archives each giving its one line and exit code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sample } from './helpers.js';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { walkArchive } from '../src/archive/walk.js';
import { crc32Of, nodeDecompressors } from '../src/node/decompress.js';
import { crc32 as zipCrc32, type InflateRawWhole, readZip } from '../src/archive/zip.js';
import { webDecompressors } from '../src/archive/decompress.js';
import type { Chunks } from '../src/archive/chunks.js';

let dir: string;
/** Where the CLI runs: it must stay empty (nothing extracted, nothing written). */
let cwd: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 << 20,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}
const json = (args: string[]) => {
  const r = run(['inspect', '--json', ...args]);
  return {
    ...r,
    j: JSON.parse(r.stdout) as {
      binaries: { path: string; error: { message: string } | null; linkage: string }[]; symlinks: unknown[]; notes: { path: string; code: string }[];
      skipped: number;
    },
  };
};
const sh = (cmd: string, args: string[], c = dir) => execFileSync(cmd, args, { cwd: c, stdio: ['ignore', 'pipe', 'pipe'] });
const py = (code: string) => execFileSync('python3', ['-c', code], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

const MEMBERS = ['bin/app', 'lib/libfoo.so.1'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-archives-'));
  cwd = join(dir, 'cwd');
  mkdirSync(cwd);
  const pkg = join(dir, 'pkg');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  mkdirSync(join(pkg, 'lib'));
  copyFileSync(sample('elf/glibc-pie'), join(pkg, 'bin/app'));
  copyFileSync(sample('elf/libfoo.so.1'), join(pkg, 'lib/libfoo.so.1'));
  writeFileSync(join(pkg, 'README'), 'not a binary\n');
  const t = (out: string, ...flags: string[]) => sh('tar', ['-C', dir, ...flags, '-cf', join(dir, out), 'pkg']);
  t('pkg.tar');
  t('pkg.tgz', '-z');
  t('pkg.txz', '-J');
  t('pkg.tar.zst', '--zstd');
  t('pkg.tbz2', '-j');
  sh('zip', ['-qr', join(dir, 'pkg.zip'), 'pkg']);
  copyFileSync(join(dir, 'pkg.zip'), join(dir, 'pkg-1.0-py3-none-any.whl'));
  copyFileSync(join(dir, 'pkg.tgz'), join(dir, 'pkg-1.0.crate'));
  // A .deb: dpkg-deb writes debian-binary, control.tar.*, data.tar.* into an ar archive.
  const deb = join(dir, 'debroot');
  mkdirSync(join(deb, 'DEBIAN'), { recursive: true });
  mkdirSync(join(deb, 'usr'), { recursive: true });
  sh('cp', ['-r', join(pkg, 'bin'), join(pkg, 'lib'), join(deb, 'usr')]);
  writeFileSync(join(deb, 'DEBIAN/control'), 'Package: pkg\nVersion: 1.0\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n');
  sh('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', deb, join(dir, 'pkg.deb')]);
  // An Alpine .apk: separately gzip'd tar segments, concatenated (signature, control, data).
  const seg = (name: string, ...files: string[]) => {
    sh('tar', ['-C', pkg, '-cf', join(dir, name), ...files]);
    return gzipSync(readFileSync(join(dir, name)));
  };
  writeFileSync(join(pkg, '.PKGINFO'), 'pkgname = pkg\n');
  writeFileSync(join(dir, 'pkg.apk'), Buffer.concat([seg('s.tar', 'README'), seg('c.tar', '.PKGINFO'), seg('d.tar', 'bin', 'lib')]));
  // Nested: a .tgz holding a .whl holding the binaries.
  mkdirSync(join(dir, 'outer'));
  copyFileSync(join(dir, 'pkg-1.0-py3-none-any.whl'), join(dir, 'outer/inner.whl'));
  sh('tar', ['-C', dir, '-czf', join(dir, 'nested.tgz'), 'outer']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every container and compression, the same members', () => {
  it.each([
    ['pkg.tar', 'pkg/'], ['pkg.tgz', 'pkg/'], ['pkg.txz', 'pkg/'], ['pkg.tar.zst', 'pkg/'], ['pkg.tbz2', 'pkg/'],
    ['pkg.zip', 'pkg/'], ['pkg-1.0-py3-none-any.whl', 'pkg/'], ['pkg-1.0.crate', 'pkg/'], ['pkg.apk', ''],
  ])('%s', (file, prefix) => {
    const { code, stderr, j } = json([join(dir, file)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(j.binaries.map((b) => [b.path, b.error, b.linkage]).sort()).toEqual(MEMBERS.map((m) => [`${join(dir, file)}!${prefix}${m}`, null, 'dynamic']));
    expect(j.skipped).toBeGreaterThanOrEqual(1);
  });

  it('a .deb: ar, then the xz-compressed data.tar inside it', () => {
    const { code, stderr, j } = json([join(dir, 'pkg.deb')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(j.binaries.map((b) => b.path).sort()).toEqual(MEMBERS.map((m) => `${join(dir, 'pkg.deb')}!data.tar.xz!./usr/${m}`));
  });

  it('a .deb whose data.tar this walk cannot open (lzma) is not a package with no binaries: one line, exit 2', () => {
    // dpkg reads data.tar.lzma; the xz decoder here reads the xz format only. Built as dpkg-deb lays a .deb out.
    const d = join(dir, 'lzdeb');
    mkdirSync(join(d, 'data'), { recursive: true });
    writeFileSync(join(d, 'debian-binary'), '2.0\n');
    copyFileSync(join(dir, 'pkg/bin/app'), join(d, 'data/app'));
    sh('tar', ['-czf', 'control.tar.gz', '-C', join(dir, 'debroot/DEBIAN'), '.'], d);
    sh('sh', ['-c', 'tar -cf - -C data . | xz --format=lzma > data.tar.lzma && ar rc lz.deb debian-binary control.tar.gz data.tar.lzma'], d);
    const { code, stderr, j } = json([join(d, 'lz.deb')]);
    expect(code).toBe(2);
    const why = "neither a tar nor gzip, xz, zstd or bzip2 (lzma is not read): the package's files were not read";
    const line = `linkplan: ${join(d, 'lz.deb')}!data.tar.lzma: ${why}`;
    expect(stderr.trim().split('\n')).toEqual([line]);
    expect(j.binaries.map((b) => [b.path, b.error?.message])).toEqual([[`${join(d, 'lz.deb')}!data.tar.lzma`, expect.stringMatching(/lzma is not read/)]]);
    // An empty package (a data.tar of nothing but its end, which dpkg takes) is no error.
    writeFileSync(join(d, 'data.tar'), new Uint8Array(10240));
    sh('ar', ['rc', 'empty.deb', 'debian-binary', 'control.tar.gz', 'data.tar'], d);
    const empty = json([join(d, 'empty.deb')]);
    expect([empty.code, empty.stderr, empty.j.binaries]).toEqual([0, '', []]);
  });

  it('nested: a .tgz holding a .whl holding the binaries', () => {
    const { code, j } = json([join(dir, 'nested.tgz')]);
    expect(code).toBe(0);
    expect(j.binaries.map((b) => b.path).sort()).toEqual(MEMBERS.map((m) => `${join(dir, 'nested.tgz')}!outer/inner.whl!pkg/${m}`));
  });

  it('archives inside a directory are read, not skipped', () => {
    const d = join(dir, 'tree');
    mkdirSync(d);
    copyFileSync(join(dir, 'pkg.tgz'), join(d, 'release.tgz'));
    copyFileSync(sample('elf/musl-static'), join(d, 'loose'));
    const { code, j } = json([d]);
    expect(code).toBe(0);
    expect(j.binaries.map((b) => b.path).sort()).toEqual([`${d}/loose`, ...MEMBERS.map((m) => `${d}/release.tgz!pkg/${m}`)]);
  });

  it('verify: plan globs match the path inside the archive', () => {
    writeFileSync(join(dir, 'plan.toml'), '[[artifact]]\npath = "pkg/bin/*"\nlinkage = "dynamic"\n\n' +
      '[[artifact]]\npath = "pkg/lib/*.so*"\ntype = "shared-library"\n');
    const r = run(['verify', '--plan', join(dir, 'plan.toml'), '--format', 'json', join(dir, 'pkg.tgz')]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.binaries.map((b: { file: string; artifacts: string[]; status: string }) => [b.file.split('!')[1], b.artifacts, b.status]).sort()).toEqual([
      ['pkg/bin/app', ['pkg/bin/*'], 'pass'], ['pkg/lib/libfoo.so.1', ['pkg/lib/*.so*'], 'pass'],
    ]);
  });
});

describe('the core reads archives from bytes, with web-standard decompressors', () => {
  it('a .tgz and a .zip in memory, gzip and deflate-raw from DecompressionStream (what a browser has)', async () => {
    const web = (format: 'gzip' | 'deflate-raw') => (input: Chunks): Chunks => (async function* () {
      const rs = (ReadableStream as unknown as { from(x: Chunks): ReadableStream<Uint8Array> }).from(input).pipeThrough(new DecompressionStream(format));
      for await (const c of rs as unknown as AsyncIterable<Uint8Array>) yield c;
    })();
    const decompressors = { gzip: web('gzip'), inflateRaw: web('deflate-raw') };
    for (const [file, kind] of [['pkg.tgz', 'gzip'], ['pkg.zip', 'zip']] as const) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      const r = await collectReport(walkArchive({ path: file, kind, source: new MemorySource(bytes, file) }, { decompressors }));
      expect(r.binaries.map((b) => [b.path, b.error]).sort()).toEqual(MEMBERS.map((m) => [`${file}!pkg/${m}`, null]));
    }
  });
});

/** A zip (stored) of two texts compressed by `tool` (a.txt.<ext>, b.txt.<ext>), made once per tool. */
function twoTextsZip(tool: 'bzip2' | 'xz', ext: string, text: string): string {
  const d = join(dir, `two-${ext}`);
  mkdirSync(d, { recursive: true });
  const files = ['a', 'b'].map((n) => join(d, `${n}.txt.${ext}`));
  for (const f of files) writeFileSync(f, execFileSync(tool, ['-c'], { input: text }));
  sh('zip', ['-q', '-0', '-j', join(d, 'two.zip'), ...files]);
  return join(d, 'two.zip');
}

describe('a compressed member passed over', () => {
  it('stops its decoder, so one that holds a lock lets the next member have it (two .xz texts in a tar hung)', async () => {
    // Two gzip'd texts in a tar, larger than one output chunk: each is sniffed, found no binary, and passed over.
    const text = Buffer.from('not a binary\n'.repeat(40_000));
    const tarDir = join(dir, 'two-texts');
    mkdirSync(join(tarDir, 'p'), { recursive: true });
    writeFileSync(join(tarDir, 'p/a.txt.gz'), gzipSync(text));
    writeFileSync(join(tarDir, 'p/b.txt.gz'), gzipSync(text));
    sh('tar', ['-C', tarDir, '-cf', join(tarDir, 'two.tar'), 'p']);
    // A decoder like xz-decompress's: one stream at a time (a lock), let go only when its stream ends or is stopped.
    let locked = false, stopped = 0;
    const gzip = (input: Chunks): Chunks => (async function* () {
      if (locked) throw new Error('the previous stream was left running');
      locked = true;
      try {
        for await (const c of nodeDecompressors.gzip!(input)) for (let o = 0; o < c.length; o += 4096) yield c.subarray(o, o + 4096);
      } finally {
        locked = false;
        stopped++;
      }
    })();
    const bytes = new Uint8Array(readFileSync(join(tarDir, 'two.tar')));
    const r = await collectReport(walkArchive({ path: 'two.tar', kind: 'tar', source: new MemorySource(bytes, 'two.tar') }, { decompressors: { gzip } }));
    expect([r.notes, r.binaries, r.skipped, stopped]).toEqual([[], [], 2, 2]);
  });

  it('a .bz2 text passed over is no error (stopped, unbzip2-stream says "Premature close": not the member\'s fault)', () => {
    const r = run(['inspect', '--json', '--jobs', '1', twoTextsZip('bzip2', 'bz2', 'plain text, bzip2\'d\n'.repeat(50_000))]);
    expect([r.code, r.stderr, JSON.parse(r.stdout).skipped]).toEqual([0, '', 2]);
  });

  it('a small .bz2 (its whole stream in one chunk) is read: a binary in it, and a few bytes of text', () => {
    const d = join(dir, 'small-bz2');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'app.bz2'), execFileSync('bzip2', ['-c', sample('elf/glibc-pie')]));
    writeFileSync(join(d, 'hello.txt.bz2'), execFileSync('bzip2', ['-c'], { input: 'hello\n' }));
    const r = run(['inspect', '--json', '--jobs', '1', join(d, 'app.bz2'), join(d, 'hello.txt.bz2')]);
    // Both failed as "truncated or corrupt (Premature close)", nothing read: the stream's end came before its data.
    expect([r.code, r.stderr]).toEqual([0, '']);
    const j = JSON.parse(r.stdout);
    expect([j.binaries.map((b: { path: string; error: unknown }) => [b.path, b.error]), j.skipped]).toEqual([[[`${join(d, 'app.bz2')}!app`, null]], 1]);
  });

  it('two .xz texts in a zip beside a file the workers read: the run ends (it hung for good)', () => {
    const zip = twoTextsZip('xz', 'xz', 'not a binary either\n'.repeat(20_000));
    const r = spawnSync(process.execPath, [BIN, 'inspect', '--json', '--jobs', '2', sample('elf/glibc-pie'), zip],
      { encoding: 'utf8', timeout: 30_000 });
    expect([r.signal, r.status, r.stderr]).toEqual([null, 0, '']);
    expect(JSON.parse(r.stdout).skipped).toBe(2);
  });
});

describe('zstd as the zstd tool writes it (zstd\'s own decoder, as WASM)', () => {
  // pkg plus 256 KiB of seeded noise, last: the noise is stored as raw blocks, where only the frame's XXH64 checksum
  // can tell a changed byte (fzstd, which skipped the checksum, read such a file as fine, with wrong bytes).
  let tarBytes: Buffer;
  const zst = (input: Buffer, ...flags: string[]) => execFileSync('zstd', ['-q', '-c', ...flags], { input, maxBuffer: 64 << 20 });
  const skippable = (n: number, payload: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(0x184d2a50 + n, 0); // RFC 8878 3.1.2: magic 0x184D2A5?, then the payload's size
    h.writeUInt32LE(payload.length, 4);
    return Buffer.concat([h, payload]);
  };
  beforeAll(() => {
    let seed = 1;
    const noise = Buffer.from(Array.from({ length: 256 << 10 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24));
    writeFileSync(join(dir, 'pkg/zz-noise'), noise);
    tarBytes = execFileSync('tar', ['-C', dir, '-cf', '-', 'pkg/bin', 'pkg/lib', 'pkg/zz-noise'], { maxBuffer: 64 << 20 });
    rmSync(join(dir, 'pkg/zz-noise'));
  });
  const walk = async (name: string, bytes: Uint8Array) => {
    const r = await collectReport(walkArchive({ path: name, kind: 'zstd', source: new MemorySource(new Uint8Array(bytes), name) },
      { decompressors: webDecompressors }));
    return r.binaries.map((b) => [b.path, b.error?.message ?? null]).sort();
  };
  const whole = (name: string) => MEMBERS.map((m) => [`${name}!pkg/${m}`, null]);

  it('one frame with its size (zstd FILE), one without (a pipe into zstd), many frames, skippable frames between', async () => {
    const half = 20_000;
    const variants: [string, Buffer][] = [
      ['sized.tar.zst', zst(tarBytes, '--content-size')],
      ['piped.tar.zst', zst(tarBytes, '--no-content-size')],
      ['frames.tar.zst', Buffer.concat([zst(tarBytes.subarray(0, half)), zst(tarBytes.subarray(half, 3 * half)), zst(tarBytes.subarray(3 * half))])],
      ['skippable.tar.zst', Buffer.concat([skippable(0, Buffer.from('hello')), zst(tarBytes.subarray(0, half)), skippable(15, Buffer.alloc(1000)),
        zst(tarBytes.subarray(half), '--no-check'), skippable(3, Buffer.alloc(0))])],
    ];
    for (const [name, bytes] of variants) {
      expect(execFileSync('zstd', ['-d', '-c'], { input: bytes, maxBuffer: 64 << 20 }).equals(tarBytes), name).toBe(true);
      expect(await walk(name, bytes), name).toEqual(whole(name));
    }
    writeFileSync(join(dir, 'piped.tar.zst'), variants[1][1]);
    writeFileSync(join(dir, 'frames.tar.zst'), variants[2][1]);
    expect(execFileSync('zstd', ['-lv', join(dir, 'piped.tar.zst')]).toString()).not.toMatch(/Decompressed Size/);
    expect(execFileSync('zstd', ['-lv', join(dir, 'frames.tar.zst')]).toString()).toMatch(/# Zstandard Frames: 3\n/);
  });

  it('cut anywhere, even only its 4-byte checksum: truncated, the binaries before the cut still read', async () => {
    const z = zst(tarBytes);
    for (const keep of [z.length - 1, z.length - 4, Math.floor(z.length * 0.7), 5]) {
      const r = await walk('cut.tar.zst', z.subarray(0, keep));
      expect(r.filter(([, e]) => e !== null), `kept ${keep}`).toEqual([['cut.tar.zst', 'zstd: the stream ends early (truncated)']]);
      if (keep > z.length / 2) expect(r.filter(([, e]) => e === null), `kept ${keep}`).toEqual(whole('cut.tar.zst'));
    }
  });

  it('a changed byte only the checksum catches, a corrupt block, bytes after the last frame: each an error, never a hang', async () => {
    const z = zst(tarBytes);
    const flipped = Buffer.from(z);
    flipped[Math.floor(z.length * 0.6)] ^= 0x01;
    // The zstd tool agrees on what each is.
    expect(spawnSync('zstd', ['-t', '-'], { input: flipped }).stderr.toString()).toMatch(/checksum/);
    expect(await walk('flip.tar.zst', flipped)).toContainEqual(['flip.tar.zst', "zstd: restored data doesn't match checksum"]);
    const zeroed = Buffer.from(z);
    zeroed.fill(0, 200, 264);
    const bad = (await walk('zeroed.tar.zst', zeroed)).filter(([, e]) => e !== null);
    expect(bad).toHaveLength(1);
    expect(bad[0][1]).toMatch(/^zstd: (data corruption detected|restored data doesn't match checksum)$/);
    expect(await walk('junk.tar.zst', Buffer.concat([z, Buffer.from('junk after the frame')])))
      .toContainEqual(['junk.tar.zst', 'zstd: unknown frame descriptor']);
  });
  it('a frame whose window passes 128 MiB (zstd --long=31 of a pipe) is refused as zstd -d refuses it: unsupported', async () => {
    const z = zst(tarBytes, '--long=31');
    expect(spawnSync('zstd', ['-d', '-c'], { input: z }).stderr.toString()).toMatch(/too much memory/);
    expect(await walk('long.tar.zst', z)).toEqual([['long.tar.zst', 'zstd: frame requires too much memory for decoding']]);
  });
});

describe('a nested stream left with a read in flight', () => {
  it('a .gz member that is no archive, in a slow stream: the next member is still found (the pull-ahead is settled first)', async () => {
    // A Node stream piped from a member's body pulls ahead; when the nested walk stops early (the .gz holds text, not a
    // tar) it is destroyed with that pull unsettled. Settling later, it took bytes of the next header: "tar header at
    // N: checksum mismatch" at an unaligned N, now and then, on real tarballs holding .gz files (perl's config.sh.gz).
    const text = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i * 7919 % 10007}\n`).join(''));
    const tarDir = join(dir, 'pullahead');
    mkdirSync(join(tarDir, 'p'), { recursive: true });
    writeFileSync(join(tarDir, 'p/a-config.sh.gz'), gzipSync(text, { level: 1 }));
    copyFileSync(sample('elf/musl-static'), join(tarDir, 'p/b-app'));
    execFileSync('tar', ['-cf', join(dir, 'pullahead.tar'), '-C', tarDir, 'p/a-config.sh.gz', 'p/b-app']);
    const bytes = new Uint8Array(readFileSync(join(dir, 'pullahead.tar')));
    // 4 KiB at a time, each after a timer: a read is always pending when the nested walk gives up.
    const slow = (): Chunks => (async function* () {
      for (let o = 0; o < bytes.length; o += 4096) {
        await new Promise((res) => setTimeout(res, 0));
        yield bytes.subarray(o, o + 4096);
      }
    })();
    const r = await collectReport(walkArchive({ path: 'pullahead.tar', kind: 'tar', stream: slow }, { decompressors: nodeDecompressors }));
    expect(r.binaries.map((b) => [b.path, b.error])).toEqual([['pullahead.tar!p/b-app', null]]);
  });
});

describe('hostile archives are reported, never obeyed', () => {
  it('traversal, absolute names, symlinks, hard links, devices, duplicates: notes and links, the binaries still read', () => {
    py(`
import tarfile, io
data = open(${JSON.stringify(sample('elf/glibc-pie'))}, 'rb').read()
t = tarfile.open('evil.tar', 'w', format=tarfile.GNU_FORMAT)
def add(name, **kw):
    i = tarfile.TarInfo(name)
    for k, v in kw.items(): setattr(i, k, v)
    t.addfile(i, io.BytesIO(data) if i.type == tarfile.REGTYPE else None)
    if i.type == tarfile.REGTYPE: pass
for name in ['../../escaped-by-linkplan', '/tmp/absolute-by-linkplan', 'ok/app', 'ok/app']:
    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
add('ok/link-out', type=tarfile.SYMTYPE, linkname='/etc/passwd')
add('ok/link-in', type=tarfile.SYMTYPE, linkname='app')
add('ok/hard', type=tarfile.LNKTYPE, linkname='ok/app')
add('ok/hard-out', type=tarfile.LNKTYPE, linkname='../../etc/shadow')
add('ok/loop1', type=tarfile.SYMTYPE, linkname='loop2')
add('ok/loop2', type=tarfile.SYMTYPE, linkname='loop1')
add('ok/dev', type=tarfile.CHRTYPE, devmajor=1, devminor=3)
add('ok/fifo', type=tarfile.FIFOTYPE)
t.close()
`);
    const { code, j, stderr } = json([join(dir, 'evil.tar')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const p = (m: string) => `${join(dir, 'evil.tar')}!${m}`;
    expect(j.binaries.map((b) => b.path)).toEqual([p('../../escaped-by-linkplan'), p('/tmp/absolute-by-linkplan'), p('ok/app'), p('ok/app')]);
    expect(j.notes.map((n) => [n.path, n.code])).toEqual([
      [p('../../escaped-by-linkplan'), 'traversal'], [p('/tmp/absolute-by-linkplan'), 'absolute-name'], [p('ok/app'), 'duplicate'],
      [p('ok/link-out'), 'link-escapes'], [p('ok/hard-out'), 'link-escapes'], [p('ok/dev'), 'device'], [p('ok/fifo'), 'device'],
    ]);
    expect(j.symlinks).toEqual([
      { path: p('ok/link-out'), target: '/etc/passwd', inTree: false }, { path: p('ok/link-in'), target: 'app', inTree: true },
      { path: p('ok/hard'), target: 'ok/app', inTree: true, hardlink: true },
      { path: p('ok/hard-out'), target: '../../etc/shadow', inTree: false, hardlink: true },
      // A symlink loop is two links, each named with its target: nothing follows them, so nothing loops; they are
      // marked as one once the archive is read.
      { path: p('ok/loop1'), target: 'loop2', inTree: true, broken: 'loop' }, { path: p('ok/loop2'), target: 'loop1', inTree: true, broken: 'loop' },
    ]);
    // Nothing was written: not where the names point, not in the working directory.
    expect(existsSync(join(cwd, '../../escaped-by-linkplan')) || existsSync('/tmp/absolute-by-linkplan')).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
    const table = run(['inspect', join(dir, 'evil.tar')]);
    expect(table.stdout).toContain(`archive: ${p('../../escaped-by-linkplan')}: a member name with ".." `
      + 'can reach outside the unpack directory (traversal)');
  });

  it('names judged on their bytes: a Latin-1 first byte is no backslash; a real one, and .., still are', () => {
    // ustar headers written by hand: python's tarfile would re-encode the names.
    py(`
import tarfile
elf = open(${JSON.stringify(sample('elf/musl-static'))}, 'rb').read()
out = b''
for n in [b'\\xe9t\\xe9/app', b'\\\\windows\\\\app', b'\\xe9/../app']:
    ti = tarfile.TarInfo('x'); ti.size = len(elf)
    h = bytearray(ti.tobuf(format=tarfile.USTAR_FORMAT))
    h[0:100] = n + b'\\0' * (100 - len(n)); h[148:156] = b' ' * 8; h[148:156] = b'%06o\\0 ' % sum(h)
    out += bytes(h) + elf + b'\\0' * ((512 - len(elf) % 512) % 512)
open('names.tar', 'wb').write(out + b'\\0' * 1024)
`);
    const { j } = json([join(dir, 'names.tar')]);
    const p = (m: string) => `${join(dir, 'names.tar')}!${m}`;
    expect(j.binaries.map((b) => b.path)).toEqual([p('\\xe9t\\xe9/app'), p('\\windows\\app'), p('\\xe9/../app')]);
    expect(j.notes.map((n) => [n.path, n.code])).toEqual([[p('\\windows\\app'), 'absolute-name'], [p('\\xe9/../app'), 'traversal']]);
    // A pax path holding a NUL is what comes before it, as GNU tar extracts it (tar -t lists "ok").
    py(`
import tarfile, io
b = open(${JSON.stringify(sample('elf/musl-static'))}, 'rb').read()
ti = tarfile.TarInfo('placeholder'); ti.size = len(b); ti.pax_headers = {'path': 'ok\\x00hidden/x'}
with tarfile.open('nul.tar', 'w', format=tarfile.PAX_FORMAT) as t: t.addfile(ti, io.BytesIO(b))
`);
    expect(execFileSync('tar', ['-tf', join(dir, 'nul.tar')]).toString()).toBe('ok\n');
    expect(json([join(dir, 'nul.tar')]).j.binaries.map((b) => b.path)).toEqual([`${join(dir, 'nul.tar')}!ok`]);
  });

  it('a gzip bomb stops while inflating, with one line and exit 2', () => {
    // A tar holding 256 MiB of zeros, gzip'd to about 254 KiB (1,030×), written as a stream (no 256 MiB file).
    // Passing over the member inflates it, and the ratio stops that long before its end.
    const zeros = join(dir, 'zeros.tar');
    py(`
import tarfile
class Zeros:
    def __init__(self, n): self.n = n
    def read(self, k=-1):
        k = self.n if k < 0 else min(k, self.n); self.n -= k; return bytes(k)
t = tarfile.open('bomb.tgz', 'w:gz', compresslevel=9)
i = tarfile.TarInfo('zeros'); i.size = 256 << 20
t.addfile(i, Zeros(i.size)); t.close()`);
    const r = run(['inspect', join(dir, 'bomb.tgz')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bomb\.tgz: gzip: inflates more than 200× .*a decompression bomb, not read further/);
    expect(existsSync(zeros)).toBe(false);
  });

  it('a zstd bomb stops while inflating (the decoder gives out 256 KiB at a time): one line, exit 2, bounded memory', () => {
    // 1 GiB of zeros in a tar, zstd'd to a few tens of KiB: a decoder that inflated all it was handed before giving
    // anything out would hold it all before the walker's ratio check saw any. Built as a stream (tar of /dev/zero's
    // bytes through python, then zstd).
    const bomb = join(dir, 'bomb.tar.zst');
    const made = spawnSync('sh', ['-c', `python3 -c '
import sys, tarfile
class Zeros:
    def __init__(self, n): self.n = n
    def read(self, k=-1):
        k = self.n if k < 0 else min(k, self.n); self.n -= k; return bytes(k)
t = tarfile.open(fileobj=sys.stdout.buffer, mode="w|")
i = tarfile.TarInfo("zeros"); i.size = 1 << 30
t.addfile(i, Zeros(i.size)); t.close()' | zstd -q -1 -o ${JSON.stringify(bomb)}`]);
    expect(made.status, String(made.stderr)).toBe(0);
    const r = spawnSync('/usr/bin/time', ['-q', '-f', '%M', process.execPath, BIN, 'inspect', bomb], { encoding: 'utf8' });
    const lines = r.stderr.trimEnd().split('\n');
    const peakKiB = Number(lines.pop());
    expect(r.status).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/bomb\.tar\.zst: zstd: inflates more than 200× .*a decompression bomb, not read further/);
    // Held output stops at 200× the input fed: far below the 1 GiB a whole push would have held.
    expect(peakKiB).toBeLessThan(400 * 1024);
  });

  it('a zip bomb: a member that sniffs as a binary stops inflating at the ratio limit; the others are read', () => {
    py(`
import zipfile
elf = open(${JSON.stringify(sample('elf/glibc-pie'))}, 'rb').read()
z = zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED)
z.writestr('bin/app', elf)
z.writestr('zeros', b'\\0' * (64 << 20))
z.writestr('bin/bomb', elf[:64] + b'\\0' * (300 << 20))
z.close()`);
    const r = run(['inspect', '--json', join(dir, 'bomb.zip')]);
    expect(r.code).toBe(2);
    // The zeros are no binary: their first bytes say so and nothing more is inflated. The binary is read.
    expect(JSON.parse(r.stdout).binaries.map((b: { path: string; error: unknown }) => [b.path, b.error === null])).toEqual([
      [`${join(dir, 'bomb.zip')}!bin/app`, true], [`${join(dir, 'bomb.zip')}!bin/bomb`, false],
    ]);
    expect(r.stderr).toMatch(/bomb\.zip!bin\/bomb: .*inflates more than 200×.*a decompression bomb, not read further\n$/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['pkg.tgz', 'truncated'], ['pkg.txz', 'truncated'], ['pkg.tar', 'truncated'], ['pkg.tar.zst', 'truncated'], ['pkg.tbz2', 'truncated or corrupt'],
  ])('a truncated %s: one line, exit 2', (file, why) => {
    const bytes = readFileSync(join(dir, file));
    const cut = join(dir, `cut-${file}`);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = run(['inspect', cut]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^linkplan: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(!\\S+)?: .*${why}`));
    // What the decoder's code tripped on stays out of the message (a TypeError inside unbzip2-stream's bit reader),
    // wherever the stream is cut.
    expect(lines[0]).not.toMatch(/Cannot read|undefined|is not a function/);
    for (const f of [0.05, 0.2, 0.4, 0.8]) {
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * f)));
      expect(run(['inspect', cut]).stderr, `${file} cut at ${f}`).not.toMatch(/Cannot read|undefined|is not a function/);
    }
  });

  it('a .tgz with trailing garbage: said as such (not zlib\'s "incorrect header check"); NUL padding is read past', () => {
    const tgz = readFileSync(join(dir, 'pkg.tgz'));
    const junk = join(dir, 'junk.tgz'), padded = join(dir, 'padded.tgz');
    writeFileSync(junk, Buffer.concat([tgz, Buffer.from('-----BEGIN PGP SIGNATURE-----\n')]));
    writeFileSync(padded, Buffer.concat([tgz, Buffer.alloc(4096)]));
    const r = run(['inspect', junk]);
    expect([r.code, r.stderr]).toEqual([2, `linkplan: ${junk}: gzip: trailing garbage: bytes after the end of the compressed data are not a gzip member ` +
      '(gzip -d drops them with a warning)\n']);
    const p = json([padded]);
    expect([p.code, p.j.binaries.map((b) => b.path.split('!')[1]).sort()]).toEqual([0, MEMBERS.map((m) => `pkg/${m}`)]);
  });

  it('a corrupt zip member (CRC mismatch) and a central directory that disagrees with its local header', () => {
    const z = readFileSync(join(dir, 'pkg.zip'));
    const bad = Buffer.from(z);
    // Flip a byte inside bin/app's data, well after its local header.
    const app = bad.indexOf(Buffer.from('pkg/bin/app'));
    expect(bad.readUInt32LE(app - 30)).toBe(0x04034b50);
    // Past the first 512 inflated bytes (which still sniff as ELF), so the member is read to its end.
    bad[app + 11 + bad.readUInt16LE(app - 2) + Math.floor(bad.readUInt32LE(app - 12) * 0.7)] ^= 0xff;
    writeFileSync(join(dir, 'corrupt.zip'), bad);
    const r = run(['inspect', '--json', join(dir, 'corrupt.zip')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /corrupt\.zip!pkg\/bin\/app: zip member pkg\/bin\/app: .*(CRC-32 mismatch|inflates past|where the central directory states|corrupt: )/,
    );

    const mis = Buffer.from(z);
    // Find the local header of bin/app and change one letter of its name there only.
    const name = Buffer.from('pkg/bin/app');
    const li = mis.indexOf(name);
    mis[li + name.length - 1] = 'q'.charCodeAt(0);
    writeFileSync(join(dir, 'mismatch.zip'), mis);
    const m = json([join(dir, 'mismatch.zip')]);
    expect(m.j.notes.map((n) => n.code)).toContain('zip-mismatch');
  });

  it('a data member that inflates far (1.5 MiB from a few KiB) is sniffed and passed over, not called a bomb', () => {
    // What a wheel's test data looks like (onnx: 2.5 MB of tensor packed to 2.5 KB), beside a binary.
    py(`
import zipfile
z = zipfile.ZipFile('data.zip', 'w', zipfile.ZIP_DEFLATED)
z.writestr('bin/app', open(${JSON.stringify(sample('elf/glibc-pie'))}, 'rb').read())
z.writestr('data/input_0.pb', b'\\0' * (3 << 19))
z.writestr('data/small.txt', b'hello\\n' * 1000)
z.close()`);
    const r = run(['inspect', '--json', join(dir, 'data.zip')]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const j = JSON.parse(r.stdout);
    expect([j.binaries.map((b: { path: string }) => b.path), j.skipped]).toEqual([[`${join(dir, 'data.zip')}!bin/app`], 2]);
  });

  it('zlib\'s CRC-32 where Node has one (20.15 and later), else the zip reader\'s table', () => {
    expect(crc32Of({})).toBe(zipCrc32);
    const zlib = { crc32: (d: Uint8Array, v?: number) => nodeDecompressors.crc32!(d, v ?? 0) };
    expect(crc32Of(zlib)).toBe(zlib.crc32);
  });

  it('the zip reader\'s own CRC-32 is zlib\'s, chained over chunks as members arrive', () => {
    const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(zipCrc32(data, 0)).toBe(nodeDecompressors.crc32!(data, 0));
    expect(zipCrc32(data.subarray(5000), zipCrc32(data.subarray(0, 5000), 0))).toBe(nodeDecompressors.crc32!(data, 0));
    expect(zipCrc32(new Uint8Array(0), 0)).toBe(0);
    expect(nodeDecompressors.crc32!(Buffer.from('123456789'), 0)).toBe(0xcbf43926);
  });

  it('small zip members inflate whole where the platform can, giving what the stream gives, errors included', async () => {
    /** Each member's body (as hex) or the error reading it, with `whole` (counted) or streamed only. */
    const bodies = async (file: string, whole: InflateRawWhole | undefined) => {
      const out: string[] = [];
      const src = new MemorySource(readFileSync(join(dir, file)), file);
      for await (const m of readZip(src, { inflateRaw: nodeDecompressors.inflateRaw, inflateRawWhole: whole })) {
        if (m.kind !== 'file') continue;
        try {
          const parts: Uint8Array[] = [];
          for await (const c of m.body()) parts.push(c);
          out.push(`${m.name} ${Buffer.concat(parts).toString('hex')}`);
        } catch (e) {
          out.push(`${m.name} ${(e as Error).message}`);
        }
      }
      return out;
    };
    let calls = 0;
    const counted: InflateRawWhole = (p, max) => { calls++; return nodeDecompressors.inflateRawWhole!(p, max); };
    // A zip whose deflated member states a size one byte short of what it inflates to (its CRC fixed up to match).
    const short = Buffer.from(readFileSync(join(dir, 'pkg.zip')));
    const cd = short.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'), short.lastIndexOf(Buffer.from('pkg/bin/app')));
    short.writeUInt32LE(short.readUInt32LE(cd + 24) - 1, cd + 24);
    writeFileSync(join(dir, 'short.zip'), short);
    // And one with a byte of bin/app's deflated data flipped.
    const bad = Buffer.from(readFileSync(join(dir, 'pkg.zip')));
    const app = bad.indexOf(Buffer.from('pkg/bin/app'));
    bad[app + 11 + bad.readUInt16LE(app - 2) + Math.floor(bad.readUInt32LE(app - 12) * 0.7)] ^= 0xff;
    writeFileSync(join(dir, 'flipped.zip'), bad);
    for (const file of ['pkg.zip', 'flipped.zip', 'short.zip']) {
      const before = calls;
      expect(await bodies(file, counted), file).toEqual(await bodies(file, undefined));
      expect(calls, file).toBeGreaterThan(before);
    }
    const broken = / (CRC-32 mismatch|corrupt|inflates past|where the central directory states)/;
    expect((await bodies('flipped.zip', counted)).some((b) => broken.test(b))).toBe(true);
    expect((await bodies('short.zip', counted)).some((b) => /inflates past the \d+ bytes the central directory states/.test(b))).toBe(true);
  });

  it('nesting past the limit: the innermost archive is not opened, and says so', () => {
    let cur = join(dir, 'pkg.tgz');
    for (let i = 0; i < 5; i++) {
      const d = join(dir, `nest${i}`);
      mkdirSync(d);
      copyFileSync(cur, join(d, `level${i}.tgz`));
      sh('tar', ['-C', d, '-czf', join(dir, `nest${i}.tgz`), `level${i}.tgz`]);
      cur = join(dir, `nest${i}.tgz`);
    }
    const { code, j } = json([cur]);
    expect(code).toBe(0);
    expect(j.binaries).toEqual([]);
    expect(j.notes.map((n) => n.code)).toEqual(['too-deep']);
  });
});
