import { describe, expect, it } from 'vitest';
import { Reader } from '../../src/bytes/reader.js';
import { MemorySource } from '../../src/bytes/source.js';
import { MalformedError } from '../../src/bytes/errors.js';
import { sniff } from '../../src/formats/detect.js';
import { FileSource } from '../../src/node/file-source.js';
import { sample } from '../helpers.js';
import { readFileSync } from 'node:fs';

const bytes = (...xs: number[]) => Uint8Array.from(xs);

describe('Reader', () => {
  it('reads both byte orders', () => {
    const b = bytes(1, 2, 3, 4, 5, 6, 7, 8);
    expect(new Reader(b, true, 't').u32(0)).toBe(0x04030201);
    expect(new Reader(b, false, 't').u32(0)).toBe(0x01020304);
    expect(new Reader(b, true, 't').u16(6)).toBe(0x0807);
    expect(new Reader(bytes(1, 2, 3, 4, 5, 6, 7, 0), true, 't').u64(0)).toBe(0x07060504030201);
    expect(new Reader(bytes(0, 0, 0, 0, 0, 0, 0, 1), false, 't').u64(0)).toBe(1);
  });

  it('refuses 64-bit values past 2^53 with a MalformedError naming the offset', () => {
    const r = new Reader(bytes(0, 0, 0, 0, 0, 0, 0x20, 0), true, 'elf', 100);
    expect(() => r.u64(0)).toThrow(MalformedError);
    try { r.u64(0); } catch (e) { expect((e as MalformedError).offset).toBe(100); }
  });

  it('checks every read against the slice, not the buffer behind it', () => {
    const whole = bytes(1, 2, 3, 4, 5, 6, 7, 8);
    const r = new Reader(whole, true, 'elf').sub(2, 4);
    expect(r.u32(0)).toBe(0x06050403);
    expect(() => r.u8(4)).toThrow(MalformedError);
    expect(() => r.u16(3)).toThrow(MalformedError);
    expect(() => r.u32(-1)).toThrow(MalformedError);
    expect(() => r.sub(1, 4)).toThrow(MalformedError);
    try { r.u32(2); } catch (e) { expect((e as MalformedError).offset).toBe(4); }
  });

  it('cstr needs a terminator inside the slice', () => {
    const r = new Reader(bytes(0x61, 0x62, 0, 0x63, 0x64), true, 't');
    expect(r.cstr(0)).toBe('ab');
    expect(() => r.cstr(3)).toThrow(MalformedError);
    expect(() => r.cstr(9)).toThrow(MalformedError);
    expect(new Reader(bytes(0x61, 0, 0, 0), true, 't').fixedStr(0, 4)).toBe('a');
  });
});

describe('byte sources', () => {
  it('MemorySource refuses ranges outside the data', () => {
    const s = new MemorySource(bytes(1, 2, 3));
    expect(s.read(1, 2)).toEqual(bytes(2, 3));
    expect(() => s.read(2, 2)).toThrow(MalformedError);
    expect(() => s.read(-1, 1)).toThrow(MalformedError);
    expect(() => s.read(0, Number.MAX_SAFE_INTEGER + 2)).toThrow(MalformedError);
  });

  it('FileSource serves the same bytes as the file, across head, blocks and large reads', () => {
    const p = sample('elf/glibc-static');
    const whole = new Uint8Array(readFileSync(p));
    const s = FileSource.open(p);
    try {
      for (const [off, len] of [[0, 64], [4000, 200], [8190, 10], [12000, 9000], [100_000, 70_000], [whole.length - 5, 5]]) {
        expect(s.read(off, len)).toEqual(whole.subarray(off, off + len));
      }
      expect(() => s.read(whole.length - 4, 5)).toThrow(MalformedError);
      // Positional reads: far less than the file was read.
      expect(s.bytesRead).toBeLessThan(whole.length / 4);
    } finally {
      s.close();
    }
  });
});

describe('sniff', () => {
  it('tells the formats apart by their first bytes', () => {
    expect(sniff(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0))).toBe('elf');
    expect(sniff(bytes(0x4d, 0x5a, 0x90, 0))).toBe('pe');
    expect(sniff(bytes(0xcf, 0xfa, 0xed, 0xfe))).toBe('macho');
    expect(sniff(bytes(0xfe, 0xed, 0xfa, 0xce))).toBe('macho');
    expect(sniff(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2))).toBe('macho-fat');
    expect(sniff(bytes(0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 2))).toBe('macho-fat');
    expect(sniff(bytes(0x7f, 0x45, 0x4c))).toBeNull();
    expect(sniff(new TextEncoder().encode('#!/bin/sh\n'))).toBeNull();
  });

  it('a Java class file is not a universal Mach-O (major version >= 45 where nfat_arch would be)', () => {
    const cls = new Uint8Array(readFileSync(sample('misc/java.class')));
    expect(sniff(cls)).toBeNull();
    expect(sniff(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52))).toBeNull();
  });
});
