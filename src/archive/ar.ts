/**
 * ar as a stream, for .deb packages (deb(5): "!<arch>\n", then debian-binary, control.tar.*, data.tar.*). Each
 * member: a 60-byte header (name 16, mtime 12, uid 6, gid 6, mode 8, size 10, "`\n"), the body, one padding byte
 * to an even offset. GNU "//" long-name tables and BSD "#1/<n>" names are understood for completeness.
 */
import { utf8Escaped } from '../bytes/utf8.js';
import { ChunkReader, type Chunks, memberBody } from './chunks.js';
import { ArchiveError } from './errors.js';
import { archiveLimits } from './limits.js';
import type { Member, MemberStream } from './model.js';

const HEADER = 60;
const text = (b: Uint8Array) => String.fromCharCode(...b);

export async function* readAr(src: Chunks, limits = archiveLimits): MemberStream {
  const r = new ChunkReader(src);
  try {
    const magic = await r.read(8, 'ar magic');
    if (magic === null || text(magic) !== '!<arch>\n') throw new ArchiveError('corrupt', 'not an ar archive (no "!<arch>" magic)');
    let longNames: Uint8Array | null = null;
    let members = 0;
    for (;;) {
      const at = r.offset;
      const h = await r.read(HEADER, `ar member header at ${at}`);
      if (h === null) return;
      if (h[58] !== 0x60 || h[59] !== 0x0a) throw new ArchiveError('corrupt', `ar member header at ${at}: no "\`\\n" terminator`);
      if (++members > limits.maxMembers) throw new ArchiveError('limit', `more than ${limits.maxMembers} ar members`);
      const sizeText = text(h.subarray(48, 58)).trim();
      if (!/^\d+$/.test(sizeText)) throw new ArchiveError('corrupt', `ar member header at ${at}: size "${sizeText}" is not a number`);
      let size = Number(sizeText);
      const pad = size % 2;
      let raw = text(h.subarray(0, 16)).trimEnd();
      let nameBytes = h.subarray(0, 16);
      if (raw === '//') {
        if (size > limits.maxMetaBytes) throw new ArchiveError('limit', `ar long-name table of ${size} bytes`);
        longNames = (await r.read(size, 'ar long-name table'))!.slice();
        if (size % 2) await r.skip(1, 'ar padding');
        continue;
      }
      if (raw.startsWith('#1/')) {
        // BSD: the name is the first <n> bytes of the body.
        const n = Number(raw.slice(3));
        if (!Number.isSafeInteger(n) || n > size || n > limits.maxMetaBytes) {
          throw new ArchiveError('corrupt', `ar member header at ${at}: bad BSD name length`);
        }
        nameBytes = (await r.read(n, 'ar BSD name'))!.slice();
        size -= n;
        raw = '';
      } else if (/^\/\d+$/.test(raw) && longNames) {
        const off = Number(raw.slice(1));
        const end = longNames.indexOf(0x0a, off);
        nameBytes = longNames.subarray(off, end < 0 ? longNames.length : end);
      } else {
        const z = nameBytes.indexOf(0x20);
        nameBytes = nameBytes.subarray(0, z < 0 ? 16 : z);
      }
      let name = utf8Escaped(nameBytes);
      if (name.endsWith('/') && name !== '/') name = name.slice(0, -1); // GNU terminates names with "/"
      const b = memberBody(r, size, `ar member ${name}`);
      const member: Member = { name, kind: 'file', size, body: b.body };
      yield member;
      await r.skip(size - (await b.done()) + pad, `ar member ${name}`);
    }
  } finally {
    await r.close();
  }
}
