import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { scanRegions } from '../src/formats/scan.js';
import { STRING_PATTERNS } from '../src/facts/fingerprints.js';
import { judgeLibs, scanLibStrings, type LibsInput } from '../src/facts/libs.js';
import { limits } from '../src/bytes/limits.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** A region of read-only data holding `strings`, NUL-separated, judged with the given defined symbols. */
function judge(strings: string[], defined: string[] = [], over: Partial<LibsInput> = {}) {
  const bytes = enc(`\0${strings.join('\0')}\0`);
  const src = new MemorySource(bytes, 'x');
  const scan = scanRegions(src, [{ name: '.rodata', offset: 0, size: bytes.length }], STRING_PATTERNS.map((p) => p.re), 'elf');
  return judgeLibs({
    format: 'elf', needed: [], soname: null, symbolView: 'full', objectText: () => null, scan,
    symbols: defined.map((name) => ({ name, defined: true, binding: 'GLOBAL', table: '.symtab' })), ...over,
  });
}
const get = (r: ReturnType<typeof judge>, n: string) => r.libraries.find((l) => l.name === n)!;

describe('fingerprints over synthetic read-only data', () => {
  it.each([
    ['OpenSSL 3.2.1 30 Jan 2024', 'openssl', '3.2.1', null],
    ['OpenSSL 1.1.1w  11 Sep 2023', 'openssl', '1.1.1w', null],
    ['LibreSSL 3.8.2', 'openssl', '3.8.2', 'libressl'],
    ['AWS-LC 1.21.0', 'openssl', '1.21.0', 'aws-lc'],
    [' deflate 1.3.1 Copyright 1995-2024 Jean-loup Gailly and Mark Adler ', 'zlib', '1.3.1', null],
    [' inflate 1.2.11 Copyright 1995-2017 Mark Adler ', 'zlib', '1.2.11', null],
    ['1.0.8, 13-Jul-2019', 'bzip2', '1.0.8', null],
    ['libcurl/8.5.0', 'curl', '8.5.0', null],
    ['/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/zstd-sys-2.0.13+zstd.1.5.6/zstd/lib/common/x.c', 'zstd', '2.0.13', null],
    ['/home/u/.cargo/registry/src/github.com-1ecc6299db9ec823/openssl-src-300.2.1+3.2.0/openssl/ssl/x.c', 'openssl', '300.2.1', null],
    ['2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1', 'sqlite3', null, null],
  ])('%s → %s %s', (s, name, version, variant) => {
    const l = get(judge([s]), name);
    expect(l).toMatchObject({ verdict: 'static', version, variant });
    expect(judge([s]).libraries.filter((x) => x.verdict === 'static')).toHaveLength(1);
  });

  it('variants by symbol: BoringSSL, zlib-ng, unprefixed jemalloc (and its version string only once proven)', () => {
    expect(get(judge([], ['OpenSSL_version', 'CRYPTO_malloc', 'BORINGSSL_self_test']), 'openssl').variant).toBe('boringssl');
    // GnuTLS's OpenSSL compatibility library defines SSL_CTX_new and ERR_get_error, and is no OpenSSL.
    expect(get(judge([], ['SSL_CTX_new', 'ERR_get_error', 'SSL_new']), 'openssl').verdict).toBe('absent');
    expect(get(judge([], ['zlibVersion', 'deflateBound', 'zlibng_version']), 'zlib').variant).toBe('zlib-ng');
    const je = '5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c';
    expect(get(judge([je], ['mallctl', 'malloc']), 'jemalloc')).toMatchObject({ verdict: 'static', variant: 'unprefixed', version: '5.3.0' });
    expect(get(judge([je], ['_rjem_mallctl']), 'jemalloc').variant).toBeNull();
    // A git describe alone is no proof of jemalloc.
    expect(get(judge([je]), 'jemalloc').verdict).toBe('absent');
  });

  it('scanLibStrings: the git describe is run only for a library something proved, and the verdicts are the full scan\'s', () => {
    const je = '5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c';
    const crate = '/src/tikv-jemalloc-sys-0.5.4+5.3.0/x.c';
    const cases: [string[], string[], number, boolean][] = [
      // strings, defined symbols, scan passes, git describe run
      [[je], [], 1, false], // nothing proves jemalloc: the describe is skipped
      [[je], ['mallctl', 'malloc'], 1, true], // its symbols do: run with the others
      [[je, crate], [], 2, true], // its crate string does: a second pass for the describe alone
      [[crate], [], 2, true],
      [['OpenSSL 3.2.1 30 Jan 2024'], ['zlibVersion', 'deflateBound'], 1, false],
      [[], [], 1, false],
    ];
    const jeIndex = STRING_PATTERNS.findIndex((p) => p.lib === 'jemalloc' && !p.proof);
    expect(jeIndex).toBeGreaterThanOrEqual(0);
    for (const [strings, defined, passes, run] of cases) {
      const bytes = enc(`\0${strings.join('\0')}\0`);
      const src = new MemorySource(bytes, 'x');
      const symbols = defined.map((name) => ({ name, defined: true, binding: 'GLOBAL', table: '.symtab' }));
      const region = [{ name: '.rodata', offset: 0, size: bytes.length }];
      const skips: (readonly boolean[])[] = [];
      const scan = scanLibStrings(symbols, (skip) => {
        skips.push(skip);
        return scanRegions(src, region, STRING_PATTERNS.map((p) => p.re), 'elf', skip);
      });
      expect(skips, strings.join()).toHaveLength(passes);
      expect(skips.some((k) => !k[jeIndex]), strings.join()).toBe(run);
      // Only the describe is ever skipped.
      for (const k of skips.slice(0, 1)) expect(k.filter(Boolean).length).toBeLessThanOrEqual(STRING_PATTERNS.filter((p) => !p.proof).length);
      const input = { format: 'elf' as const, needed: [], soname: null, symbolView: 'full' as const, objectText: () => null, symbols };
      expect(judgeLibs({ ...input, scan }), strings.join()).toEqual(judge(strings, defined));
    }
    expect(get(judge([je, crate]), 'jemalloc')).toMatchObject({ verdict: 'static', version: '5.3.0' });
  });

  it('one defined symbol is not enough where two are asked; undefined ones and local ones never count', () => {
    expect(get(judge([], ['zlibVersion']), 'zlib').verdict).toBe('absent');
    const r = judge([], [], {
      symbols: [
        { name: 'zlibVersion', defined: false, binding: 'GLOBAL', table: '.dynsym' },
        { name: 'deflateBound', defined: true, binding: 'LOCAL', table: '.symtab' },
      ],
    });
    expect(get(r, 'zlib').verdict).toBe('absent');
  });

  it('with the library needed, its version macro quoted by the program is not a static copy (openssl(1))', () => {
    const l = get(judge(['OpenSSL 3.0.19 27 Jan 2026'], [], { needed: ['libssl.so.3', 'libcrypto.so.3'] }), 'openssl');
    expect(l).toMatchObject({ verdict: 'dynamic', version: null, needed: ['libssl.so.3', 'libcrypto.so.3'] });
  });

  it('a file is not a vendored copy of itself; without a full view nothing is absent', () => {
    expect(judge([], ['SSL_CTX_new', 'OpenSSL_version'], { soname: 'libssl.so.3' }).libraries.find((l) => l.name === 'openssl')).toBeUndefined();
    expect(get(judge([], [], { symbolView: 'dynamic' }), 'zlib').verdict).toBe('unknown');
  });

  it('a string split by a chunk boundary is still found, and the per-file cap is reported', () => {
    const s = ' deflate 1.3.1 Copyright 1995-2024 Jean-loup Gailly and Mark Adler ';
    const b = new Uint8Array(limits.scanChunkBytes + 100);
    b.set(enc(s), limits.scanChunkBytes - 20);
    const pats = STRING_PATTERNS.map((p) => p.re);
    const r = scanRegions(new MemorySource(b, 'x'), [{ name: 'r', offset: 0, size: b.length }], pats, 'elf');
    expect(r.matches.flat()).toEqual(['deflate 1.3.1 Copyright 1995-']);
    expect(r.truncated).toBe(false);
    const big = scanRegions(new MemorySource(new Uint8Array(8), 'x'), Array.from({ length: 10 }, (_, i) => ({ name: 'r', offset: i, size: 8 })), pats, 'elf');
    expect(big.scanned).toBe(8); // overlapping regions are merged: one range scanned once
  });
});
