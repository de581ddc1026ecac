/**
 * Archives as entries, in one streaming pass: containers and compressions nest to a bounded depth, members are named
 * `outer.tgz!inner/path` (nested: `a.tgz!b.whl!lib/x.so`), and only members whose first bytes are a binary or an
 * archive are read further — binaries buffered (up to a member limit), stream containers inside stream containers
 * read on the fly, zips buffered for their central directory. Everything an archive says about itself is data:
 * `../` and absolute names, links, devices and duplicates are reported, never obeyed, and nothing is written
 * anywhere. Decompressors come from the edge (node:zlib in Node, DecompressionStream in a browser).
 */
import type { ByteSource } from '../bytes/source.js';
import { MemorySource } from '../bytes/source.js';
import { plausible, sniff } from '../formats/detect.js';
import { type Budget, type Chunks, bounded, concat, counted, rangeChunks } from './chunks.js';
import { ARCHIVE_SNIFF_BYTES, type ArchiveKind, type Compression, isAlpineApk, sniffArchive } from './detect.js';
import { ArchiveError, type ArchiveErrorCode, isArchiveError } from './errors.js';
import { archiveLimits, type ArchiveLimits } from './limits.js';
import type { Member, MemberStream } from './model.js';
import { readAr } from './ar.js';
import { readTar } from './tar.js';
import type { HoleBudget } from './tar-sparse.js';
import { readZip, type ZipCodecs } from './zip.js';

/**
 * The platform's decoders (and the zip reader's codecs: raw deflate, whole-member inflate, CRC-32). A decoder whose
 * output has a `consumed()` method is asked it for the bomb ratio instead of counting what it has pulled.
 */
export interface Decompressors extends ZipCodecs {
  /** `size`: the compressed stream's length when the container says it (a file's size, a tar member's). */
  gzip?: (input: Chunks, size?: number) => Chunks;
  xz?: (input: Chunks, size?: number) => Chunks;
  zstd?: (input: Chunks, size?: number) => Chunks;
  bzip2?: (input: Chunks, size?: number) => Chunks;
}

import type { ArchiveNoteCode as NoteCode } from '../facts/types.js';

export type Entry =
  /** A member (or file) to inspect: its bytes are in `source`. `inner`: the path inside the innermost archive. */
  | { kind: 'binary'; path: string; inner: string | null; source: ByteSource; named?: boolean; close?: () => void }
  /** `bytes`: a small non-binary member the caller asked to keep (WalkOptions.keep). */
  | { kind: 'skipped'; path: string; bytes?: Uint8Array }
  | { kind: 'link'; path: string; target: string; link: 'symlink' | 'hardlink'; inTree: boolean; broken?: 'dangling' | 'loop' }
  | { kind: 'note'; path: string; code: NoteCode; target?: string }
  | { kind: 'error'; path: string; code: 'io' | ArchiveErrorCode; message: string };

export interface ArchiveInput {
  /** The archive as shown (`dist/app.tgz`, or `a.tgz!b.whl` when nested). */
  path: string;
  kind: ArchiveKind;
  /** Random access (a file on disk, a buffered member): zips need it. */
  source?: ByteSource;
  /** The bytes as a stream (for stream containers, when there is no source). */
  stream?: () => Chunks;
  /** How many bytes the stream holds, when known (a file on disk, a tar or zip member). */
  size?: number;
}

export interface WalkOptions {
  decompressors: Decompressors;
  limits?: ArchiveLimits;
  /**
   * Non-binary members (by name as stored) whose bytes the caller needs — a sysroot archive's ld.so.conf, musl's path
   * file — kept up to maxMetaBytes each; larger ones are skipped like any other.
   */
  keep?: (name: string) => boolean;
}

interface Ctx {
  dec: Decompressors; limits: ArchiveLimits; budget: Budget; depth: number; keep?: (name: string) => boolean;
  /** Zeros the sparse members of every tar of this input may still expand to (tar-sparse.ts MAX_HOLE_BYTES). */
  holes: HoleBudget;
  /**
   * The members are install paths (a .deb's data.tar, an Alpine .apk): a link to an absolute path is one dpkg or apk
   * installs as it is, into the system the package goes on (/usr/bin/x -> /etc/alternatives/x, a unit masked by a
   * link to /dev/null), not one that escapes an unpack directory. Such a link is listed, with no link-escapes note.
   */
  installed?: true;
}

