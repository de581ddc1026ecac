/**
 * The Mach-O exports trie, cross-checked against llvm-objdump --macho --exports-trie on the committed dylibs, and
 * bounded under mutation (a cyclic or cut trie ends in a warning or a MalformedError, never anything else).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySource } from '../src/bytes/source.js';
import { isMalformed } from '../src/bytes/errors.js';
import { readMacho } from '../src/formats/macho/index.js';
import { readMachoExports } from '../src/formats/macho/symbols.js';
import { LLVM_BIN, sample, tool } from './helpers.js';

const DYLIBS = ['macho/arm64/lib/libfoo.dylib', 'macho/x86_64/lib/libfoo.dylib', 'macho/arm64/lib/libreexp.dylib', 'macho/x86_64/lib/libreexp.dylib'];

describe('Mach-O exports trie', () => {
  it.each(DYLIBS)('%s: the names llvm-objdump lists', (p) => {
    const listed = [...tool(join(LLVM_BIN, 'llvm-objdump'), ['--macho', '--exports-trie', sample(p)]).matchAll(/^0x[0-9A-F]+\s+_(\S+)/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(0);
    const b = new Uint8Array(readFileSync(sample(p)));
    const m = readMacho(new MemorySource(b, p));
    expect(m.lc.exportTrie).not.toBeNull();
    const got = readMachoExports(new MemorySource(b, p), m, new Set([...listed, 'not_there']));
    expect(got.map((s) => s.name).sort()).toEqual(listed.sort());
    // Only wanted names are kept.
    expect(readMachoExports(new MemorySource(b, p), m, new Set(['not_there']))).toEqual([]);
  });

  it('every byte of the trie scribbled, the trie cut short: names or MalformedError, nothing else, and it ends', () => {
    const p = DYLIBS[0];
    const orig = new Uint8Array(readFileSync(sample(p)));
    const m0 = readMacho(new MemorySource(orig, p));
    const t = m0.lc.exportTrie!;
    for (let i = 0; i < t.datasize; i++) {
      for (const v of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        const b = orig.slice();
        b[m0.header.offset + t.dataoff + i] = v;
        try {
          readMachoExports(new MemorySource(b, p), readMacho(new MemorySource(b, p)), new Set(['foo', 'fo', 'f']));
        } catch (e) {
          expect(isMalformed(e), String(e)).toBe(true);
        }
      }
    }
  });
});
