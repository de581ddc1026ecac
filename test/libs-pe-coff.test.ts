/**
 * PE COFF symbols (unstripped MinGW images): a complete symbol view, so a library not found is `absent`, and one
 * found by its defined symbols is `static`. The vendored library is simulated at test time by renaming two of
 * foo-unstripped.dll's own defined external symbols, in its COFF string table, to zlib API names.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import type { BinaryFacts } from '../src/facts/types.js';
import { sample, tool } from './helpers.js';

const DLL = sample('pe/mingw/foo-unstripped.dll');
const libsOf = (b: Uint8Array, name = 'x.dll') => {
  const r = inspectSource(new MemorySource(b, name), name, { libs: true });
  if (r.error !== null) throw new Error(r.error.message);
  return (r as BinaryFacts).libs!;
};
const rename = (b: Uint8Array, from: string, to: string) => {
  const at = Buffer.from(b).indexOf(Buffer.from(`${from}\0`));
  expect(at, from).toBeGreaterThan(0);
  b.set(new TextEncoder().encode(`${to}\0`), at);
};

describe('PE COFF symbols', () => {
  it('the unstripped DLL has a full view (every library absent); its stripped twin only exports (unknown)', () => {
    // objdump agrees that the table is there and holds the symbols we rename below.
    const t = tool('objdump', ['-t', DLL]);
    expect(t).toMatch(/scl {3}2\) .*__do_global_dtors$/m);
    const full = libsOf(new Uint8Array(readFileSync(DLL)));
    expect(full.symbolView).toBe('full');
    expect(full.libraries.find((l) => l.name === 'zlib')!.verdict).toBe('absent');
    const stripped = libsOf(new Uint8Array(readFileSync(sample('pe/mingw/foo.dll'))));
    expect(stripped.symbolView).toBe('dynamic');
    expect(stripped.libraries.find((l) => l.name === 'zlib')!.verdict).toBe('unknown');
  });

  it('two defined zlib API symbols in the COFF table: zlib static, with the symbols as evidence', () => {
    const b = new Uint8Array(readFileSync(DLL));
    rename(b, '__do_global_dtors', 'zlibVersion');
    rename(b, '__do_global_ctors', 'compressBound');
    const z = libsOf(b).libraries.find((l) => l.name === 'zlib')!;
    expect(z.verdict).toBe('static');
    expect(JSON.stringify(z.evidence)).toContain('zlibVersion');
  });

  it('an import\'s thunk (X beside __imp_X, which an import library puts in .text) is no copy of X', () => {
    // The DLL imports malloc, free, calloc and realloc from msvcrt.dll: objdump shows the stubs and their __imp_ slots.
    const t = tool('objdump', ['-t', DLL]);
    for (const n of ['malloc', 'free', 'calloc', 'realloc']) {
      expect(t, n).toMatch(new RegExp(`\\(sec {2}1\\).* ${n}$`, 'm'));
      expect(t, n).toMatch(new RegExp(` __imp_${n}$`, 'm'));
    }
    expect(libsOf(new Uint8Array(readFileSync(DLL))).definesAllocator).toEqual([]);
    // Two zlib API names imported the same way (stub and slot renamed together): not zlib linked statically.
    const b = new Uint8Array(readFileSync(DLL));
    rename(b, '__imp_MultiByteToWideChar', '__imp_zlibVersion');
    rename(b, 'MultiByteToWideChar', 'zlibVersion');
    rename(b, '__imp_LeaveCriticalSection', '__imp_compressBound');
    rename(b, 'LeaveCriticalSection', 'compressBound');
    expect(libsOf(b).libraries.find((l) => l.name === 'zlib')!.verdict).not.toBe('static');
    // The stubs alone, their slots left as they were: the symbols are the image's own, zlib static.
    const own = new Uint8Array(readFileSync(DLL));
    // The string table's own entries (after a NUL), not the tail of an __imp_ name.
    rename(own, '\0MultiByteToWideChar', '\0zlibVersion');
    rename(own, '\0LeaveCriticalSection', '\0compressBound');
    expect(libsOf(own).libraries.find((l) => l.name === 'zlib')!.verdict).toBe('static');
  });

  it('a symbol table pointer past the end: a warning, the rest of the facts read', () => {
    const b = new Uint8Array(readFileSync(DLL));
    const lfanew = new DataView(b.buffer).getUint32(0x3c, true);
    new DataView(b.buffer).setUint32(lfanew + 4 + 8, b.length - 4, true); // PointerToSymbolTable
    const r = inspectSource(new MemorySource(b, 'x.dll'), 'x.dll', { libs: true }) as BinaryFacts;
    expect(r.error).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain('pe.coff-symbols');
    expect(r.libs!.symbolView).toBe('dynamic');
  });
});