const SEP = '!';
/** A .deb's member holding the package's files (deb(5): data.tar, data.tar.gz, .xz, .zst, .bz2, .lzma). */
const DATA_TAR = /^data\.tar(\.|$)/;

/** `head` then the rest of `rest`, as one stream. */
async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array>): Chunks {
  try {
    if (head.length) yield head;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // Stopped early (a member sniffed and passed over), the stream underneath stops too: left suspended, a decoder
    // keeps what it holds (an xz WASM instance, a thread). A decoder stopped mid-stream may complain of it
    // (unbzip2-stream: "Premature close"); nothing of it is read any more.
    try {
      await rest.return?.();
    } catch {
      // Its complaint is about being stopped, not about the member.
    }
  }
}

/** The first `n` bytes of a stream (fewer if it is shorter) and the whole stream again. */
async function peek(src: Chunks, n: number): Promise<{ head: Uint8Array; all: Chunks; it: AsyncIterator<Uint8Array> }> {
  const it = src[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
    have += r.value.length;
  }
  const head = concat(parts, have);
  return { head: head.subarray(0, Math.min(n, head.length)), all: prepend(head, it), it };
}

/**
 * A whole stream in memory, refusing more than `max` bytes as they arrive. With the size known (a tar or zip member),
 * the buffer is allocated once and filled as chunks come, so a member costs its own size in memory, not twice that.
 * A member over the limit is that member's error (`local`): its container passes over the rest of it and reads on.
 * The limit errors do not name the member: the entry they become does (the path said twice read "x.tar!big: x.tar!big:").
 */
async function buffer(src: Chunks, max: number, what: string, expected?: number): Promise<Uint8Array> {
  if (expected !== undefined && expected > max) throw new ArchiveError('limit', `${expected} bytes, over the limit of ${max} for one member`, true);
  if (expected !== undefined) {
    const out = new Uint8Array(expected);
    let n = 0;
    for await (const c of src) {
      if (n + c.length > expected) throw new ArchiveError('corrupt', `${what}: more bytes than the ${expected} its header states`);
      out.set(c, n);
      n += c.length;
    }
    if (n !== expected) throw new ArchiveError('truncated', `${what}: ${n} of the ${expected} bytes its header states (truncated)`);
    return out;
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of src) {
    n += c.length;
    if (n > max) throw new ArchiveError('limit', `more than ${max} bytes, over the limit for one member`, true);
    parts.push(c.slice());
  }
  return concat(parts, n);
}

/**
 * Does a member's name point outside the place it is unpacked into? Judged on its bytes where the container gives
 * them: the name as text writes a byte that is not UTF-8 as `\xNN`, which must not read as a leading backslash.
 */
function nameProblem(name: string, bytes?: Uint8Array): NoteCode | null {
  const text = bytes ? String.fromCharCode(...bytes.subarray(0, 2)) : name.slice(0, 2);
  if (text.startsWith('/') || text.startsWith('\\') || /^[A-Za-z]:/.test(text)) return 'absolute-name';
  const segments = bytes ? latin1Segments(bytes) : name.split(/[/\\]/);
  if (segments.includes('..')) return 'traversal';
  return null;
}

/** A name's `/`- and `\`-separated segments, each byte one character (only `..` is looked for). */
function latin1Segments(b: Uint8Array): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === 0x2f || b[i] === 0x5c) {
      out.push(i - from === 2 && b[from] === 0x2e && b[from + 1] === 0x2e ? '..' : '');
      from = i + 1;
    }
  }
  return out;
}

/**
 * The file a member's name extracts to: `./usr/bin/x`, `usr//bin/x` and `usr/./bin/x` are all `usr/bin/x` to tar and
 * unzip, so two of them are duplicates. `..` is kept (it is reported as traversal, and is not the same file).
 */
function extractedAs(name: string): string {
  return name.split('/').filter((seg) => seg !== '' && seg !== '.').join('/');
}

/** Where a link in an archive resolves, relative to the archive's root: null when it leaves it. */
function linkInside(name: string, target: string, hard: boolean): boolean {
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target)) return false;
  const parts = hard ? [] : name.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') { if (!parts.length) return false; parts.pop(); } else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return true;
}

function decompressor(ctx: Ctx, kind: ArchiveKind): ((c: Chunks, size?: number) => Chunks) | null {
  switch (kind) {
    case 'gzip': return ctx.dec.gzip ?? null;
    case 'xz': return ctx.dec.xz ?? null;
    case 'zstd': return ctx.dec.zstd ?? null;
    case 'bzip2': return ctx.dec.bzip2 ?? null;
    default: return null;
  }
}

