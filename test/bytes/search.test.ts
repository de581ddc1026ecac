import { afterEach, describe, expect, it } from 'vitest';
import { byteFinder, bytesAt, latin1Bytes, useNativeFinder } from '../../src/bytes/search.js';
import { FileSource } from '../../src/node/file-source.js';

// Importing file-source.js (as every Node path that reads a file does) hands byteFinder() Buffer's indexOf.
const native = useNativeFinder(null);
useNativeFinder(native);
afterEach(() => void useNativeFinder(native));

/** Where `needle` begins at or after `from`, the plain way. */
function reference(hay: Uint8Array, needle: Uint8Array, from: number): number {
  for (let i = from; i + needle.length <= hay.length; i++) if (needle.every((b, j) => hay[i + j] === b)) return i;
  return -1;
}

/** Bytes from a small alphabet, so needles occur often, overlap and repeat. */
function noise(n: number, seed: number, alphabet = 3): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return 0x61 + ((x >>> 16) % alphabet);
  });
}

describe('byteFinder', () => {
  it('is installed on the Node side by file-source.js', () => {
    expect(FileSource).toBeTypeOf('function');
    expect(native).toBeTypeOf('function');
  });

  for (const [name, make] of [['native (Buffer)', () => native], ['without a native finder', () => null]] as const) {
    it(`finds what the plain search finds, from every offset: ${name}`, () => {
      useNativeFinder(make());
      let found = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const hay = noise(300, seed);
        const find = byteFinder(hay);
        // Bytes past 0x7F too: the finder without a native one searches their Latin-1 text.
        const high = Uint8Array.from(noise(3, seed + 1), (b) => b + 0x40);
        hay.set(high, seed * 5);
        for (const needle of [noise(1, seed + 7), noise(2, seed + 9), noise(3, seed * 3), hay.slice(290), hay.slice(0, 5), noise(400, seed), high]) {
          for (let from = 0; from <= hay.length + 2; from += 7) {
            const want = reference(hay, needle, from);
            expect(find(needle, from), `seed ${seed} from ${from}`).toBe(want);
            if (want >= 0) found++;
          }
        }
      }
      expect(found).toBeGreaterThan(1000);
    });

    it(`over a view into a larger buffer, only the view's bytes: ${name}`, () => {
      useNativeFinder(make());
      const big = Uint8Array.from([0x78, 0x79, 0x61, 0x62, 0x63, 0x78, 0x79]);
      const view = big.subarray(2, 5);
      expect(byteFinder(view)(Uint8Array.of(0x61, 0x62), 0)).toBe(0);
      expect(byteFinder(view)(Uint8Array.of(0x78, 0x79), 0)).toBe(-1);
      expect(byteFinder(view)(Uint8Array.of(0x63, 0x78), 0)).toBe(-1);
    });
  }

  it('bytesAt: only where the whole needle lies inside', () => {
    const hay = Uint8Array.of(1, 2, 3, 4);
    expect(bytesAt(hay, Uint8Array.of(3, 4), 2)).toBe(true);
    expect(bytesAt(hay, Uint8Array.of(4, 5), 3)).toBe(false);
    expect(bytesAt(hay, Uint8Array.of(1), -1)).toBe(false);
    expect(bytesAt(hay, Uint8Array.of(2, 3), 0)).toBe(false);
  });

  it('latin1Bytes: char n is byte n; a character past U+00FF has no bytes', () => {
    expect([...latin1Bytes('A\u00ff\u0080')!]).toEqual([0x41, 0xff, 0x80]);
    expect(latin1Bytes('x\u0100')).toBe(null);
  });
});
