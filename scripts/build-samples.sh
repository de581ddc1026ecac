#!/usr/bin/env bash
# Build the linkage sample binaries under samples/ (ELF, PE, Mach-O, misc) from the sources in samples/src/.
# Reproducible on a fresh Debian 12 (bookworm) with only apt (+ rustup stable for the Rust gnu samples).
#
#   INSTALL=1      (default) apt-get install the toolchains first (needs root)
#   RUSTUP_RUST=1  (default if `rustc` is on PATH) build samples/rust/* with the rustc on PATH (rustup stable)
#   DEBIAN_RUST=1  (default 0) also build samples/rust/musl-crt-static and samples/rust/hello-windows-gnu.exe
#                  with Debian's rustc-web + -Zbuild-std (installs rustc-web, which removes Debian's `rustc`
#                  package; rustup in ~/.cargo/bin is untouched). When 0, previously built outputs are kept.
#   ONLY_LIBS=1    build only samples/elf/libs (statically / dynamically linked zlib, openssl, sqlite, zstd and
#                  a replaced malloc; build_libs_samples below) and leave every other sample alone
#
# The script owns samples/{elf,elf-tree,rust,pe,macho,misc} and samples/FACTS.txt and rebuilds them from
# scratch; intermediate files (objects, import libs, stubs, PDBs) live in a temp dir that is removed.
set -euo pipefail
export PATH=/usr/lib/llvm-14/bin:$PATH            # ld64.lld, llvm-lipo, llvm-otool are not in /usr/bin on bookworm
export LC_ALL=C SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$ROOT/samples; SRC=$S/src; PY=$ROOT/scripts/samples
W=$(mktemp -d /tmp/linkplan-samples.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ -z "${RUSTUP_RUST:-}" ]; then
  if command -v rustc >/dev/null 2>&1; then RUSTUP_RUST=1; else RUSTUP_RUST=0; fi
fi
DEBIAN_RUST=${DEBIAN_RUST:-0}

