import { afterEach, describe, expect, it } from 'vitest';
import { decodeRange, latin1, useNativeLatin1 } from '../../src/bytes/text.js';
import { FileSource } from '../../src/node/file-source.js';
import { scanRegions } from '../../src/formats/scan.js';
import { MemorySource } from '../../src/bytes/source.js';

// Importing file-source.js (as every Node path that reads a file does) hands latin1() Buffer's decoder.
const native = useNativeLatin1(null);
useNativeLatin1(native);
afterEach(() => void useNativeLatin1(native));

/** ISO-8859-1 by definition: byte n is U+00nn. */
const reference = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
const every = Uint8Array.from({ length: 256 }, (_, i) => i);
/** Long enough for the native and widened paths (more than 256 bytes), every byte value many times over. */
const long = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

describe('latin1', () => {
  it('is installed on the Node side by file-source.js', () => {
    expect(FileSource).toBeTypeOf('function');
    expect(native).toBeTypeOf('function');
  });

  for (const [name, decoder] of [['native (Buffer)', () => native], ['without a native decoder', () => null]] as const) {
    it(`maps byte n to U+00nn, 0x80-0x9F included (not windows-1252): ${name}`, () => {
      useNativeLatin1(decoder());
      expect(latin1(every)).toBe(reference(every));
      expect(latin1(every).charCodeAt(0x80)).toBe(0x80);
      expect(latin1(long)).toBe(reference(long));
      expect(latin1(long).length).toBe(long.length);
    });

    it(`decodes the range asked for, short and long, and nothing for an empty or reversed one: ${name}`, () => {
      useNativeLatin1(decoder());
      expect(latin1(every, 0x41, 0x44)).toBe('ABC');
      expect(latin1(long, 1000, 1300)).toBe(reference(long.subarray(1000, 1300)));
      expect(latin1(long.subarray(5, 60_005), 10, 50_000)).toBe(reference(long.subarray(15, 50_005)));
      expect(latin1(every, 10, 10)).toBe('');
      expect(latin1(every, 20, 10)).toBe('');
      // Past the end is to the end, on every path (short, native, widened).
      expect(latin1(every, 250, 300)).toBe(reference(every.subarray(250)));
      expect(latin1(long, 69_000, 80_000)).toBe(reference(long.subarray(69_000)));
      expect(latin1(every, 300, 400)).toBe('');
      // The reused array of a length is filled afresh each time.
      expect(latin1(Uint8Array.of(0x78, 0x79))).toBe('xy');
      expect(latin1(Uint8Array.of(0xe9, 0x00))).toBe('\u00e9\u0000');
    });
  }

  it('agrees with decodeRange on ASCII', () => {
    const ascii = every.subarray(0, 0x80);
    expect(latin1(ascii)).toBe(decodeRange(ascii, 0, ascii.length));
  });

  it('gives the version-string scan the same matches with or without the native decoder', () => {
    const text = new TextEncoder().encode('\u0000OpenSSL 3.0.11 19 Sep 2023\u0000');
    const bytes = new Uint8Array(300_000);
    bytes.set(long.subarray(0, 60_000), 0);
    bytes.set(text, 123_456);
    bytes[123_455] = 0x9c; // a windows-1252 byte next to the match: Latin-1 keeps it one character.
    const run = () => scanRegions(new MemorySource(bytes, 'x'), [{ name: '.rodata', offset: 0, size: bytes.length }],
      [/OpenSSL (\d+\.\d+\.\d+[a-z]?) {1,2}\d{1,2} [A-Z][a-z]{2} \d{4}/], 'elf');
    const withNative = run();
    useNativeLatin1(null);
    expect(run()).toEqual(withNative);
    expect(withNative.matches[0]).toEqual(['OpenSSL 3.0.11 19 Sep 2023']);
  });
});
