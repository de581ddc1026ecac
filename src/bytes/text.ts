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
