/**
 * Byte strings found in bytes, without decoding them to text first. The version-string scan (formats/scan.ts) looks
 * for a few short keys in every MiB of read-only data: as Latin-1 text, decoding cost more than the looking (over the
 * 516 MiB /usr's ELF files scan: 0.6 ms a MiB to decode; a native byte search for a 4-byte key, 0.07). The core uses
 * no platform's built-ins: the Node side (src/node/native-text.ts) hands it Buffer's indexOf, which must find what
 * the bytes' Latin-1 text's indexOf finds (test/bytes/search.test.ts); without it, that serves (the web page).
 */
import { latin1 } from './text.js';

/** Where `needle` (not empty) next begins in the bytes a finder was made for, at or after `from` (≥ 0); -1: nowhere. */
export type Finder = (needle: Uint8Array, from: number) => number;

let native: ((hay: Uint8Array) => Finder) | null = null;

/** Needles as Latin-1 text, for the finder without a native one (the same few keys are asked for in every chunk). */
const asText = new WeakMap<Uint8Array, string>();

/**
 * A finder over `hay`: made once for the bytes, asked many times. Without a native one, `hay` is decoded as Latin-1
 * at the first question and the needles are found in that text (offsets are 1:1 with bytes): in a browser, what the
 * scan did before it searched bytes (a loop over the bytes, from TypedArray indexOf of the first, took 0.4-0.7 ms a
 * MiB a needle: 2.5 times as long). `textOf`: the caller's own decoding of `hay`, when it keeps one (decoded once).
 */
export function byteFinder(hay: Uint8Array, textOf: () => string = () => latin1(hay)): Finder {
  if (native) return native(hay);
  let text: string | null = null;
  return (needle, from) => {
    text ??= textOf();
    let n = asText.get(needle);
    if (n === undefined) asText.set(needle, (n = latin1(needle)));
    return text.indexOf(n, from);
  };
}

/** Does `hay` hold `needle` at `at`? */
export function bytesAt(hay: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > hay.length) return false;
  for (let j = 0; j < needle.length; j++) if (hay[at + j] !== needle[j]) return false;
  return true;
}

/**
 * A string's Latin-1 bytes (char n is byte n), or null when it holds a character past U+00FF: Latin-1 text, which
 * is what the scan's patterns see, can never hold it, so no byte string stands for it.
 */
export function latin1Bytes(s: string): Uint8Array | null {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return null;
    b[i] = c;
  }
  return b;
}

/** Give byteFinder() a native finder maker, or take it back (null); returns the one it replaces. */
export function useNativeFinder(make: ((hay: Uint8Array) => Finder) | null): ((hay: Uint8Array) => Finder) | null {
  const was = native;
  native = make;
  return was;
}
