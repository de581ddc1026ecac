/**
 * ELF libraries a target system provides itself, by C library: what unshipped-dependency accepts without finding
 * the file in the archive. Patterns are globs over DT_NEEDED base names (the plan's glob matcher). PE and Mach-O
 * need no table here: facts/ already classes DLLs (crt / system / application) and dylibs (apple-system / …).
 */
import type { Libc } from '../facts/types.js';
import type { LookedIn } from '../plan/model.js';
import { KNOWN_LIBS } from '../plan/known-libs.js';
import { matchName } from '../plan/glob.js';

/**
 * glibc: the libraries glibc itself installs (libc, libm, libpthread, libdl, librt, libresolv, libutil, libanl,
 * libmvec, libBrokenLocale, libcrypt — libxcrypt now, but every glibc distribution still ships libcrypt.so.1) and
 * every architecture's loader (ld-linux*.so.N, ld64.so.N, ld.so.1). The GCC runtime (libgcc_s.so.1,
 * libstdc++.so.6) counts as base too: glibc dlopens libgcc_s for unwinding and cancellation, and libstdc++ is in
 * the base set of every glibc distribution (apt, dnf and systemd's tools link it). Their version floors are a
 * separate question (GLIBCXX_ floors), not whether the file exists. libnsl is left out: glibc 2.32 dropped it.
 */
const GLIBC = [
  'libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libresolv.so.2', 'libutil.so.1',
  'libanl.so.1', 'libmvec.so.1', 'libBrokenLocale.so.1', 'libcrypt.so.1', 'libcrypt.so.2', 'libnss_*.so.2',
  'ld-linux*.so.[0-9]', 'ld64.so.[0-9]', 'ld.so.1',
  ...KNOWN_LIBS.libgcc_s.elf, ...KNOWN_LIBS['libstdc++'].elf,
];

/**
 * musl: one libc.so (libm, libpthread, libdl and librt are inside it) and its loader; Alpine's musl package also
 * names it libc.musl-<arch>.so.1 (the SONAME that binaries linked on Alpine, napi-rs modules among them, need).
 * The GCC runtime is NOT base here: Alpine installs libgcc and libstdc++ as packages of their own, absent from the
 * base image.
 */
const MUSL = ['libc.so', 'ld-musl-*.so.1', 'libc.musl-*.so.1'];

/**
 * bionic: the NDK's stable native APIs, which every Android device provides (developer.android.com/ndk/guides/
 * stable_apis). libc++_shared.so is not among them: an app must ship it.
 */
const BIONIC = [
  'libc.so', 'libm.so', 'libdl.so', 'liblog.so', 'libandroid.so', 'libz.so', 'libjnigraphics.so', 'libEGL.so',
  'libGLESv1_CM.so', 'libGLESv2.so', 'libGLESv3.so', 'libvulkan.so', 'libOpenSLES.so', 'libOpenMAXAL.so',
  'libaaudio.so', 'libamidi.so', 'libmediandk.so', 'libcamera2ndk.so', 'libneuralnetworks.so', 'libnativewindow.so',
  'libsync.so', 'libbinder_ndk.so', 'libicu.so',
];

/** The set a binary's DT_NEEDED is checked against, named for the finding; unknown C libraries get the union. */
export function elfSystem(libc: Libc): { name: LookedIn; patterns: readonly string[] } {
  switch (libc) {
    case 'glibc': return { name: 'glibc', patterns: GLIBC };
    case 'musl': return { name: 'musl', patterns: MUSL };
    case 'bionic': return { name: 'bionic', patterns: BIONIC };
    // A static, freestanding or unidentified binary: accept any system's own libraries rather than guess wrong.
    default: return { name: 'elf', patterns: [...GLIBC, ...MUSL, ...BIONIC] };
  }
}

export function isElfSystemLib(libc: Libc, name: string): boolean {
  return matchName(elfSystem(libc).patterns, name) !== undefined;
}
