/**
 * Library fingerprints, as data: what a statically linked (vendored) copy of a library leaves in a binary. Each
 * entry says where its markers come from, so a reviewer can check them against the library's source.
 *
 * - `dynamic`: base names the library is linked under (ELF DT_NEEDED, PE DLL, Mach-O install name), per format.
 * - `symbols`: names only the library defines, global functions or objects of its public API. `minSymbols` of them
 *   must be DEFINED (an undefined one is an import from the shared library). Exact names, never prefixes: a
 *   program's own templates and static functions must not look like a library.
 * - `strings`: regexes over read-only data; group 1 is the version. A match proves the library's code is in the file
 *   (these strings live in the library's own objects, never in its headers).
 * - `versionSymbol`: a defined object whose bytes are the version (sqlite3_version[] = SQLITE_VERSION).
 * - `variants`: forks recognised by their own markers (BoringSSL, AWS-LC, LibreSSL, zlib-ng, unprefixed jemalloc).
 * Every regex is linear: literal text, classes and bounded repeats, no nested quantifiers.
 */
import type { Format } from './types.js';

export interface Variant {
  name: string;
  symbols?: readonly string[];
  strings?: readonly RegExp[];
}

export interface Fingerprint {
  name: string;
  source: string;
  dynamic: Record<Format, readonly RegExp[]>;
  symbols: readonly string[];
  minSymbols: number;
  strings: readonly RegExp[];
  versionSymbol?: string;
  /** Version strings too generic to prove the library alone (a git describe): read only once symbols proved it. */
  versionOnly?: readonly RegExp[];
  variants?: readonly Variant[];
  /** A memory allocator: its presence explains a binary defining malloc itself (audit unprefixed-allocator). */
  allocator?: boolean;
}

const so = (stem: string) => new RegExp(`^${stem}\\.so(\\.|$)`);
/** Rust `-sys` / `-src` crates that build the C library from source leave their registry path in panic messages. */
const crate = (name: string) => new RegExp(`${name}-(\\d+\\.\\d+\\.\\d+)(?:\\+[A-Za-z0-9._-]{1,40})?[/\\\\]`);