/** The entries of one archive, in stream order. Never throws for what the archive holds: errors are entries. */
export async function* walkArchive(input: ArchiveInput, opts: WalkOptions): AsyncGenerator<Entry> {
  const limits = opts.limits ?? archiveLimits;
  // An Alpine .apk: gzip'd tars (an Android .apk is a zip) of install paths.
  const installed = isAlpineApk(input.kind, input.path) ? { installed: true as const } : {};
  const max = limits.maxHoleBytes;
  const holes = { left: max, total: max };
  yield* walkIn(input, { dec: opts.decompressors, limits, budget: { total: limits.maxTotalBytes }, depth: 1, keep: opts.keep, holes, ...installed });
}

const streamOf = (input: ArchiveInput): Chunks =>
  input.stream ? input.stream() : rangeChunks((o, n) => input.source!.read(o, n), 0, input.source!.size);

/** A compressed stream: decompressed (bounded as it goes), then a tar inside, or one compressed file. */
async function decompressed(input: ArchiveInput, ctx: Ctx, kind: Compression): Promise<MemberStream> {
  const dec = decompressor(ctx, kind);
  if (!dec) throw new ArchiveError('unsupported', `${kind} decompression is not available here`);
  const inCount = counted(streamOf(input));
  const decoded = dec(inCount.chunks, input.source?.size ?? input.size) as Chunks & { consumed?: () => number };
  // A decoder that reads ahead of what it has decoded (on another thread) says itself how much input its output took.
  const consumed = typeof decoded.consumed === 'function' ? decoded.consumed.bind(decoded) : inCount.count;
  const out = bounded(decoded, consumed, { max: ctx.limits.maxStreamBytes, ratio: ctx.limits.maxRatio }, ctx.budget, kind);
  const { head, all } = await peek(out, ARCHIVE_SNIFF_BYTES);
  if (sniffArchive(head) === 'tar') return readTar(all, ctx.limits, ctx.holes);
  // A compressed single file (app.gz, a compressed zip): one member, named after the archive.
  const base = input.path.slice(input.path.lastIndexOf(SEP) + 1).split('/').pop()!.replace(/\.(t?gz|xz|zst|bz2|z)$/i, '') || 'data';
  return (async function* (): MemberStream {
    yield { name: base, kind: 'file', size: -1, body: () => all };
  })();
}

/** One line per container or compression: how its members are read. */
const CONTAINERS: Record<ArchiveKind, (input: ArchiveInput, ctx: Ctx) => Promise<MemberStream>> = {
  gzip: (i, c) => decompressed(i, c, 'gzip'),
  xz: (i, c) => decompressed(i, c, 'xz'),
  zstd: (i, c) => decompressed(i, c, 'zstd'),
  bzip2: (i, c) => decompressed(i, c, 'bzip2'),
  tar: async (i, c) => readTar(streamOf(i), c.limits, c.holes),
  deb: async (i, c) => readAr(streamOf(i), c.limits),
  // A zip is read by its central directory at the end: positionally from the file, or from the buffered member.
  zip: async (i, c) => {
    const src = i.source ?? new MemorySource(await buffer(streamOf(i), c.limits.maxMemberBytes, i.path), i.path);
    return readZip(src, c.dec, c.limits);
  },
};

async function* walkIn(input: ArchiveInput, ctx: Ctx): AsyncGenerator<Entry> {
  const tree = new Tree();
  try {
    const members = await CONTAINERS[input.kind](input, ctx);
    const seen = new Set<string>();
    let data = false;
    for await (const m of members) {
      data ||= input.kind === 'deb' && DATA_TAR.test(m.name);
      tree.add(m);
      for await (const e of member(input, m, seen, ctx)) {
        if (e.kind === 'link' && (m.kind === 'symlink' || m.kind === 'hardlink')) tree.held.push({ name: m.name, entry: e });
        else yield e;
      }
    }
    // A package's files are in its data.tar: without one, it must not pass as a package with no binaries (dpkg-deb
    // refuses it: "unexpected end of file ... while looking for data.tar").
    if (input.kind === 'deb' && !data) {
      yield { kind: 'error', path: input.path, code: 'corrupt', message: 'a .deb with no data.tar member: the package has no files to read' };
    }
  } catch (e) {
    // Not every member was seen: whether a link resolves is not known, and it is listed as it is.
    for (const h of tree.held) yield h.entry;
    yield { kind: 'error', path: input.path, code: isArchiveError(e) ? e.code : 'corrupt', message: describe(e) };
    return;
  }
  yield* tree.resolved(ctx.installed === true);
}

