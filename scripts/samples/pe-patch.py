#!/usr/bin/env python3
"""Derive PE samples with trailing data from an existing PE image.

  pe-patch.py overlay IN OUT [SIZE]    copy IN and append SIZE (default 4096) deterministic pseudo-random bytes
  pe-patch.py signed  IN OUT           append a structurally valid (but cryptographically meaningless)
                                        WIN_CERTIFICATE, point the Security data directory (index 4) at it
                                        and recompute the optional-header CheckSum, as signtool would
  pe-patch.py rename  IN OUT OLD NEW    replace the NUL-terminated string OLD (which must occur exactly once)
                                        by NEW of the same length, e.g. an import descriptor's DLL name
"""
import hashlib
import struct
import sys


def det_bytes(n, seed=b"linkplan-overlay"):
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + i.to_bytes(4, "little")).digest()
        i += 1
    return bytes(out[:n])


def pe_offsets(data):
    if data[:2] != b"MZ":
        raise SystemExit("not an MZ image")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise SystemExit("no PE signature")
    opt = pe + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    if magic == 0x10B:      # PE32
        ndirs_off, dirs_off = opt + 92, opt + 96
    elif magic == 0x20B:    # PE32+
        ndirs_off, dirs_off = opt + 108, opt + 112
    else:
        raise SystemExit("unknown optional header magic %#x" % magic)
    return opt, ndirs_off, dirs_off


def pe_checksum(data, checksum_off):
    s = 0
    n = len(data)
    padded = data + (b"\0" if n % 2 else b"")
    for i in range(0, len(padded), 2):
        if i == checksum_off or i == checksum_off + 2:
            continue
        s += padded[i] | (padded[i + 1] << 8)
        s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (s + n) & 0xFFFFFFFF


def fake_pkcs7(body_len=256):
    # DER: SEQUENCE { OID 1.2.840.113549.1.7.2 (signedData), [0] EXPLICIT OCTET STRING filler }
    filler = det_bytes(body_len, b"linkplan-fake-signature")
    octet = b"\x04\x82" + struct.pack(">H", len(filler)) + filler
    ctx = b"\xa0\x82" + struct.pack(">H", len(octet)) + octet
    oid = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"
    inner = oid + ctx
    return b"\x30\x82" + struct.pack(">H", len(inner)) + inner


def main():
    mode, src, dst = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    if mode == "overlay":
        size = int(sys.argv[4]) if len(sys.argv) > 4 else 4096
        data += det_bytes(size)
    elif mode == "signed":
        opt, ndirs_off, dirs_off = pe_offsets(data)
        if struct.unpack_from("<I", data, ndirs_off)[0] < 5:
            raise SystemExit("image has fewer than 5 data directories")
        while len(data) % 8:            # the certificate table is quadword aligned
            data += b"\0"
        cert = fake_pkcs7()
        blob = struct.pack("<IHH", 8 + len(cert), 0x0200, 0x0002) + cert   # WIN_CERT_REVISION_2_0, WIN_CERT_TYPE_PKCS_SIGNED_DATA
        while len(blob) % 8:
            blob += b"\0"
        off = len(data)
        data += blob
        struct.pack_into("<II", data, dirs_off + 4 * 8, off, len(blob))   # IMAGE_DIRECTORY_ENTRY_SECURITY: file offset, size
        checksum_off = opt + 64
        struct.pack_into("<I", data, checksum_off, 0)
        struct.pack_into("<I", data, checksum_off, pe_checksum(bytes(data), checksum_off))
    elif mode == "rename":
        old, new = sys.argv[4].encode() + b"\0", sys.argv[5].encode() + b"\0"
        if len(old) != len(new) or data.count(old) != 1:
            raise SystemExit("rename: %r must occur exactly once and have the length of %r" % (old, new))
        i = data.index(old)
        data[i:i + len(new)] = new
    else:
        raise SystemExit(__doc__)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main()