export const FINGERPRINTS: readonly Fingerprint[] = [
  {
    name: 'openssl',
    source: 'openssl crypto/cversion.c (OPENSSL_VERSION_TEXT "OpenSSL x.y.z d Mon yyyy"), include/openssl/*.h; '
      + 'BoringSSL crypto/crypto.c; AWS-LC crypto/crypto.c; LibreSSL crypto/cversion.c',
    dynamic: {
      elf: [so('libssl'), so('libcrypto')], pe: [/^(libssl|libcrypto)[-\w]*\.dll$/i, /^(ssleay32|libeay32)\.dll$/i],
      macho: [/^lib(ssl|crypto)[.\d]*\.dylib$/],
    },
    // Not SSL_CTX_new or ERR_get_error: GnuTLS's OpenSSL compatibility library (libgnutls-openssl) defines both, and
    // is no copy of OpenSSL. Every OpenSSL since 0.9.8 defines CRYPTO_malloc, EVP_DigestInit_ex and EVP_CIPHER_CTX_new.
    symbols: ['OPENSSL_init_crypto', 'OpenSSL_version', 'OpenSSL_version_num', 'EVP_DigestInit_ex', 'CRYPTO_malloc', 'EVP_CIPHER_CTX_new'],
    minSymbols: 2,
    strings: [/OpenSSL (\d+\.\d+\.\d+[a-z]?) {1,2}\d{1,2} [A-Z][a-z]{2} \d{4}/, crate('openssl-src')],
    variants: [
      { name: 'boringssl', symbols: ['BORINGSSL_self_test'], strings: [/compatible; BoringSSL\)/] },
      { name: 'aws-lc', symbols: ['awslc_version_string'], strings: [/AWS-LC (\d+\.\d+\.\d+)/] },
      { name: 'libressl', strings: [/LibreSSL (\d+\.\d+\.\d+)/] },
    ],
  },
  {
    name: 'zlib',
    source: 'zlib deflate.c deflate_copyright / inflate.c inflate_copyright '
      + '(" deflate 1.3.1 Copyright 1995-2024 Jean-loup Gailly and Mark Adler "), zlib.h; zlib-ng zbuild.h / zlib-ng.h',
    dynamic: { elf: [so('libz'), so('libz-ng')], pe: [/^zlib[\w-]*\.dll$/i, /^libz(-\d+)?\.dll$/i], macho: [/^libz[.\d]*\.dylib$/] },
    symbols: ['zlibVersion', 'deflateInit2_', 'inflateInit2_', 'deflateBound', 'inflateReset2', 'deflateSetDictionary', 'compressBound'],
    minSymbols: 2,
    strings: [/(?:de|in)flate (\d+\.\d+(?:\.\d+){0,2}(?:[.-][\w]{1,12})?) Copyright 1995-/, crate('libz-sys')],
    // Digit runs bounded ({1,9}) where no literal comes first: with \d+, a run of n digits cost n² steps (every start
    // in it took the run, then gave it back a digit at a time): 64 KiB of digits 3.5 s, a MiB a quarter of an hour.
    variants: [{ name: 'zlib-ng', symbols: ['zlibng_version', 'zng_deflate'], strings: [/\d{1,9}\.\d{1,9}\.\d{1,9}\.zlib-ng/] }],
  },
  {
    name: 'zstd',
    source: 'zstd lib/zstd.h (ZSTD_versionNumber, ZSTD_compress, ZSTD_decompress, ZSTD_createCCtx); zstd-sys crate',
    dynamic: { elf: [so('libzstd')], pe: [/^(lib)?zstd[\w-]*\.dll$/i], macho: [/^libzstd[.\d]*\.dylib$/] },
    symbols: ['ZSTD_versionNumber', 'ZSTD_versionString', 'ZSTD_compress', 'ZSTD_decompress', 'ZSTD_createCCtx', 'ZSTD_createDCtx', 'ZSTD_compressStream2'],
    minSymbols: 2,
    strings: [crate('zstd-sys')],
  },
  {
    name: 'lzma',
    source: 'xz src/liblzma/api/lzma/*.h (lzma_code, lzma_easy_encoder, lzma_stream_decoder, lzma_version_string)',
    dynamic: { elf: [so('liblzma')], pe: [/^(lib)?lzma[\w-]*\.dll$/i], macho: [/^liblzma[.\d]*\.dylib$/] },
    symbols: ['lzma_code', 'lzma_end', 'lzma_easy_encoder', 'lzma_stream_decoder', 'lzma_version_string', 'lzma_auto_decoder'],
    minSymbols: 2,
    strings: [crate('lzma-sys')],
  },
  {
    name: 'bzip2',
    source: 'bzip2 bzlib.h / bzlib_private.h (BZ_VERSION "1.0.8, 13-Jul-2019" returned by BZ2_bzlibVersion)',
    dynamic: { elf: [so('libbz2')], pe: [/^(lib)?bz(ip)?2[\w-]*\.dll$/i], macho: [/^libbz2[.\d]*\.dylib$/] },
    symbols: ['BZ2_bzlibVersion', 'BZ2_bzCompressInit', 'BZ2_bzCompress', 'BZ2_bzDecompressInit', 'BZ2_bzDecompress'],
    minSymbols: 2,
    strings: [/(1\.\d\.\d{1,2}), \d{1,2}-[A-Z][a-z]{2}-\d{4}/, crate('bzip2-sys')],
  },
  {
    name: 'sqlite3',
    source: 'sqlite3.c (sqlite3_version[] = SQLITE_VERSION; SQLITE_SOURCE_ID "yyyy-mm-dd hh:mm:ss <sha3>"), sqlite3.h',
    dynamic: { elf: [so('libsqlite3')], pe: [/^(lib)?sqlite3[\w-]*\.dll$/i], macho: [/^libsqlite3[.\d]*\.dylib$/] },
    symbols: ['sqlite3_libversion', 'sqlite3_sourceid', 'sqlite3_open_v2', 'sqlite3_prepare_v2', 'sqlite3_step', 'sqlite3_version'],
    minSymbols: 2,
    // SQLITE_SOURCE_ID carries no version number; the version comes from sqlite3_version.
    strings: [/20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d [0-9a-f]{40,64}/, crate('libsqlite3-sys')],
    versionSymbol: 'sqlite3_version',
  },
  {
    name: 'curl',
    source: 'curl lib/version.c (curl_version(): "libcurl/" LIBCURL_VERSION), include/curl/curl.h',
    dynamic: { elf: [so('libcurl'), so('libcurl-gnutls'), so('libcurl-nss')], pe: [/^(lib)?curl[\w-]*\.dll$/i], macho: [/^libcurl[.\d]*\.dylib$/] },
    symbols: ['curl_easy_init', 'curl_easy_perform', 'curl_version_info', 'curl_global_init', 'curl_multi_perform'],
    minSymbols: 2,
    strings: [/libcurl\/(\d+\.\d+\.\d+)/, crate('curl-sys')],
  },
  {
    name: 'jemalloc',
    source: 'jemalloc include/jemalloc/jemalloc.h (mallctl, malloc_stats_print; je_ / _rjem_ prefixes), JEMALLOC_VERSION "x.y.z-n-g<sha1>"',
    dynamic: { elf: [so('libjemalloc')], pe: [/^(lib)?jemalloc[\w-]*\.dll$/i], macho: [/^libjemalloc[.\d]*\.dylib$/] },
    symbols: ['mallctl', 'mallctlnametomib', 'malloc_stats_print', 'je_mallctl', 'je_malloc_stats_print', '_rjem_mallctl', '_rjem_malloc'],
    minSymbols: 1,
    strings: [crate('tikv-jemalloc-sys'), crate('jemalloc-sys')],
    // Bounded digit runs, as zlib-ng's above.
    versionOnly: [/(\d{1,9}\.\d{1,9}\.\d{1,9})-\d{1,9}-g[0-9a-f]{40}/],
    variants: [{ name: 'unprefixed', symbols: ['mallctl', 'malloc_stats_print'] }],
    allocator: true,
  },
  {
    name: 'mimalloc',
    source: 'mimalloc include/mimalloc.h (mi_malloc, mi_free, mi_version, mi_option_set), src/options.c ("mimalloc: ")',
    dynamic: { elf: [so('libmimalloc')], pe: [/^mimalloc[\w-]*\.dll$/i], macho: [/^libmimalloc[.\d]*\.dylib$/] },
    symbols: ['mi_malloc', 'mi_free', 'mi_version', 'mi_option_set', 'mi_stats_print'],
    minSymbols: 2,
    strings: [crate('libmimalloc-sys')],
    allocator: true,
  },
  {
    name: 'libstdc++',
    source: 'GCC libstdc++-v3 src/c++98/locale_init.cc (std::locale::classic), ios_init.cc (std::ios_base::Init)',
    dynamic: { elf: [so('libstdc\\+\\+')], pe: [/^libstdc\+\+[\w-]*\.dll$/i], macho: [/^libstdc\+\+[.\d]*\.dylib$/] },
    symbols: ['_ZNSt6locale7classicEv', '_ZNSt8ios_base4InitC1Ev', '_ZNSt6localeC1Ev', '_ZSt9terminatev'],
    minSymbols: 2,
    strings: [],
  },
  {
    name: 'libc++',
    source: 'LLVM libcxx src/locale.cpp (std::__1::locale::classic), src/ios.cpp (std::__1::ios_base::init)',
    dynamic: { elf: [so('libc\\+\\+')], pe: [/^(lib)?c\+\+\.dll$/i], macho: [/^libc\+\+[.\d]*\.dylib$/] },
    symbols: ['_ZNSt3__16locale7classicEv', '_ZNSt3__18ios_base4initEPv', '_ZNSt3__16localeC1Ev'],
    minSymbols: 2,
    strings: [],
  },
];

