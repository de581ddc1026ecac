/**
 * One member's trouble stays that member's: a link whose target is over the limit is an error (not a link to ""
 * inside the tree), a binary over the member limit is that member's error and the tar reads on; a stream's own
 * error (a bomb) is one line, counted once. What pzstd writes (a skippable frame first) is read as zstd, and a
 * truncated tar says how far the stream got. Names that extract to one file are duplicates; a symlink that does
 * not resolve within its archive is marked broken; a .deb without a data.tar is an error; a zip's local header that
 * disagrees with its central directory is one note saying what disagrees; corrupt gzip is said alike in the CLI and
 * on the web page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { walkArchive } from '../src/archive/walk.js';
import { archiveLimits } from '../src/archive/limits.js';
import { sniffArchive } from '../src/archive/detect.js';
import { nodeDecompressors } from '../src/node/decompress.js';
import { webDecompressors } from '../src/archive/decompress.js';
import type { Decompressors } from '../src/archive/walk.js';
import { sample } from './helpers.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'linkplan-members-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a Python script in the temporary directory, then reads what it wrote to `name`. */
function made(name: string, script: string): Uint8Array {
  execFileSync('python3', ['-c', script], { cwd: dir });
  return new Uint8Array(readFileSync(join(dir, name)));
}

async function read(name: string, bytes: Uint8Array, limits = archiveLimits, decompressors: Decompressors = nodeDecompressors) {
  const kind = sniffArchive(bytes.subarray(0, 512))!;
  return collectReport(walkArchive({ path: name, kind, source: new MemorySource(bytes, name) }, { decompressors, limits }));
}

describe('a link whose target is not read', () => {
  it('a zip symlink whose target is over 1 MiB: an error for that member, not a link to "" that stays inside', async () => {
    const zip = made('biglink.zip', `import zipfile
z = zipfile.ZipFile('biglink.zip', 'w')
for name, target in (('big', 'x/' * 600000), ('ok', 'lib/real')):
    i = zipfile.ZipInfo(name); i.create_system = 3; i.external_attr = 0o120777 << 16
    z.writestr(i, target)
z.close()`);
    const r = await read('biglink.zip', zip);
    expect(r.binaries.map((b) => [b.path, b.error?.message])).toEqual([
      ['biglink.zip!big', 'its link target is 1200000 bytes, over the limit of 1048576: not read'],
    ]);
    expect(r.symlinks).toEqual([{ path: 'biglink.zip!ok', target: 'lib/real', inTree: true, broken: 'dangling' }]);
  });

  it('a tar symlink whose GNU long link name is over 1 MiB: an error too', async () => {
    const tar = made('biglink.tar', `import tarfile
t = tarfile.open('biglink.tar', 'w', format=tarfile.GNU_FORMAT)
i = tarfile.TarInfo('big'); i.type = tarfile.SYMTYPE; i.linkname = 'x/' * 600000
t.addfile(i)
t.close()`);
    const r = await read('biglink.tar', tar);
    expect(r.binaries.map((b) => [b.path, b.error?.message])).toEqual([
      ['biglink.tar', 'tar GNU long link name at 0: 1200001 bytes, over the limit of 1048576'],
    ]);
    expect(r.symlinks).toEqual([]);
  });
});

describe('a binary over the member limit', () => {
  const script = (mode: string, out: string) => `import tarfile
t = tarfile.open('${out}', '${mode}')
t.add(${JSON.stringify(sample('elf/glibc-static'))}, 'big')
t.add(${JSON.stringify(sample('elf/glibc-pie'))}, 'after')
t.close()`;
  it.each([['big.tar', 'w'], ['big.tgz', 'w:gz']])('%s: an error for that member, once, and the members after it are read', async (name, mode) => {
    const r = await read(name, made(name, script(mode, name)), { ...archiveLimits, maxMemberBytes: 100_000 });
    expect(r.binaries.map((b) => [b.path, b.error?.message ?? null])).toEqual([
      [`${name}!big`, '762424 bytes, over the limit of 100000 for one member'], [`${name}!after`, null],
    ]);
  });
});

describe('a bomb met while a binary member is buffered', () => {
  it('a .gz of a binary and then zeros: one error, for the stream, counted once', async () => {
    const gz = made('e.gz', `import gzip
elf = open(${JSON.stringify(sample('elf/glibc-pie'))}, 'rb').read()
open('e.gz', 'wb').write(gzip.compress(elf + bytes(64 << 20), 1))`);
    const r = await read('e.gz', gz);
    expect(r.binaries.map((b) => b.path)).toEqual(['e.gz']);
    expect(r.binaries[0].error!.message).toMatch(/^gzip: inflates more than 200× \(\d+ bytes from \d+\): a decompression bomb, not read further$/);
  });
});

describe('a .tar.zst written by pzstd', () => {
  it('starts with a skippable frame, and is read as zstd', async () => {
    execFileSync('sh', ['-c', `tar -cf p.tar -C ${JSON.stringify(sample('elf'))} glibc-pie && pzstd -q -p 2 p.tar -o p.tar.zst`], { cwd: dir });
    const bytes = new Uint8Array(readFileSync(join(dir, 'p.tar.zst')));
    expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe('502a4d18');
    const r = await read('p.tar.zst', bytes);
    expect(r.binaries.map((b) => [b.path, b.error])).toEqual([['p.tar.zst!glibc-pie', null]]);
  });
});

