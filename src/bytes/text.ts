const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Character codes of the text being decoded, one reused array per length: an ASCII name then costs its string alone. */
const codesOf: number[][] = [];

/**
 * bytes[from, to) as UTF-8 (what TextDecoder gives). Names in binaries are nearly always ASCII and short, where
 * TextDecoder's per-call cost dominates, and a string grown a character at a time leaves a string per character
 * behind (18 KiB of garbage per ELF file's section names): those are built with one String.fromCharCode over a
 * reused array. Anything else goes to TextDecoder.
 */
export function decodeRange(bytes: Uint8Array, from: number, to: number): string {
  const n = to - from;
  if (n > 256) return utf8.decode(bytes.subarray(from, to));
  const codes = (codesOf[n] ??= new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const c = bytes[from + i];
    if (c >= 0x80) return utf8.decode(bytes.subarray(from, to));
    codes[i] = c;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Decode bytes as UTF-8 (decodeRange over all of them). */
export function decodeUtf8(b: Uint8Array): string {
  return decodeRange(b, 0, b.length);
}

/** How a platform turns bytes into a Latin-1 string natively (the Node side sets Buffer's; see useNativeLatin1). */
type Latin1Decoder = (bytes: Uint8Array) => string;
let nativeLatin1: Latin1Decoder | null = null;
const utf16 = new TextDecoder('utf-16le');

/**
 * bytes[from, to) as Latin-1, ISO-8859-1 proper: byte n is U+00nn, so offsets stay 1:1 with bytes and ASCII (what
 * the version-string patterns and wanted symbol names are) is unchanged. Not TextDecoder('latin1'): WHATWG makes
 * that label windows-1252 (0x80-0x9F become other characters in a browser; Node 20 does not follow it, so the CLI
 * and the web page disagreed), and Node 20's takes ~7 ms a MiB, which --libs paid on every MiB it scans (measured:
 * 35% of a --libs run). Short ranges are built from a reused array (decodeRange's way); long ones by the platform's
 * native decoder (Buffer's latin1Slice, ~0.2 ms a MiB) or, without one, widened to UTF-16 code units and decoded as
 * UTF-16LE (~1.3 ms a MiB): every byte value is a code unit below any surrogate, and U+FEFF, a BOM, cannot occur.
 */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  // Past the end means to the end, whichever way the range is decoded.
  const n = Math.min(to, bytes.length) - from;
  if (n <= 0) return '';
  if (n <= 256) {
    const codes = (codesOf[n] ??= new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) codes[i] = bytes[from + i];
    return String.fromCharCode.apply(null, codes);
  }
  const range = bytes.subarray(from, from + n);
  if (nativeLatin1) return nativeLatin1(range);
  const wide = new Uint16Array(n);
  wide.set(range);
  return utf16.decode(wide);
}

/**
 * Give latin1() a native decoder, or take it back (null); returns the one it replaces. The core uses no platform's
 * built-ins: the Node side (src/node/native-text.ts) hands it Buffer's, which must give what latin1() itself gives
 * (test/bytes/text.test.ts).
 */
export function useNativeLatin1(decoder: Latin1Decoder | null): Latin1Decoder | null {
  const was = nativeLatin1;
  nativeLatin1 = decoder;
  return was;
}
