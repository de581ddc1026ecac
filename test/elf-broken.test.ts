import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { facts, inspectFile, sample } from './helpers.js';
import { readelfMany } from './elf-readelf.js';

/**
 * The known bad output of some musl toolchains: a PIE linked with --no-dynamic-linker but not -static. It has no
 * interpreter yet still names libc.so in DT_NEEDED, so nothing would ever load it. Built by
 * scripts/build-samples.sh (musl-gcc -fPIE -pie -Wl,--no-dynamic-linker).
 */
describe('broken static-PIE', () => {
  const path = sample('elf/musl-static-pie-broken');

  it('is called broken-static-pie, with the evidence and a warning', () => {
    const f = facts(path);
    expect(f).toMatchObject({ type: 'executable', linkage: 'broken-static-pie', pie: true, interpreter: null, needed: ['libc.so'], libc: 'musl' });
    expect(f.evidence.linkage).toEqual(expect.arrayContaining([{ field: 'PT_INTERP', value: null }, { field: 'DT_NEEDED', value: 1 }]));
    expect(f.warnings.map((w) => w.code)).toEqual(['elf.needed-without-interpreter']);
  });

  it('readelf agrees: ET_DYN with DF_1_PIE, DT_NEEDED and no interpreter', () => {
    const v = readelfMany([path]).get(path)!;
    expect(v).toMatchObject({ eType: 'ET_DYN', interp: null, needed: ['libc.so'] });
    expect(v.flags1).toContain('PIE');
  });
});

/**
 * patchelf's rewrites (auditwheel-repaired wheels: casadi's `clp` and `cbc`) can leave the first PT_LOAD's file size
 * ending inside .dynstr. The binary still runs (the loader maps whole pages, so the bytes past p_filesz on that page
 * are the file's) and readelf, which reads .dynstr through its section header, names every library. Made here from
 * glibc-pie: its first PT_LOAD cut to end inside "libc.so.6".
 */
describe('a PT_LOAD that ends inside the dynamic string table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkplan-strtab-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = Buffer.from(readFileSync(sample('elf/glibc-pie')));
  // ELF64 LE: e_phoff at 32, e_phentsize at 54; the first PT_LOAD (type 1), its p_offset 0 and .dynstr inside it.
  const phoff = Number(bytes.readBigUInt64LE(32)), phentsize = bytes.readUInt16LE(54);
  let load = phoff;
  while (bytes.readUInt32LE(load) !== 1) load += phentsize;
  const dynstr = bytes.indexOf(Buffer.from('\0puts\0__libc_start_main\0'));
  const cut = bytes.indexOf(Buffer.from('libc.so.6\0'), dynstr) + 3;
  bytes.writeBigUInt64LE(BigInt(cut), load + 32);
  bytes.writeBigUInt64LE(BigInt(cut), load + 40);
  const path = join(dir, 'cut-load');
  writeFileSync(path, bytes, { mode: 0o755 });

  it('is read to the end of its section, with a warning saying so, and readelf agrees on what it needs', () => {
    const f = facts(path);
    expect([f.error, f.needed, f.linkage, f.interpreter]).toEqual([null, ['libc.so.6'], 'dynamic', '/lib64/ld-linux-x86-64.so.2']);
    expect(f.warnings.find((w) => w.code === 'elf.strtab-past-segment')?.detail).toMatch(/^DT_STRTAB \(\d+ bytes\) runs \d+ bytes past/);
    expect(readelfMany([path]).get(path)).toMatchObject({ needed: ['libc.so.6'] });
  });

  it('without the section headers the segment\'s bound stands: an error naming the string table, not a guess', () => {
    const stripped = Buffer.from(bytes);
    stripped.writeBigUInt64LE(0n, 40); // e_shoff
    stripped.writeUInt16LE(0, 60); // e_shnum
    stripped.writeUInt16LE(0, 62); // e_shstrndx
    const p = join(dir, 'cut-load-no-sections');
    writeFileSync(p, stripped);
    expect(inspectFile(p).error?.message).toMatch(/^dynamic string table: string at index \d+ is not NUL-terminated within \d+ bytes/);
  });
});
