/**
 * The Node side of latin1() (src/bytes/text.ts) and byteFinder() (src/bytes/search.ts): Buffer's own Latin-1
 * decoding, ~0.2 ms a MiB where Node 20's TextDecoder('latin1') takes ~7, and Buffer's indexOf, a native search
 * (~0.03 ms a MiB for a 4-byte key, against ~0.3 for indexOfBytes()' loop). Views of the same memory, no copy.
 * Imported for its effect by file-source.ts, which every Node path that reads a file (the CLI, the pool's workers,
 * the library's Node entry) loads.
 */
import { useNativeFinder } from '../bytes/search.js';
import { useNativeLatin1 } from '../bytes/text.js';

useNativeLatin1((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
useNativeFinder((hay) => {
  const b = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  return (needle, from) => b.indexOf(needle, from);
});
