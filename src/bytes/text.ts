const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Decode bytes as UTF-8. Names in binaries are nearly always ASCII and short, where TextDecoder's per-call cost
 * dominates; build those directly and hand anything else to TextDecoder.
 */
export function decodeUtf8(b: Uint8Array): string {
  if (b.length > 256) return utf8.decode(b);
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x80) return utf8.decode(b);
    s += String.fromCharCode(c);
  }
  return s;
}