if [ "${INSTALL:-1}" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends file python3 musl-tools \
    gcc g++ gcc-multilib gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 g++-mingw-w64-x86-64 g++-mingw-w64-i686 \
    clang lld llvm pax-utils binutils-multiarch openjdk-17-jdk-headless \
    zlib1g-dev libssl-dev libsqlite3-dev libzstd-dev
  if [ "$DEBIAN_RUST" = 1 ]; then
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
      rustc-web cargo-web rust-web-src libunwind-14-dev   # NB: removes Debian 'rustc' (1.63) if installed
  fi
fi

note(){ printf '  %s\n' "$*" >&2; }

# --- samples/elf/libs: well-known libraries linked statically from Debian's own .a files, and the same linked
# dynamically, for `inspect --libs` and the libs plan rule. -g0 and --strip-debug keep .symtab (the symbols prove the
# copy); zlib-static-stripped has no .symtab, so only its version strings can prove zlib. The replaced-malloc sample
# uses glibc's gcc (musl-gcc is not needed: the allocator rule is the same for both C libraries).
build_libs_samples() {
  local L=$S/elf/libs A=/usr/lib/x86_64-linux-gnu LC=$SRC/c/libs
  rm -rf "$L"; mkdir -p "$L"
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/zlib-static" "$LC/z.c" "$A/libz.a"
  strip --strip-all -o "$L/zlib-static-stripped" "$L/zlib-static"
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/zlib-dynamic" "$LC/z.c" -lz
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/openssl-static" "$LC/ssl.c" "$A/libssl.a" "$A/libcrypto.a" -ldl -pthread
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/openssl-dynamic" "$LC/ssl.c" -lssl -lcrypto
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/sqlite-static" "$LC/sq.c" "$A/libsqlite3.a" -lm -ldl -pthread
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/sqlite-dynamic" "$LC/sq.c" -lsqlite3
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/zstd-static" "$LC/zs.c" "$A/libzstd.a"
  gcc -O2 -g0 -Wl,--strip-debug -o "$L/own-malloc" "$LC/mymalloc.c"
  # The case from musl packaging: a dynamically linked musl executable with an unprefixed allocator of its own.
  musl-gcc -O2 -g0 -Wl,--strip-debug -o "$L/own-malloc-musl" "$LC/mymalloc.c"
}
if [ "${ONLY_LIBS:-0}" = 1 ]; then build_libs_samples; exit 0; fi

# ---------------------------------------------------------------- output dirs (owned by this script)
# keep the Debian-rust outputs when they are not being rebuilt
KEEP=$W/keep; mkdir -p "$KEEP"
if [ "$DEBIAN_RUST" != 1 ]; then
  for f in musl-crt-static hello-windows-gnu.exe; do if [ -f "$S/rust/$f" ]; then cp -p "$S/rust/$f" "$KEEP/"; fi; done
fi
if [ "$RUSTUP_RUST" != 1 ]; then
  if [ -d "$S/rust" ]; then cp -pr "$S/rust/." "$KEEP/"; fi
fi
rm -rf "$S"/elf "$S"/elf-tree "$S"/rust "$S"/pe "$S"/macho "$S"/misc "$S"/FACTS.txt
mkdir -p "$S"/rust && cp -pr "$KEEP/." "$S/rust/"

C=$SRC/c
# ================================================================ ELF
E=$S/elf; mkdir -p "$E"
# --- musl. Debian's musl-gcc.specs ignores -static-pie (always Scrt1.o + -dynamic-linker): patch a copy.
sed -e 's|%{!shared: /usr/lib/x86_64-linux-musl/Scrt1.o}|%{static-pie: /usr/lib/x86_64-linux-musl/rcrt1.o; !shared: /usr/lib/x86_64-linux-musl/Scrt1.o}|' \
    -e 's|^-dynamic-linker /lib/ld-musl-x86_64.so.1 -nostdlib %{shared:-shared} %{static:-static}|%{!static-pie:-dynamic-linker /lib/ld-musl-x86_64.so.1} -nostdlib %{shared:-shared} %{static:-static} %{static-pie:-static -pie --no-dynamic-linker -z text}|' \
    /usr/lib/x86_64-linux-musl/musl-gcc.specs > "$W/musl-sp.specs"
grep -q rcrt1.o "$W/musl-sp.specs" || { echo "patching musl-gcc.specs failed" >&2; exit 1; }
# (Debian's musl libc.a carries DWARF: --strip-debug drops it but keeps .symtab and .comment)
musl-gcc -O2 -g0 -static -Wl,--strip-debug -o "$E/musl-static" "$C/hello.c"
gcc -specs "$W/musl-sp.specs" -O2 -g0 -Wl,--strip-debug -fPIE -static-pie -o "$E/musl-static-pie" "$C/hello.c"
if readelf -lW "$E/musl-static-pie" | grep -q INTERP || readelf -dW "$E/musl-static-pie" | grep -q NEEDED; then
  echo "musl-static-pie unexpectedly has PT_INTERP or DT_NEEDED" >&2; exit 1
fi
musl-gcc -O2 -g0 -Wl,--strip-debug -o "$E/musl-dynamic" "$C/hello.c"
# The known bad output: a PIE linked without an interpreter that still has DT_NEEDED (what a musl toolchain that
# passes --no-dynamic-linker without -static produces). Nothing would ever load libc.so.
musl-gcc -O2 -g0 -Wl,--strip-debug -fPIE -pie -Wl,--no-dynamic-linker -o "$E/musl-static-pie-broken" "$C/hello.c"
if readelf -lW "$E/musl-static-pie-broken" | grep -q INTERP || ! readelf -dW "$E/musl-static-pie-broken" | grep -q NEEDED; then
  echo "musl-static-pie-broken should have DT_NEEDED and no PT_INTERP" >&2; exit 1
fi
# --- glibc
gcc -O2 -g0 -o "$E/glibc-pie" "$C/hello.c"
gcc -O2 -g0 -fno-pie -no-pie -o "$E/glibc-nopie" "$C/hello.c"
gcc -O2 -g0 -static -o "$E/glibc-static" "$C/hello.c"
gcc -O2 -g0 -fPIE -static-pie -o "$E/glibc-static-pie" "$C/hello.c"
readelf -nW "$E/glibc-static" | grep -q NT_GNU_ABI_TAG || { echo "glibc-static lacks NT_GNU_ABI_TAG" >&2; exit 1; }
# --- SONAME, TEXTREL, exec stack, RELRO/BIND_NOW
gcc -O2 -g0 -fPIC -shared -Wl,-soname,libfoo.so.1 -o "$E/libfoo.so.1" "$C/foo.c"
gcc -O2 -g0 -fPIC -shared -Wl,-soname,libtextrel.so -o "$E/libtextrel.so" "$C/textrel_lib.c" 2>/dev/null  # ld warns: creating DT_TEXTREL
gcc -O2 -g0 -o "$E/textrel-pie" "$C/textrel_main.c" 2>/dev/null
gcc -O2 -g0 -o "$E/execstack-nested" "$C/execstack.c" 2>/dev/null                  # ld warns: requires executable stack
gcc -O2 -g0 -Wl,-z,execstack -o "$E/execstack-flag" "$C/hello.c"
gcc -O2 -g0 -Wl,-z,relro,-z,now -o "$E/bindnow-fullrelro" "$C/hello.c"
gcc -O2 -g0 -Wl,-z,norelro,-z,lazy -o "$E/lazy-norelro" "$C/hello.c"
# --- i386: glibc via gcc-multilib; fall back to a freestanding clang/lld build
if gcc -m32 -O2 -g0 -fPIC -shared -Wl,-soname,libtiny32.so -o "$E/libtiny32.so" "$C/tiny32.c" 2>/dev/null &&
   gcc -m32 -O2 -g0 -fPIE -pie -o "$E/i386-pie" "$C/use_tiny32.c" -L"$E" -ltiny32 \
       -Wl,--disable-new-dtags,-rpath,'$ORIGIN' 2>/dev/null; then
  note "i386-pie: gcc -m32 (glibc)"
else
  X="--target=i386-linux-gnu -O2 -g0 -ffreestanding -nostdlib -fuse-ld=lld -fPIC"
  clang $X -shared -Wl,-soname,libtiny32.so -o "$E/libtiny32.so" "$SRC/elf-cross/tiny.c"
  clang $X -fPIE -pie -Wl,--dynamic-linker,/lib/ld-linux.so.2 -Wl,--disable-new-dtags,-rpath,'$ORIGIN' \
        -o "$E/i386-pie" "$SRC/elf-cross/start.c" -L"$E" -ltiny32
  note "i386-pie: clang freestanding (gcc-multilib unavailable)"
fi
# --- big-endian cross ELF (freestanding, ld.lld)
X="--target=powerpc64-linux-gnu -O2 -g0 -ffreestanding -nostdlib -fuse-ld=lld -fPIC"
clang $X -shared -Wl,-soname,libtinybe.so -o "$E/libtinybe.so" "$SRC/elf-cross/tiny.c"
clang $X -fPIE -pie -Wl,--dynamic-linker,/lib64/ld64.so.1 -Wl,--enable-new-dtags,-rpath,'$ORIGIN' \
      -o "$E/ppc64-be" "$SRC/elf-cross/start.c" -L"$E" -ltinybe
X="--target=mips-linux-gnu -O2 -g0 -ffreestanding -nostdlib -fuse-ld=lld -fPIC"
clang $X -shared -Wl,-soname,libtinymips.so -o "$E/libtinymips.so" "$SRC/elf-cross/tiny.c"
clang $X -fPIE -pie -Wl,-e,_start -Wl,--dynamic-linker,/lib/ld.so.1 -Wl,--enable-new-dtags,-rpath,'$ORIGIN' \
      -o "$E/mips32-be" "$SRC/elf-cross/start.c" -L"$E" -ltinymips

# ================================================================ ELF tree (rpath / runpath / symlinks)
T=$S/elf-tree; M=$T/lib/rustlib/x86_64-unknown-linux-musl/lib; mkdir -p "$T/bin" "$M"
cp "$E/libfoo.so.1" "$T/lib/libfoo.so.1"; ln -s libfoo.so.1 "$T/lib/libfoo.so"
cp "$E/libfoo.so.1" "$M/libfoo.so.1"
ln -s libfoo.so.1 "$W/libfoo.so" 2>/dev/null; cp "$E/libfoo.so.1" "$W/libfoo.so.1"   # link-time -lfoo for the rustlib dir
gcc -O2 -g0 -o "$T/bin/use-rpath"   "$C/usefoo.c" -L"$T/lib" -lfoo -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../lib'
gcc -O2 -g0 -o "$T/bin/use-runpath" "$C/usefoo.c" -L"$T/lib" -lfoo -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib'
gcc -O2 -g0 -o "$T/bin/use-rpath-rustlib"   "$C/usefoo.c" -L"$W" -lfoo -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'
gcc -O2 -g0 -o "$T/bin/use-runpath-rustlib" "$C/usefoo.c" -L"$W" -lfoo -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib/rustlib/x86_64-unknown-linux-musl/lib'
ln -s /usr/bin/true "$T/bin/link-out"                 # absolute symlink out of the tree
ln -s ../../elf/glibc-pie "$T/bin/link-out-rel"       # relative symlink escaping the tree (to a real ELF)
ln -s use-rpath "$T/bin/link-in"                      # symlink staying inside the tree

# ================================================================ Rust
R=$S/rust
if [ "$RUSTUP_RUST" = 1 ]; then
  RS=$SRC/rust; RW=$W/rust; mkdir -p "$RW"
  RC=(rustc -O --edition 2021 -C strip=debuginfo --remap-path-prefix "$RS=src" --remap-path-prefix "$W=/tmp/w")
  "${RC[@]}" -o "$R/dynamic" "$RS/hello.rs"
  "${RC[@]}" -C target-feature=+crt-static -o "$R/crt-static" "$RS/hello.rs"                         # glibc static-pie
  "${RC[@]}" -C target-feature=+crt-static -C relocation-model=static -o "$R/crt-static-nopie" "$RS/hello.rs"
  "${RC[@]}" --crate-type cdylib --crate-name cdy -o "$R/libcdy.so" "$RS/cdy.rs"
  "${RC[@]}" --crate-type dylib --crate-name rdy -C prefer-dynamic -o "$R/librdy.so" "$RS/rdy.rs"   # NEEDED libstd-<hash>.so
  "${RC[@]}" -C prefer-dynamic --extern rdy="$R/librdy.so" -L "$R" \
        -C 'link-args=-Wl,-rpath,$ORIGIN/../lib:$ORIGIN/../lib/rustlib/x86_64-unknown-linux-gnu/lib' -o "$R/use-rdy" "$RS/use_rdy.rs"
  rm -f "$R"/*.d "$R"/*.rlib "$R"/*.rmeta
  note "rust (rustup): $(rustc --version)"
fi
if [ "$DEBIAN_RUST" = 1 ]; then
  # Debian rustc-web + vendored std deps in rust-web-src => -Zbuild-std works offline.
  DR=$(ls -d /usr/src/rustc-*/library/vendor | sort -V | tail -1)
  mkdir -p "$W/musl-unwind"
  cp /usr/lib/llvm-14/lib/libunwind.a "$W/musl-unwind/libunwind.a"    # glibc's libgcc_eh.a needs _dl_find_object: unusable with musl
  musl-gcc -O2 -fPIC -c "$SRC/rust/fortify_chk.c" -o "$W/fchk.o" && ar rs "$W/musl-unwind/libunwind.a" "$W/fchk.o" 2>/dev/null
  printf '#!/bin/sh\nexec gcc -specs %s "$@"\n' "$W/musl-sp.specs" > "$W/musl-cc"; chmod +x "$W/musl-cc"
  for TGT in x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do
    CW=$W/cargo-$TGT; mkdir -p "$CW/.cargo"; cp -r "$SRC/rust/cargo-hello/." "$CW/"
    cat > "$CW/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "debian-vendor"
