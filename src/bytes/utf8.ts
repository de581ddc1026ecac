/**
 * Bytes as text without losing any: valid UTF-8 decodes as usual, every byte of an invalid sequence is written
 * `\xNN`. File names on Linux are bytes, not text; a name that is not UTF-8 still has to be shown, matched against
 * plan globs and told apart from its neighbours (TextDecoder would turn every bad byte into the same U+FFFD).
 */
const fatal = new TextDecoder('utf-8', { fatal: true });

export function utf8Escaped(b: Uint8Array): string {
  try {
    return fatal.decode(b);
  } catch {
    // Decode by hand below.
  }
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    // Unicode 15 Table 3-7, well-formed UTF-8 byte sequences: lead byte, length, allowed range of the second byte.
    let n = 0, lo = 0x80, hi = 0xbf;
    if (c < 0x80) n = 1;
    else if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    let ok = n > 0 && i + n <= b.length;
    for (let k = 1; ok && k < n; k++) {
      const x = b[i + k];
      ok = k === 1 ? x >= lo && x <= hi : x >= 0x80 && x <= 0xbf;
    }
    if (!ok) {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    out += fatal.decode(b.subarray(i, i + n));
    i += n;
  }
  return out;
}