/** The C allocator entry points a replacement malloc defines. */
export const ALLOCATOR_SYMBOLS = ['malloc', 'free', 'calloc', 'realloc'] as const;

/** Every symbol name any fingerprint (or the allocator check) looks for: what the readers are asked to find. */
export const WANTED_SYMBOLS: ReadonlySet<string> = new Set([
  ...FINGERPRINTS.flatMap((f) => [...f.symbols, ...(f.versionSymbol ? [f.versionSymbol] : []), ...(f.variants ?? []).flatMap((v) => v.symbols ?? [])]),
  ...ALLOCATOR_SYMBOLS,
]);

/** Every string pattern, flattened in a fixed order (scanRegions takes one list). */
export const STRING_PATTERNS: readonly { lib: string; variant: string | null; proof: boolean; re: RegExp }[] = FINGERPRINTS.flatMap((f) => [
  ...f.strings.map((re) => ({ lib: f.name, variant: null, proof: true, re })),
  ...(f.versionOnly ?? []).map((re) => ({ lib: f.name, variant: null, proof: false, re })),
  ...(f.variants ?? []).flatMap((v) => (v.strings ?? []).map((re) => ({ lib: f.name, variant: v.name, proof: true, re }))),
]);

/** STRING_PATTERNS' regexes, in the same order: the one list every scan is given (formats/scan.ts compiles it once). */
export const PATTERN_RES: readonly RegExp[] = STRING_PATTERNS.map((p) => p.re);
