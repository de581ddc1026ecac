/**
 * Containers and compressions told apart by their bytes, never by a file's extension: an Android .apk is a zip, an
 * Alpine .apk is concatenated gzip'd tar streams, a .whl and a .nupkg are zips, a .deb is an ar archive.
 */
export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2';
export type Container = 'tar' | 'zip' | 'deb';
export type ArchiveKind = Compression | Container;

/** Bytes sniffArchive() wants: the ustar magic sits at 257. */
export const ARCHIVE_SNIFF_BYTES = 512;

const at = (b: Uint8Array, o: number, s: string) => {
  if (b.length < o + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[o + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** POSIX ustar header checksum (the chksum field counted as spaces), for tars without the ustar magic (v7). */
export function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < 512) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  const field = String.fromCharCode(...h.subarray(148, 156)).replace(/[\0 ]+$/g, '').trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

/**
 * A zstd frame (RFC 8878 3.1.1) at `o`, or skippable frames (3.1.2: magic 0x184D2A50 to 0x184D2A5F, then a 4-byte
 * length) and a zstd frame after them within the bytes sniffed: pzstd starts every file with one.
 */
function zstdAt(b: Uint8Array, o: number): boolean {
  for (let frames = 0; o + 8 <= b.length && frames < 64; frames++) {
    if (b[o] === 0x28 && b[o + 1] === 0xb5 && b[o + 2] === 0x2f && b[o + 3] === 0xfd) return true;
    if ((b[o] & 0xf0) !== 0x50 || b[o + 1] !== 0x2a || b[o + 2] !== 0x4d || b[o + 3] !== 0x18) return false;
    o += 8 + (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16)) + b[o + 7] * 2 ** 24;
  }
  return o + 4 <= b.length && b[o] === 0x28 && b[o + 1] === 0xb5 && b[o + 2] === 0x2f && b[o + 3] === 0xfd;
}

export function sniffArchive(b: Uint8Array): ArchiveKind | null {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip'; // RFC 1952 ID1 ID2
  if (b.length >= 6 && b[0] === 0xfd && at(b, 1, '7zXZ') && b[5] === 0) return 'xz'; // xz file format 2.2.1
  if (zstdAt(b, 0)) return 'zstd';
  if (at(b, 0, 'BZh') && b.length >= 4 && b[3] >= 0x31 && b[3] <= 0x39) return 'bzip2';
  // APPNOTE 4.3.7 local file header, or 4.3.16 end of central directory (an empty zip).
  if (at(b, 0, 'PK\x03\x04') || at(b, 0, 'PK\x05\x06')) return 'zip';
  // An ar archive whose first member is debian-binary (deb(5)); other ar archives are static libraries.
  if (at(b, 0, '!<arch>\n') && at(b, 8, 'debian-binary')) return 'deb';
  if (at(b, 257, 'ustar')) return 'tar';
  if (b.length >= 512 && b[0] !== 0 && tarChecksumOk(b)) return 'tar';
  return null;
}

/** An Alpine .apk: gzip'd tars, told from an Android .apk (a zip) by its kind, by its name. */
export const isAlpineApk = (kind: ArchiveKind | null, name: string): boolean => kind === 'gzip' && /\.apk$/i.test(name);

/** A package whose members' names are install paths: a .deb, or an Alpine .apk. */
export const isPackage = (kind: ArchiveKind | null, name: string): boolean => kind === 'deb' || isAlpineApk(kind, name);
