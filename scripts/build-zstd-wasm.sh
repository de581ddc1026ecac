#!/usr/bin/env bash
# Build src/archive/zstd-wasm.ts: zstd's own streaming decoder (lib/common + lib/decompress of zstd 1.5.7, nothing of
# the compressor, no legacy formats) compiled to WebAssembly with Debian's clang and wasi-libc (for malloc and the
# mem* functions; the module imports nothing), embedded as base64 so that tsc, the CLI bundle and the web page all
# carry it with no loader. src/archive/decompress.ts drives it (ZSTD_decompressStream) and docs/archives.md says why
# it replaced fzstd. Re-run only to change zstd's version or the flags; commit the .ts it writes.
#
#   INSTALL=1 (default) apt-get install clang, lld, wasi-libc and the wasm32 compiler-rt first (needs root)
#
# zstd's C source comes from the zstd-napi package (deps/zstd is zstd's release tree), fetched with `npm pack` and
# checked against the SHA-256 below: the registry this project already uses, no other host.
set -euo pipefail
export LC_ALL=C SOURCE_DATE_EPOCH=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/src/archive/zstd-wasm.ts
SRC_PKG=zstd-napi@0.0.13
SRC_SHA256=5b76defc67c808989c5f3920e14f662d6318b84b8d53ac3e94b99463d8d65e76
W=$(mktemp -d /tmp/linkplan-zstd.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ "${INSTALL:-1}" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 >/dev/null
fi
export PATH=/usr/lib/llvm-14/bin:$PATH

(cd "$W" && npm pack --silent "$SRC_PKG" >/dev/null)
TGZ=$(ls "$W"/*.tgz)
echo "$SRC_SHA256  $TGZ" | sha256sum -c --quiet
tar -xzf "$TGZ" -C "$W" package/deps/zstd
Z=$W/package/deps/zstd/lib
VERSION=$(awk '/define ZSTD_VERSION_(MAJOR|MINOR|RELEASE)/ { v = v (v ? "." : "") $3 } END { print v }' "$Z/zstd.h")

SRCS=(common/entropy_common.c common/error_private.c common/fse_decompress.c common/xxhash.c common/zstd_common.c
  decompress/huf_decompress.c decompress/zstd_ddict.c decompress/zstd_decompress.c decompress/zstd_decompress_block.c)
EXPORTS=(ZSTD_createDCtx ZSTD_freeDCtx ZSTD_decompressStream ZSTD_isError ZSTD_getErrorCode ZSTD_getErrorName malloc free)
# -O3 with the MVP feature set (no SIMD, no bulk memory: no faster here, measured, and every engine runs it).
# NDEBUG: no assert (which would import WASI's proc_exit). The memory may grow to 1 GiB: zstd's default window limit
# (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27 = 128 MiB, what `zstd -d` accepts without --memory) plus the buffers fits.
clang --target=wasm32-wasi -O3 -DNDEBUG -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 -DZSTD_TRACE=0 \
  -DZSTD_NO_UNUSED_FUNCTIONS -I"$Z" -I"$Z/common" -nostartfiles -Wl,--no-entry -Wl,--strip-all \
  -Wl,--max-memory=1073741824 ${EXPORTS[@]/#/-Wl,--export=} -o "$W/zstd.wasm" "${SRCS[@]/#/$Z/}"
node -e 'const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
  if (WebAssembly.Module.imports(m).length) throw new Error("zstd.wasm imports something: " + JSON.stringify(WebAssembly.Module.imports(m)));' \
  "$W/zstd.wasm"

{
  echo "/*! zstd $VERSION's decoder (lib/common, lib/decompress) as WebAssembly, built by scripts/build-zstd-wasm.sh"
  echo "    with $(clang --version | head -1). zstd is under this licence:"
  echo
  sed 's/^/    /; s/ *$//' "$W/package/deps/zstd/LICENSE"
  cat <<'EOT'

    Linked in from Debian's wasi-libc: malloc (dlmalloc) and sbrk, CC0-1.0 (Copyright 2018-2020 Dan Gohman and the
    wasi-libc contributors); memcpy, memmove and memset from musl, under the MIT licence:

    Copyright (c) 2005-2019 Rich Felker, et al.

    Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
    documentation files (the "Software"), to deal in the Software without restriction, including without limitation
    the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
    permit persons to whom the Software is furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all copies or substantial portions of
    the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
    THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
    TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.
*/
EOT
  echo "// Generated: do not edit. $(wc -c < "$W/zstd.wasm") bytes of WebAssembly, base64 (whitespace is not part of it)."
  echo "export const ZSTD_VERSION = '$VERSION';"
  echo 'export const ZSTD_WASM_BASE64 = `'
  base64 -w 156 "$W/zstd.wasm"
  echo '`;'
} > "$OUT"
echo "build-zstd-wasm: ${OUT#"$ROOT"/} (zstd $VERSION, $(wc -c < "$W/zstd.wasm") bytes of WebAssembly)"
