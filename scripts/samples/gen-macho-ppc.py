#!/usr/bin/env python3
"""Emit a minimal, spec-exact (mach-o/loader.h) 32-bit big-endian PowerPC MH_EXECUTE.

ld64.lld cannot link ppc, so this writes the file by hand:
  LC_SEGMENT __PAGEZERO, LC_SEGMENT __TEXT (+ section __text), LC_SEGMENT __LINKEDIT, LC_SYMTAB (empty),
  LC_LOAD_DYLINKER /usr/lib/dyld, LC_UUID, LC_LOAD_DYLIB /usr/lib/libSystem.B.dylib, LC_UNIXTHREAD (PPC_THREAD_STATE).
The code is `li r3,0; li r0,1; sc; trap` (exit(0)).
usage: gen-macho-ppc.py OUT
"""
import struct
import sys

BE = ">"
MH_MAGIC = 0xFEEDFACE
CPU_TYPE_POWERPC = 18
CPU_SUBTYPE_POWERPC_ALL = 0
MH_EXECUTE = 2
MH_NOUNDEFS, MH_DYLDLINK, MH_TWOLEVEL = 0x1, 0x4, 0x80
LC_SEGMENT, LC_SYMTAB, LC_UNIXTHREAD, LC_LOAD_DYLIB, LC_LOAD_DYLINKER, LC_UUID = 0x1, 0x2, 0x5, 0xC, 0xE, 0x1B
PPC_THREAD_STATE, PPC_THREAD_STATE_COUNT = 1, 40
VM_PROT_R, VM_PROT_W, VM_PROT_X = 1, 2, 4
S_ATTR_PURE_INSTRUCTIONS, S_ATTR_SOME_INSTRUCTIONS = 0x80000000, 0x400

PAGE = 0x1000
TEXT_VM = 0x1000
CODE = struct.pack(BE + "4I", 0x38600000, 0x38000001, 0x44000002, 0x7FE00008)


def name16(s):
    return s.encode().ljust(16, b"\0")


def lc_str(cmd, fixed, s, align=4):
    """load command with a trailing lc_str; fixed = packed fields after cmd/cmdsize."""
    hdr = 8 + len(fixed)
    raw = s.encode() + b"\0"
    size = (hdr + len(raw) + align - 1) // align * align
    return struct.pack(BE + "II", cmd, size) + fixed + raw.ljust(size - hdr, b"\0")


def segment(name, vmaddr, vmsize, fileoff, filesize, maxprot, initprot, sections=(), flags=0):
    body = struct.pack(BE + "16s8I", name16(name), vmaddr, vmsize, fileoff, filesize, maxprot, initprot,
                       len(sections), flags)
    sects = b"".join(sections)
    return struct.pack(BE + "II", LC_SEGMENT, 8 + len(body) + len(sects)) + body + sects


def section(sect, seg, addr, size, offset, align, flags):
    return struct.pack(BE + "16s16s9I", name16(sect), name16(seg), addr, size, offset, align, 0, 0, flags, 0, 0)


def build():
    # first pass with placeholder offsets to learn the header size
    def cmds(code_off, linkedit_off):
        text_sect = section("__text", "__TEXT", TEXT_VM + code_off, len(CODE), code_off, 2,
                            S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)
        state = [0] * PPC_THREAD_STATE_COUNT
        state[0] = TEXT_VM + code_off              # srr0 = entry point
        return [
            segment("__PAGEZERO", 0, TEXT_VM, 0, 0, 0, 0),
            segment("__TEXT", TEXT_VM, PAGE, 0, PAGE, VM_PROT_R | VM_PROT_W | VM_PROT_X, VM_PROT_R | VM_PROT_X,
                    [text_sect]),
            segment("__LINKEDIT", TEXT_VM + PAGE, PAGE, linkedit_off, 4, VM_PROT_R | VM_PROT_W | VM_PROT_X, VM_PROT_R),
            struct.pack(BE + "6I", LC_SYMTAB, 24, linkedit_off, 0, linkedit_off, 4),
            lc_str(LC_LOAD_DYLINKER, struct.pack(BE + "I", 12), "/usr/lib/dyld"),
            struct.pack(BE + "II", LC_UUID, 24) + bytes.fromhex("4c494e4b504c414e9a11ce0fc0ffee01"),
            lc_str(LC_LOAD_DYLIB, struct.pack(BE + "4I", 24, 2, (1311 << 16), (1 << 16)),
                   "/usr/lib/libSystem.B.dylib"),
            struct.pack(BE + "4I", LC_UNIXTHREAD, 16 + 4 * PPC_THREAD_STATE_COUNT, PPC_THREAD_STATE,
                        PPC_THREAD_STATE_COUNT) + struct.pack(BE + "%dI" % PPC_THREAD_STATE_COUNT, *state),
        ]

    code_off = PAGE - 0x100         # code at the end of the first page, like ld did
    linkedit_off = PAGE
    lcs = cmds(code_off, linkedit_off)
    sizeofcmds = sum(len(c) for c in lcs)
    assert 28 + sizeofcmds <= code_off
    hdr = struct.pack(BE + "7I", MH_MAGIC, CPU_TYPE_POWERPC, CPU_SUBTYPE_POWERPC_ALL, MH_EXECUTE, len(lcs),
                      sizeofcmds, MH_NOUNDEFS | MH_DYLDLINK | MH_TWOLEVEL)
    out = bytearray(hdr + b"".join(lcs))
    out = out.ljust(code_off, b"\0") + CODE
    out = out.ljust(linkedit_off, b"\0")
    out += b"\0" * 4             # string table: must start with a NUL
    return bytes(out)


if __name__ == "__main__":
    open(sys.argv[1], "wb").write(build())