/**
 * An archive's members by the name they extract to, and its links, held until its end: only then is it known whether
 * a symlink resolves within the archive (a symlink may come before its target). A symlink that stays inside is
 * marked `dangling` when what it names (or a directory on the way) is no member, `loop` when following links does
 * not end (40 of them, Linux's MAXSYMLINKS). In a package (a .deb's data.tar, an Alpine .apk) a target may be in
 * another package (a -dev package's libfoo.so -> libfoo.so.1): only loops are marked there.
 */
class Tree {
  readonly held: { name: string; entry: Extract<Entry, { kind: 'link' }> }[] = [];
  private readonly names = new Set<string>();
  private readonly links = new Map<string, string>();

  add(m: Member): void {
    const as = extractedAs(m.name);
    // Every directory on the way is one, whether the archive has an entry for it or not (tar cf x.tar usr/bin/x).
    const segs = as.split('/');
    for (let i = 1; i <= segs.length; i++) this.names.add(segs.slice(0, i).join('/'));
    if (m.kind === 'symlink' && m.target !== undefined) this.links.set(as, m.target);
  }

  *resolved(installed: boolean): Generator<Entry> {
    for (const { name, entry } of this.held) {
      const broken = entry.link === 'symlink' && entry.inTree ? this.broken(name, entry.target) : undefined;
      yield broken && (broken === 'loop' || !installed) ? { ...entry, broken } : entry;
    }
  }

  /** Follows a symlink within the archive, one segment at a time as the kernel does; undefined where it leaves it. */
  private broken(name: string, target: string): 'dangling' | 'loop' | undefined {
    const at = extractedAs(name).split('/').slice(0, -1);
    const todo = target.split('/');
    let hops = 0;
    while (todo.length) {
      const seg = todo.shift()!;
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (!at.length) return undefined;
        at.pop();
        continue;
      }
      at.push(seg);
      const here = at.join('/');
      const next = this.links.get(here);
      if (next !== undefined) {
        if (++hops > 40) return 'loop';
        if (next.startsWith('/')) return undefined;
        at.pop();
        todo.unshift(...next.split('/'));
      } else if (!this.names.has(here)) return 'dangling';
    }
    return undefined;
  }
}

/** The decompressors' own errors ("unexpected end of file") say what broke; ArchiveErrors say it already. */
function describe(e: unknown): string {
  if (isArchiveError(e)) return e.reason;
  // A TypeError or RangeError is what some code tripped on, not what is wrong with the archive: said as such, once,
  // without its text ("Cannot read properties of null", "Maximum call stack size exceeded").
  // V8's own RangeError when memory runs out is not the archive's fault: said as such.
  if (e instanceof RangeError && /allocation failed|Invalid array buffer length|Array buffer allocation/i.test(e.message)) {
    return 'not read: this machine could not give the memory to read it (out of memory)';
  }
  if (e instanceof TypeError || e instanceof RangeError) return 'corrupt: not read further (linkplan could not follow its structure)';
  const msg = e instanceof Error ? e.message : String(e);
  return /unexpected end|truncat|premature/i.test(msg) ? `truncated: ${msg}` : `corrupt: ${msg}`;
}

