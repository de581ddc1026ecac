import { describe, expect, it } from 'vitest';
import { facts, sample } from './helpers.js';
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