[source.debian-vendor]
directory = "$DR"
[target.x86_64-unknown-linux-musl]
linker = "$W/musl-cc"
rustflags = ["-C", "link-self-contained=no", "-L", "native=$W/musl-unwind", "--remap-path-prefix", "$W=/tmp/w"]
[target.x86_64-pc-windows-gnu]
linker = "x86_64-w64-mingw32-gcc"
rustflags = ["-C", "link-self-contained=no", "--remap-path-prefix", "$W=/tmp/w"]
EOF
    (cd "$CW" && env RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc /usr/bin/cargo build -q --offline --release \
        -Zbuild-std=std,panic_abort,panic_unwind --target $TGT)
  done
  cp "$W/cargo-x86_64-unknown-linux-musl/target/x86_64-unknown-linux-musl/release/hello" "$R/musl-crt-static"
  cp "$W/cargo-x86_64-pc-windows-gnu/target/x86_64-pc-windows-gnu/release/hello.exe" "$R/hello-windows-gnu.exe"
  note "rust (debian): $(/usr/bin/rustc --version)"
fi

# ================================================================ PE: MinGW
MG=$SRC/mingw; P=$S/pe/mingw; mkdir -p "$P"
MW=(-O2 -g0 -s -Wl,--no-insert-timestamp)             # stripped, no timestamp
x86_64-w64-mingw32-gcc "${MW[@]}" -o "$P/hello.exe" "$MG/hello.c"
x86_64-w64-mingw32-gcc "${MW[@]}" -shared -o "$P/foo.dll" -Wl,--out-implib,"$W/libfoo.dll.a" "$MG/dllfoo.c"
x86_64-w64-mingw32-gcc -O2 -g0 -Wl,--no-insert-timestamp,--strip-debug -shared -o "$P/foo-unstripped.dll" "$MG/dllfoo.c"   # keeps the COFF symtab
x86_64-w64-mingw32-gcc "${MW[@]}" -o "$P/usefoo.exe" "$MG/usefoo.c" -L"$W" -lfoo
x86_64-w64-mingw32-gcc-posix "${MW[@]}" -pthread -o "$P/pthread-dyn.exe" "$MG/thr.c"            # libwinpthread-1.dll
x86_64-w64-mingw32-gcc-posix "${MW[@]}" -pthread -static -o "$P/pthread-static.exe" "$MG/thr.c"
x86_64-w64-mingw32-g++-posix "${MW[@]}" -o "$P/cxx-dyn.exe" "$MG/cxx.cpp"                        # libgcc_s_seh-1.dll, libstdc++-6.dll
x86_64-w64-mingw32-g++-posix "${MW[@]}" -static -o "$P/cxx-static.exe" "$MG/cxx.cpp"
x86_64-w64-mingw32-g++-posix "${MW[@]}" -shared -Dmain=cxx_demo -o "$P/cxx-dyn.dll" "$MG/cxx.cpp" -Wl,--export-all-symbols
x86_64-w64-mingw32-gcc-posix "${MW[@]}" -shared -pthread -Dmain=thr_demo -o "$P/thr-dyn.dll" "$MG/thr.c" -Wl,--export-all-symbols
x86_64-w64-mingw32-gcc-posix "${MW[@]}" -shared -pthread -static -Dmain=thr_demo -o "$P/thr-static.dll" "$MG/thr.c" -Wl,--export-all-symbols
x86_64-w64-mingw32-g++-posix "${MW[@]}" -shared -static -Dmain=cxx_demo -o "$P/cxx-static.dll" "$MG/cxx.cpp" -Wl,--export-all-symbols
i686-w64-mingw32-gcc "${MW[@]}" -o "$P/hello32.exe" "$MG/hello.c"
i686-w64-mingw32-g++-posix "${MW[@]}" -o "$P/cxx32-dyn.exe" "$MG/cxx.cpp"                        # libgcc_s_dw2-1.dll
# MinGW against the UCRT: Debian 12 has no x86_64-w64-mingw32ucrt toolchain, but mingw-w64 ships libucrt.a /
# libucrtbase.a; swap them in for -lmsvcrt via a specs copy and build with the UCRT header mode.
x86_64-w64-mingw32-gcc -dumpspecs | sed 's/-lmsvcrt/-lucrt/g' > "$W/mingw-ucrt.specs"
x86_64-w64-mingw32-gcc -dumpspecs | sed 's/-lmsvcrt/-lucrtbase/g' > "$W/mingw-ucrtbase.specs"
x86_64-w64-mingw32-gcc -specs="$W/mingw-ucrt.specs" -D_UCRT -D__MSVCRT_VERSION__=0x1400 "${MW[@]}" -o "$P/hello-ucrt.exe" "$MG/hello.c"
x86_64-w64-mingw32-gcc -specs="$W/mingw-ucrtbase.specs" -D_UCRT -D__MSVCRT_VERSION__=0x1400 "${MW[@]}" -o "$P/hello-ucrtbase.exe" "$MG/hello.c"