describe('a tar cut short', () => {
  // One binary of 15,960 bytes: its header, its body from byte 512, then padding to 16,896.
  const whole = () => made('t.tar', `import tarfile
t = tarfile.open('t.tar', 'w', format=tarfile.USTAR_FORMAT)
t.add(${JSON.stringify(sample('elf/glibc-pie'))}, 'app')
t.close()`);
  it.each([
    [1024, 'the stream ends 512 bytes into its 15960-byte body'],
    [512, 'the stream ends 0 bytes into its 15960-byte body'],
    [512 + 16384 - 1, 'the stream ends 1 byte short'],
  ])('at %i bytes: %s', async (n, says) => {
    const r = await read('cut.tar', whole().subarray(0, n));
    expect(r.binaries.filter((b) => b.error).map((b) => [b.path, b.error?.message])).toEqual([['cut.tar', `tar member at 0: ${says} (truncated)`]]);
  });
});

describe('names that extract to the same file', () => {
  it('usr/bin/tool, ./usr/bin/tool and usr//bin/tool in one tar: the second and third are duplicates', async () => {
    const tar = made('dup.tar', `import tarfile
t = tarfile.open('dup.tar', 'w', format=tarfile.USTAR_FORMAT)
for name in ('usr/bin/tool', './usr/bin/tool', 'usr//bin/tool', 'usr/bin/./other'):
    t.add(${JSON.stringify(sample('elf/glibc-pie'))}, name)
t.close()`);
    const r = await read('dup.tar', tar);
    expect(r.binaries.map((b) => b.path)).toEqual(['dup.tar!usr/bin/tool', 'dup.tar!./usr/bin/tool', 'dup.tar!usr//bin/tool', 'dup.tar!usr/bin/./other']);
    expect(r.notes).toEqual([{ path: 'dup.tar!./usr/bin/tool', code: 'duplicate' }, { path: 'dup.tar!usr//bin/tool', code: 'duplicate' }]);
  });
});

describe('symlinks that do not resolve within the archive', () => {
  it('dangling and loop are marked once the archive is read; links that resolve (a target met later, a directory only implied) are not', async () => {
    const tar = made('links.tar', `import tarfile, io
t = tarfile.open('links.tar', 'w', format=tarfile.USTAR_FORMAT)
def link(name, target):
    i = tarfile.TarInfo(name); i.type = tarfile.SYMTYPE; i.linkname = target; t.addfile(i)
def file(name):
    i = tarfile.TarInfo(name); i.size = 3; t.addfile(i, io.BytesIO(b'hi\\n'))
link('early', 'late'); link('gone', 'nothing/here'); link('l1', 'l2'); link('l2', 'l1'); link('self', './self')
file('late'); file('d/f'); link('x/up', '../d/f'); link('viadir', 'x/../d'); link('through', 'dl/f'); link('dl', 'd')
t.close()`);
    const r = await read('links.tar', tar);
    expect(r.symlinks.map((l) => [l.path.slice('links.tar!'.length), l.broken ?? null])).toEqual([
      ['early', null], ['gone', 'dangling'], ['l1', 'loop'], ['l2', 'loop'], ['self', 'loop'],
      ['x/up', null], ['viadir', null], ['through', null], ['dl', null],
    ]);
  });
});

describe('a .deb with no data.tar member', () => {
  it('is an error for the .deb, not a package of no binaries (dpkg-deb refuses it)', async () => {
    const make = 'printf "2.0\\n" > debian-binary && tar -czf control.tar.gz debian-binary && ar rc nodata.deb debian-binary control.tar.gz';
    execFileSync('sh', ['-c', make], { cwd: dir });
    const r = await read('nodata.deb', new Uint8Array(readFileSync(join(dir, 'nodata.deb'))));
    expect(r.binaries.map((b) => [b.path, b.error?.message])).toEqual([['nodata.deb', 'a .deb with no data.tar member: the package has no files to read']]);
  });
});

describe('a zip whose local header disagrees with its central directory', () => {
  // Two stored members; in the first one's local header, the name or the sizes changed (the central directory not).
  const zip = (patch: (b: Buffer) => void) => {
    const b = Buffer.from(made('two.zip', `import zipfile
z = zipfile.ZipFile('two.zip', 'w')
z.writestr('x.so', b'not a binary\\n'); z.writestr('z', b'more text\\n')
z.close()`));
    patch(b);
    return new Uint8Array(b);
  };
  it('another name: one note, which says it once', async () => {
    const r = await read('two.zip', zip((b) => { b[30] = 'y'.charCodeAt(0); }));
    expect(r.notes).toEqual([{ path: 'two.zip!x.so', code: 'zip-mismatch', target: 'its local header names it "y.so"' }]);
  });
  it('other sizes: a note too', async () => {
    const r = await read('two.zip', zip((b) => { b.writeUInt32LE(99, 18); }));
    expect(r.notes).toEqual([{
      path: 'two.zip!x.so', code: 'zip-mismatch', target: 'its local header says 99 bytes packed and 13 unpacked where the central directory says 13 and 13',
    }]);
  });
});

describe('corrupt gzip', () => {
  // A gzip header, then a final stored block whose length and its complement disagree.
  const bad = Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 5, 0, 0, 0, ...new Array(20).fill(0x41)]);
  it.each([['node', nodeDecompressors], ['web', webDecompressors]])('%s: "gzip: corrupt compressed data (…)"', async (_, dec) => {
    const r = await read('g.gz', bad, archiveLimits, dec);
    expect(r.binaries.map((b) => [b.path, b.error?.message])).toEqual([['g.gz', 'gzip: corrupt compressed data (invalid stored block lengths)']]);
  });
});
