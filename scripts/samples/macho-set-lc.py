#!/usr/bin/env python3
"""Rewrite the cmd of a dylib load command in a thin little-endian 64-bit Mach-O.

ld64.lld 14 has no -upward_library / -lazy_library, but LC_LOAD_UPWARD_DYLIB and LC_LAZY_LOAD_DYLIB use the
same dylib_command layout as LC_LOAD_DYLIB, so the linker's output can be patched in place.
Link arm64 inputs with -no_adhoc_codesign first (patching would invalidate the ad-hoc signature).
usage: macho-set-lc.py FILE DYLIB_NAME {upward|lazy|weak|load}
"""
import struct
import sys

CMDS = {"load": 0xC, "weak": 0x80000018, "upward": 0x80000023, "lazy": 0x20}
DYLIB_CMDS = set(CMDS.values()) | {0x8000001F}  # + LC_REEXPORT_DYLIB


def main():
    path, name, kind = sys.argv[1:4]
    data = bytearray(open(path, "rb").read())
    magic, _, _, _, ncmds, _, _ = struct.unpack_from("<7I", data, 0)
    if magic != 0xFEEDFACF:
        raise SystemExit("only thin little-endian 64-bit Mach-O is supported")
    off, hits = 32, 0
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, off)
        if cmd in DYLIB_CMDS:
            noff = struct.unpack_from("<I", data, off + 8)[0]
            dname = bytes(data[off + noff:off + size]).split(b"\0", 1)[0].decode()
            if dname == name:
                struct.pack_into("<I", data, off, CMDS[kind])
                hits += 1
        off += size
    if hits != 1:
        raise SystemExit("%s: expected exactly one load command for %s, found %d" % (path, name, hits))
    open(path, "wb").write(data)


if __name__ == "__main__":
    main()