# ================================================================ PE: MSVC-shaped (clang + lld-link, no MSVC)
MS=$SRC/msvc
for A in x64 arm64 x86; do
  case $A in x64) TR=x86_64 DM=i386:x86-64;; arm64) TR=aarch64 DM=arm64;; x86) TR=i686 DM=i386;; esac
  O=$S/pe/msvc/$A L=$W/lib-$A; mkdir -p "$O" "$L"
  # dupcase: lld-link groups imports by lower-cased DLL name, so "kernel32.dll" and "KERNEL32.dll" would be merged
  # into one descriptor. Link against a same-length placeholder ("kernel32.dlX") and rename it afterwards.
  K32LOW=$MS/kernel32-lower.def; [ $A = x86 ] && K32LOW=$MS/kernel32-lower-x86.def
  sed 's/^LIBRARY kernel32.dll$/LIBRARY kernel32.dlX/' "$K32LOW" > "$L/kernel32-lower.def"
  grep -q '^LIBRARY kernel32.dlX$' "$L/kernel32-lower.def"
  if [ $A = x86 ]; then     # stdcall @N in the .def, -k strips it from the import name
    llvm-dlltool -m $DM -k -d "$MS/kernel32-x86.def" -l "$L/kernel32.lib"
    llvm-dlltool -m $DM -k -d "$L/kernel32-lower.def" -l "$L/kernel32-lower.lib"
    llvm-dlltool -m $DM -d "$MS/msvcp140-x86.def" -l "$L/msvcp140.lib"
  else
    llvm-dlltool -m $DM -d "$MS/kernel32.def" -l "$L/kernel32.lib"
    llvm-dlltool -m $DM -d "$L/kernel32-lower.def" -l "$L/kernel32-lower.lib"
    llvm-dlltool -m $DM -d "$MS/msvcp140.def" -l "$L/msvcp140.lib"
  fi
  for d in vcruntime140 vcruntime140d api-ms-win-crt-runtime-l1-1-0 api-ms-win-crt-stdio-l1-1-0 ucrtbase ucrtbased msvcr100; do
    llvm-dlltool -m $DM -d "$MS/$d.def" -l "$L/$d.lib"
  done
  CC=(clang --target=$TR-pc-windows-msvc -O2 -g0 -fno-builtin -ffreestanding -fno-stack-protector)
  for s in md_dll hybrid_dll mt_dll exe_main exe_md exe_dupcase exe_legacy delayhelper; do
    "${CC[@]}" -c "$MS/$s.c" -o "$L/$s.obj"
  done
  "${CC[@]}" -fno-exceptions -fno-rtti -c "$MS/msvcp_dll.cpp" -o "$L/msvcp_dll.obj"
  if [ $A = x64 ]; then
    "${CC[@]}" -Xclang -cfguard -c "$MS/exe_main.c" -o "$L/exe_main_cfg.obj"
    "${CC[@]}" -Xclang -cfguard -c "$MS/md_dll.c" -o "$L/md_dll_cfg.obj"
  fi
  LL=(lld-link /nologo /nodefaultlib /brepro /machine:$A)
  CRT_MD=("$L/vcruntime140.lib" "$L/api-ms-win-crt-runtime-l1-1-0.lib" "$L/api-ms-win-crt-stdio-l1-1-0.lib" "$L/kernel32.lib")
  DLL=(/dll /entry:DllMain); EXE=(/entry:mainCRTStartup /subsystem:console)
  "${LL[@]}" "${DLL[@]}" /out:"$O/md_like.dll" /implib:"$L/md_like.lib" "$L/md_dll.obj" "${CRT_MD[@]}"
  "${LL[@]}" "${DLL[@]}" /out:"$O/mt_like.dll" /implib:"$L/mt_like.lib" "$L/mt_dll.obj" "$L/kernel32.lib"
  "${LL[@]}" "${DLL[@]}" /out:"$O/hybrid.dll" "$L/hybrid_dll.obj" \
       "$L/api-ms-win-crt-runtime-l1-1-0.lib" "$L/api-ms-win-crt-stdio-l1-1-0.lib" "$L/kernel32.lib"
  "${LL[@]}" "${DLL[@]}" /out:"$O/debug.dll" "$L/md_dll.obj" "$L/vcruntime140d.lib" "$L/ucrtbased.lib" "$L/kernel32.lib"
  "${LL[@]}" "${DLL[@]}" /out:"$O/msvcp.dll" "$L/msvcp_dll.obj" "$L/msvcp140.lib" "${CRT_MD[@]}"
  llvm-rc /FO "$L/resonly.res" "$MS/resonly.rc"
  "${LL[@]}" /dll /noentry /out:"$O/resonly.dll" "$L/resonly.res"          # no code, no imports
  "${LL[@]}" "${EXE[@]}" /out:"$O/hello.exe" "$L/exe_main.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
  "${LL[@]}" "${EXE[@]}" /out:"$O/use_md.exe" "$L/exe_md.obj" "$L/kernel32.lib" "$L/md_like.lib"
  "${LL[@]}" "${EXE[@]}" /out:"$O/delayload.exe" "$L/exe_main.obj" "$L/delayhelper.obj" \
       "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib" /delayload:mt_like.dll
  "${LL[@]}" "${EXE[@]}" /out:"$L/dupcase.exe" "$L/exe_dupcase.obj" "$L/kernel32-lower.lib" "$L/kernel32.lib"
  python3 "$PY/pe-patch.py" rename "$L/dupcase.exe" "$O/dupcase.exe" kernel32.dlX kernel32.dll
  "${LL[@]}" "${EXE[@]}" /out:"$O/legacy.exe" "$L/exe_legacy.obj" "$L/msvcr100.lib" "$L/kernel32.lib"
  if [ $A = x64 ]; then   # DllCharacteristics variations + a CodeView/PDB debug directory
    "${LL[@]}" "${EXE[@]}" /guard:cf /out:"$O/hello-guardcf.exe" "$L/exe_main_cfg.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
    "${LL[@]}" "${EXE[@]}" /dynamicbase:no /fixed /out:"$O/hello-fixed.exe" "$L/exe_main.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
    "${LL[@]}" "${EXE[@]}" /highentropyva:no /out:"$O/hello-nohighentropy.exe" "$L/exe_main.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
    "${LL[@]}" "${EXE[@]}" /nxcompat:no /out:"$O/hello-nonx.exe" "$L/exe_main.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
    "${LL[@]}" "${EXE[@]}" /debug /pdb:"$L/hello.pdb" /pdbaltpath:hello.pdb /out:"$O/hello-pdb.exe" "$L/exe_main.obj" "$L/ucrtbase.lib" "$L/kernel32.lib" "$L/mt_like.lib"
    "${LL[@]}" "${DLL[@]}" /guard:cf /out:"$O/md_like-guardcf.dll" "$L/md_dll_cfg.obj" "${CRT_MD[@]}"
    "${LL[@]}" "${DLL[@]}" /dynamicbase:no /out:"$O/md_like-nodynamicbase.dll" "$L/md_dll.obj" "${CRT_MD[@]}"
    "${LL[@]}" "${DLL[@]}" /highentropyva:no /nxcompat:no /out:"$O/md_like-nohighentropy-nonx.dll" "$L/md_dll.obj" "${CRT_MD[@]}"
  fi
  rm -f "$O"/*.lib          # lld-link writes an import library next to every DLL; not wanted in samples/
done
# --- Windows on ARM, 32-bit (ARMNT): only the machine type matters
mkdir -p "$S/pe/msvc/armnt"
clang --target=thumbv7-windows-msvc -O2 -c "$SRC/msvc/armnt_main.c" -o "$W/armnt_main.obj"
lld-link /nologo /brepro /machine:arm /entry:mainCRTStartup /subsystem:console /out:"$S/pe/msvc/armnt/thumb2.exe" "$W/armnt_main.obj"
# --- overlay / fake Authenticode
OV=$S/pe/overlay; mkdir -p "$OV"
python3 "$PY/pe-patch.py" overlay "$S/pe/msvc/x64/hello.exe" "$OV/hello-overlay.exe" 4096
python3 "$PY/pe-patch.py" signed  "$S/pe/msvc/x64/hello.exe" "$OV/hello-signed.exe"

# ================================================================ Mach-O (ld64.lld + hand-written TAPI v4 libSystem stub)
MO=$SRC/macho; SDK=$W/sdk; mkdir -p "$SDK/usr/lib"; cp "$MO/libSystem.tbd" "$SDK/usr/lib/"
for A in x86_64 arm64; do
  O=$S/macho/$A; B=$W/mo-$A; mkdir -p "$O/bin" "$O/lib" "$O/Frameworks" "$B"
  for s in hello foo bar usefoo reexp plugin ssl_stub buildfoo_stub homebrew_user upward_stub upward_user; do
    clang --target=$A-apple-macos11 -O2 -g0 -ffreestanding -c "$MO/$s.c" -o "$B/$s.o"
  done
  LD=(ld64.lld -arch $A -platform_version macos 11.0 11.0 -syslibroot "$SDK")
  "${LD[@]}" -o "$O/bin/hello" "$B/hello.o" -lSystem
  "${LD[@]}" -dylib -install_name @rpath/libfoo.dylib -current_version 1.2.3 -compatibility_version 1.0 \
       -o "$O/lib/libfoo.dylib" "$B/foo.o" -lSystem
  "${LD[@]}" -dylib -install_name @rpath/libbar.dylib -o "$O/Frameworks/libbar.dylib" "$B/bar.o" -lSystem
  "${LD[@]}" -o "$O/bin/usefoo" "$B/usefoo.o" -L"$O/lib" -lfoo -weak_library "$O/Frameworks/libbar.dylib" \
       -rpath @executable_path/../lib -rpath @loader_path/../Frameworks -lSystem
  "${LD[@]}" -dylib -install_name @rpath/libreexp.dylib -o "$O/lib/libreexp.dylib" "$B/reexp.o" \
       -reexport_library "$O/lib/libfoo.dylib" -lSystem
  "${LD[@]}" -bundle -o "$O/lib/plugin.bundle" "$B/plugin.o" -lSystem
  # stubs with foreign install names (not committed)
  "${LD[@]}" -dylib -install_name /opt/homebrew/opt/openssl@3/lib/libssl.3.dylib -current_version 3.0.0 \
       -compatibility_version 3.0.0 -o "$B/libssl.3.dylib" "$B/ssl_stub.o" -lSystem
  "${LD[@]}" -dylib -install_name /Users/runner/work/proj/target/release/libfoo.dylib \
       -o "$B/libbuildfoo.dylib" "$B/buildfoo_stub.o" -lSystem
  "${LD[@]}" -o "$O/bin/homebrew-user" "$B/homebrew_user.o" "$B/libssl.3.dylib" "$B/libbuildfoo.dylib" -lSystem
  # ld64.lld 14 has no -upward_library / -lazy_library: link normally, then retag the dylib_command
  "${LD[@]}" -dylib -install_name @rpath/libupward.dylib -o "$B/libupward.dylib" "$B/upward_stub.o" -lSystem
  for k in upward lazy; do
    "${LD[@]}" -no_adhoc_codesign -o "$O/bin/$k" "$B/upward_user.o" "$B/libupward.dylib" -L"$O/lib" -lfoo \
         -rpath @executable_path/../lib -lSystem
    python3 "$PY/macho-set-lc.py" "$O/bin/$k" @rpath/libupward.dylib $k
  done
  # slices for the deliberately mismatched universal binary: x86_64 = min macOS 10.15, 3 rpaths, weak libbar;
  # arm64 = min macOS 11.0, 1 rpath (libbar linked with -lbar, but stays LC_LOAD_WEAK_DYLIB: every reference to bar is weak_import)
  case $A in
    x86_64) clang --target=x86_64-apple-macos10.15 -O2 -g0 -ffreestanding -c "$MO/usefoo.c" -o "$B/usefoo-1015.o"
            ld64.lld -arch $A -platform_version macos 10.15 11.0 -syslibroot "$SDK" -o "$B/mismatch" "$B/usefoo-1015.o" \
              -L"$O/lib" -lfoo -weak_library "$O/Frameworks/libbar.dylib" -rpath @executable_path/../lib \
              -rpath @loader_path/../Frameworks -rpath /usr/local/lib -lSystem 2> >(grep -v 'newer than target minimum' >&2) ;;
    arm64)  "${LD[@]}" -o "$B/mismatch" "$B/usefoo.o" -L"$O/lib" -lfoo -L"$O/Frameworks" -lbar \
              -rpath @executable_path/../lib -lSystem ;;
  esac
done
U=$S/macho/universal; mkdir -p "$U/bin" "$U/lib"
llvm-lipo -create "$S/macho/x86_64/bin/usefoo" "$S/macho/arm64/bin/usefoo" -output "$U/bin/usefoo"
llvm-lipo -create "$S/macho/x86_64/lib/libfoo.dylib" "$S/macho/arm64/lib/libfoo.dylib" -output "$U/lib/libfoo.dylib"
llvm-lipo -create "$W/mo-x86_64/mismatch" "$W/mo-arm64/mismatch" -output "$U/bin/mismatch"
mkdir -p "$S/macho/ppc"; python3 "$PY/gen-macho-ppc.py" "$S/macho/ppc/hello-ppc"

# ================================================================ misc
X=$S/misc; mkdir -p "$X"
printf 'This is not a binary.\nlinkplan should report it as unrecognised.\n' > "$X/not-a-binary.txt"
: > "$X/empty"
javac --release 8 -d "$W/java" "$SRC/java/Hello.java" 2>/dev/null; cp "$W/java/Hello.class" "$X/java.class"
head -c 100 "$E/glibc-pie" > "$X/truncated-elf"
head -c 300 "$S/pe/msvc/x64/hello.exe" > "$X/truncated-pe"
head -c 40 "$S/macho/x86_64/bin/hello" > "$X/truncated-macho"
python3 - "$E/glibc-pie" "$X/garbage-elf" <<'EOF'
import hashlib, struct, sys
hdr = bytearray(open(sys.argv[1], "rb").read(64))        # valid ELF64 ident + header ...
struct.pack_into("<Q", hdr, 0x20, 0x40)                   # e_phoff
struct.pack_into("<Q", hdr, 0x28, 0xFFFFFFFFFFFF0000)     # e_shoff far beyond EOF
struct.pack_into("<H", hdr, 0x38, 0xFFFF)                 # e_phnum huge
struct.pack_into("<H", hdr, 0x3C, 0xFFFF)                 # e_shnum huge
body = b"".join(hashlib.sha256(b"garbage%d" % i).digest() for i in range(64))   # ... then 2 KiB of noise
open(sys.argv[2], "wb").write(bytes(hdr) + body)
EOF

build_libs_samples

# ================================================================ summary
bash "$PY/verify.sh" "$S" > "$S/FACTS.txt"
cd "$S"
find . -path ./src -prune -o \( -type f -o -type l \) ! -name README.md ! -name FACTS.txt -print | sort | while read -r f; do
  if [ -L "$f" ]; then printf '%-46s %9s  -> %s\n' "${f#./}" link "$(readlink "$f")"
  else printf '%-46s %9s  %s\n' "${f#./}" "$(stat -c %s "$f")" "$(file -b "$f" | cut -c1-90)"; fi
done
echo "total: $(du -sh --exclude=src "$S" | cut -f1) in $S" >&2
