/**
 * Well-known system libraries, recognised by the file names they are linked under on each OS (`libs.<name>` in a
 * plan). Patterns are globs over the base name of a DT_NEEDED entry, an imported DLL or a dylib install name; PE
 * names compare case-insensitively. A Record over Format, so a new format must say how it names each library.
 */
import type { Format } from '../facts/types.js';

export const KNOWN_LIBS = {
  openssl: {
    elf: ['libssl.so*', 'libcrypto.so*'], pe: ['libssl*.dll', 'libcrypto*.dll', 'ssleay32.dll', 'libeay32.dll'],
    macho: ['libssl*.dylib', 'libcrypto*.dylib'],
  },
  zlib: { elf: ['libz.so*'], pe: ['zlib*.dll', 'libz.dll', 'libz-*.dll'], macho: ['libz.*dylib', 'libz.dylib'] },
  sqlite3: { elf: ['libsqlite3.so*'], pe: ['sqlite3.dll', 'libsqlite3*.dll'], macho: ['libsqlite3*.dylib'] },
  curl: { elf: ['libcurl.so*', 'libcurl-gnutls.so*', 'libcurl-nss.so*'], pe: ['libcurl*.dll', 'curl*.dll'], macho: ['libcurl*.dylib'] },
  libgit2: { elf: ['libgit2.so*'], pe: ['git2*.dll', 'libgit2*.dll'], macho: ['libgit2*.dylib'] },
  zstd: { elf: ['libzstd.so*'], pe: ['libzstd*.dll', 'zstd*.dll'], macho: ['libzstd*.dylib'] },
  lzma: { elf: ['liblzma.so*'], pe: ['liblzma*.dll', 'lzma*.dll'], macho: ['liblzma*.dylib'] },
  bzip2: { elf: ['libbz2.so*'], pe: ['libbz2*.dll', 'bz2*.dll', 'bzip2*.dll'], macho: ['libbz2*.dylib'] },
  libssh2: { elf: ['libssh2.so*'], pe: ['libssh2*.dll'], macho: ['libssh2*.dylib'] },
  pcre2: { elf: ['libpcre2-*.so*'], pe: ['libpcre2-*.dll', 'pcre2-*.dll'], macho: ['libpcre2-*.dylib'] },
  libxml2: { elf: ['libxml2.so*'], pe: ['libxml2*.dll'], macho: ['libxml2*.dylib'] },
  libffi: { elf: ['libffi.so*'], pe: ['libffi*.dll'], macho: ['libffi*.dylib'] },
  'libstdc++': { elf: ['libstdc++.so*'], pe: ['libstdc++*.dll'], macho: ['libstdc++*.dylib'] },
  libgcc_s: { elf: ['libgcc_s.so*'], pe: ['libgcc_s*.dll'], macho: ['libgcc_s*.dylib'] },
  jemalloc: { elf: ['libjemalloc.so*'], pe: ['jemalloc*.dll', 'libjemalloc*.dll'], macho: ['libjemalloc*.dylib'] },
  mimalloc: { elf: ['libmimalloc.so*'], pe: ['mimalloc*.dll'], macho: ['libmimalloc*.dylib'] },
  'libc++': { elf: ['libc++.so*'], pe: ['libc++.dll', 'c++.dll'], macho: ['libc++*.dylib'] },
  winpthread: { elf: [], pe: ['libwinpthread*.dll'], macho: [] },
} as const satisfies Record<string, Record<Format, readonly string[]>>;

export type KnownLib = keyof typeof KNOWN_LIBS;
export const KNOWN_LIB_NAMES = Object.keys(KNOWN_LIBS) as KnownLib[];