async function* member(input: ArchiveInput, m: Member, seen: Set<string>, ctx: Ctx): AsyncGenerator<Entry> {
  const path = `${input.path}${SEP}${m.name}`;
  for (const p of m.problems ?? []) yield { kind: 'note', path, code: p.includes('encrypted') ? 'encrypted' : 'zip-mismatch', target: p };
  const bad = nameProblem(m.name, m.nameBytes);
  if (bad) yield { kind: 'note', path, code: bad };
  if (m.kind !== 'directory') {
    const as = extractedAs(m.name);
    if (seen.has(as)) yield { kind: 'note', path, code: 'duplicate' };
    seen.add(as);
  }
  switch (m.kind) {
    case 'directory': return;
    case 'symlink': case 'hardlink': {
      // A link whose target was not read (over the limit, encrypted, its data not found) is not a link to "": what
      // it points at is unknown, so it cannot pass as one that stays inside the tree.
      if (m.target === undefined) {
        const why = m.targetError?.reason ?? (m.problems?.length ? m.problems.join('; ') : 'its link target could not be read');
        yield { kind: 'error', path, code: m.targetError?.code ?? 'corrupt', message: why };
        return;
      }
      const target = m.target;
      const inTree = linkInside(m.name, target, m.kind === 'hardlink');
      yield { kind: 'link', path, target, link: m.kind, inTree };
      const installs = ctx.installed && m.kind === 'symlink' && target.startsWith('/');
      if (!inTree && !installs) yield { kind: 'note', path, code: 'link-escapes', target };
      return;
    }
    case 'char-device': case 'block-device': case 'fifo':
      yield { kind: 'note', path, code: 'device', target: m.kind };
      return;
    default: break;
  }
  if (m.problems?.some((p) => p.includes('encrypted') || p.includes('run past') || p.includes('no local header') || p.includes('outside the file'))) {
    yield { kind: 'error', path, code: 'corrupt', message: m.problems.join('; ') };
    return;
  }
  // The member's body, stopped when the member ends in an error its container reads on past.
  let opened: AsyncIterator<Uint8Array> | undefined;
  try {
    // A zip member inflates inside the container: the same ratio and budget limits as a compressed stream (named
    // "deflate" in their message: the entry names the member).
    const body = m.packedSize !== undefined
      ? bounded(m.body(), () => m.packedSize!, { max: ctx.limits.maxStreamBytes, ratio: ctx.limits.maxRatio }, ctx.budget, 'deflate')
      : m.body();
    const { head, all, it } = await peek(body, ARCHIVE_SNIFF_BYTES);
    opened = it;
    const fmt = sniff(head);
    const arc = fmt === null ? sniffArchive(head) : null;
    if (fmt !== null) {
      const bytes = await buffer(all, ctx.limits.maxMemberBytes, path, m.size >= 0 ? m.size : undefined);
      const source = new MemorySource(bytes, path);
      if (!plausible(source, fmt)) { yield { kind: 'skipped', path }; return; }
      yield { kind: 'binary', path, inner: m.name, source };
      return;
    }
    if (arc !== null) {
      if (ctx.depth >= ctx.limits.maxDepth) {
        await it.return?.();
        yield { kind: 'note', path, code: 'too-deep', target: String(ctx.limits.maxDepth) };
        return;
      }
      const nested: ArchiveInput = arc === 'zip'
        ? { path, kind: arc, source: new MemorySource(await buffer(all, ctx.limits.maxMemberBytes, path, m.size >= 0 ? m.size : undefined), path) }
        : { path, kind: arc, stream: () => all, ...(m.size >= 0 ? { size: m.size } : {}) };
      // A .deb's data.tar holds install paths; an archive inside those files does not.
      const { installed: _outer, ...inner } = ctx;
      const pkg = (input.kind === 'deb' && DATA_TAR.test(m.name)) || isAlpineApk(arc, m.name);
      const installs = pkg ? { installed: true as const } : {};
      yield* walkIn(nested, { ...inner, depth: ctx.depth + 1, ...installs });
      return;
    }
    if (input.kind === 'deb' && DATA_TAR.test(m.name)) {
      // A package's files are in its data.tar: one this walk cannot open must not pass as a package with no binaries.
      // A tar of nothing but its end (zero blocks) holds no files, and dpkg takes it.
      await it.return?.();
      if (head.every((b) => b === 0)) return;
      const message = 'neither a tar nor gzip, xz, zstd or bzip2 (lzma is not read): the package\'s files were not read';
      yield { kind: 'error', path, code: 'unsupported', message };
      return;
    }
    if (ctx.keep?.(m.name) && m.size >= 0 && m.size <= ctx.limits.maxMetaBytes) {
      yield { kind: 'skipped', path, bytes: await buffer(all, ctx.limits.maxMetaBytes, path, m.size) };
      return;
    }
    await it.return?.();
    yield { kind: 'skipped', path };
  } catch (e) {
    // A member's own error (a zip member's CRC, a tar member's bad sparse map, a binary over the member limit) leaves
    // the others readable: the container passes over what is left of it. A stream error (a bomb, a cut or corrupt
    // stream) ends the container, which walkIn reports on rethrow: once, not for the member and again for the stream.
    if (isArchiveError(e) && (input.kind === 'zip' || e.local)) {
      yield { kind: 'error', path, code: e.code, message: e.reason };
      try {
        await opened?.return?.();
      } catch {
        // Its complaint is about being stopped, not about the member.
      }
      return;
    }
    throw e;
  }
}
