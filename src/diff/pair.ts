/**
 * Pairing the binaries of two builds: by path inside each input, normalized so the same file of two releases has
 * the same key (the input's own name, a version-bearing first folder, `--strip N` leading components, `--map`
 * renames), then by linkage fingerprint for what is left, so a binary that only moved is not removed + added.
 */
import type { BinaryResult } from '../facts/types.js';
import { isFailed } from '../facts/types.js';
import { fingerprint } from './changes.js';

export interface PairOptions {
  /** The path each side was named by: stripped from its members (`old.tgz!`, `build-a/`). */
  oldRoot?: string;
  newRoot?: string;
  /** Leading path components to drop after the version folder. */
  strip?: number;
  /** Renames: an old key equal to `from`, or under `from/`, is paired as `to`. */
  map?: readonly (readonly [string, string])[];
  /** The side is a package (isPackage: a .deb, an Alpine .apk): its members' names are install paths. */
  oldPackage?: boolean;
  newPackage?: boolean;
}

/**
 * A first folder that carries a release's version, stripped so `tool-1.2.3/bin/x` pairs with `tool-1.3.0/bin/x`:
 * npm's `package/`, or a name whose version follows a `-`/`_` or stands alone (`1.2.3`, `v2.0`, `tool-v1.2.3-linux`).
 * `python3.11/` keeps its name: no separator before the number.
 */
const VERSION_FOLDER = /^(?:package|(?:[A-Za-z0-9.+]+(?:[-_][A-Za-z0-9.+]+)*?[-_])?v?\d+(?:\.\d+)+(?:[-_.+][A-Za-z0-9._+-]*)?)$/;

export const isVersionFolder = (name: string) => VERSION_FOLDER.test(name);

/** A tar's compression suffix: a .deb's data.tar.xz and data.tar.zst are one member, rebuilt with another compressor. */
const TAR_COMPRESSED = /\.(?:tar\.(?:gz|xz|zst|bz2|lzma)|tgz|txz|tzst|tbz2?)$/i;
/**
 * A version in a name: after a `-`/`_` or at its start, digits and dots, what follows them up to the next `-`/`_`
 * (1.9.13p3, 1.2.3rc1, +deb12u1), and revisions after a `-` (Debian's -1, Alpine's -r2); python3.11 keeps its own.
 */
const NAME_VERSION = /(^|[-_])v?\d+(?:\.\d+)+[A-Za-z0-9.+~]*(?:-r?\d+[A-Za-z0-9.+~]*)*/g;

/**
 * The name of an archive on the way to a member, as the pairing key has it: its version written `*` and its tar
 * compression as `.tar`, so a release's tool-1.2.3-linux.tar.gz pairs with tool-1.2.4-linux.tar.xz and a .deb's
 * data.tar.xz with data.tar.zst. The folders before it are kept.
 */
export function archiveKeyName(segment: string): string {
  const slash = segment.lastIndexOf('/');
  const dir = segment.slice(0, slash + 1);
  let name = segment.slice(slash + 1);
  if (name === '') return segment;
  name = name.replace(TAR_COMPRESSED, '.tar');
  const ext = /\.(?:tar|zip|whl|deb|apk|crate|nupkg|jar|vsix|aar)$/i.exec(name)?.[0] ?? '';
  return dir + name.slice(0, name.length - ext.length).replace(NAME_VERSION, '$1*') + ext;
}

/** The part of `path` inside `root` (the input as named): after `root!` or `root/`; a file named itself is its base name. */
export function relativeToRoot(path: string, root: string | undefined): string {
  if (root === undefined || root === '') return path;
  const r = root.replace(/\/+$/, '');
  if (path === r) return r.slice(r.lastIndexOf('/') + 1);
  for (const sep of ['!', '/']) if (path.startsWith(r + sep)) return path.slice(r.length + 1);
  return path;
}

/** A .deb's data archive, the first member on the way to its files. */
const DEB_DATA = /^data\.tar(?:\.[A-Za-z0-9]+)?!/;

/**
 * The pairing key of one path: see the module comment. Archive members keep their archive's name (`a.zip!x`), but
 * for a package's (`pkg`) data archive: a .deb's files are its `data.tar.*!` members' install paths, as dpkg-deb -x
 * lays them out, so the package pairs with its extracted tree (as resolve and audit place them).
 */
export function pairKey(path: string, root: string | undefined, strip = 0, map: PairOptions['map'] = [], loose = false, pkg = false): string {
  let p = relativeToRoot(path, root);
  if (pkg && path !== root) p = p.replace(DEB_DATA, '');
  // Only the innermost member path is a release's folder layout; the archive names before it are kept (`loose`: but
  // for their version and compression, archiveKeyName: tool-1.2.3-linux.tar.gz as tool-1.2.4-linux.tar.xz).
  const bang = p.lastIndexOf('!');
  const head = bang < 0 ? '' : loose ? p.slice(0, bang + 1).split('!').map(archiveKeyName).join('!') : p.slice(0, bang + 1);
  let parts = (bang >= 0 ? p.slice(bang + 1) : p).split('/').filter((s) => s !== '' && s !== '.');
  if (parts.length > 1 && isVersionFolder(parts[0])) parts = parts.slice(1);
  if (strip > 0) parts = parts.length > strip ? parts.slice(strip) : parts.slice(-1);
  p = head + parts.join('/');
  for (const [from, to] of map) {
    if (p === from) return to;
    if (p.startsWith(`${from}/`)) return to + p.slice(from.length);
  }
  return p;
}

export interface Pairing {
  /** Paired by key (or, for two single files, with each other). */
  pairs: { key: string; old: BinaryResult; new: BinaryResult }[];
  /** `oldName`: the old binary's key before --map, the path a user knows it by. */
  moved: { oldKey: string; oldName: string; key: string; old: BinaryResult; new: BinaryResult }[];
  /**
   * `name`: the key before --map (a removed binary is named as the old build had it). `hiddenBy`, here and in
   * `added`: a file of the other side that could not be read and may hold it (a truncated archive, an input that
   * is no binary), so it is not known to be gone, or new.
   */
  removed: { key: string; name: string; old: BinaryResult; hiddenBy?: BinaryResult }[];
  added: { key: string; new: BinaryResult; hiddenBy?: BinaryResult }[];
  /** Archive members a later member of the same name replaces when extracted: not compared. */
  shadowed: { side: 'old' | 'new'; path: string }[];
}

interface Keyed {
  byKey: Map<string, BinaryResult>;
  /** Each key's name before --map: what messages and allow entries see, since --map only steers the pairing. */
  names: Map<string, string>;
  shadowed: BinaryResult[];
}

/**
 * Keys for one side. Two files whose normalized keys collide (two archives in one directory, both with
 * `package/bin/x`) fall back to their paths relative to the input, so neither is lost. Two members of one name
 * (a tar appended to) are one file once extracted: tar x keeps the last, so the last is the one paired.
 */
function keyed(all: readonly BinaryResult[], root: string | undefined, o: PairOptions, old: boolean): Keyed {
  const pkg = (old ? o.oldPackage : o.newPackage) ?? false;
  const last = new Map<string, number>();
  all.forEach((r, i) => last.set(r.path, i));
  const rs = all.filter((r, i) => last.get(r.path) === i);
  const keys = rs.map((r) => pairKey(r.path, root, o.strip, old ? o.map : [], false, pkg));
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const out: Keyed = { byKey: new Map(), names: new Map(), shadowed: all.filter((r, i) => last.get(r.path) !== i) };
  rs.forEach((r, i) => {
    const collides = count.get(keys[i])! > 1;
    let k = collides ? relativeToRoot(r.path, root) : keys[i];
    while (out.byKey.has(k)) k = `${k}#${i}`;
    out.byKey.set(k, r);
    out.names.set(k, collides || !old || !o.map?.length ? k : pairKey(r.path, root, o.strip, [], false, pkg));
  });
  return out;
}

const base = (k: string) => k.slice(Math.max(k.lastIndexOf('/'), k.lastIndexOf('!')) + 1);

export function pairResults(olds: readonly BinaryResult[], news: readonly BinaryResult[], o: PairOptions = {}): Pairing {
  const out: Pairing = { pairs: [], moved: [], removed: [], added: [], shadowed: [] };
  // Two files named on the command line are the two builds of one binary, whatever they are called.
  if (olds.length === 1 && news.length === 1 && olds[0].path === o.oldRoot && news[0].path === o.newRoot) {
    out.pairs.push({ key: pairKey(news[0].path, o.newRoot), old: olds[0], new: news[0] });
    return out;
  }
  const ka = keyed(olds, o.oldRoot, o, true), kb = keyed(news, o.newRoot, o, false), a = ka.byKey, b = kb.byKey;
  for (const [side, k] of [['old', ka], ['new', kb]] as const) for (const r of k.shadowed) out.shadowed.push({ side, path: r.path });
  const nameOf = (k: string) => ka.names.get(k) ?? k;
  const lonelyOld: [string, BinaryResult][] = [];
  for (const [k, r] of a) {
    const n = b.get(k);
    if (n) out.pairs.push({ key: k, old: r, new: n });
    else lonelyOld.push([k, r]);
  }
  let lonelyNew = [...b].filter(([k]) => !a.has(k));
  // Then, of what is left, what pairs once the archives on the way lose their versions and compression (a folder of
  // release tarballs, a .deb rebuilt with another compressor): only where one old and one new share such a key, so
  // an archive present on both sides under its own name has paired above, and two versions on one side pair neither.
  const looseOf = (rs: [string, BinaryResult][], root: string | undefined, old: boolean) => {
    const m = new Map<string, [string, BinaryResult][]>();
    for (const e of rs) {
      const k = pairKey(e[1].path, root, o.strip, old ? o.map : [], true, (old ? o.oldPackage : o.newPackage) ?? false);
      m.set(k, [...(m.get(k) ?? []), e]);
    }
    return m;
  };
  const looseOld = looseOf(lonelyOld, o.oldRoot, true), looseNew = looseOf(lonelyNew, o.newRoot, false);
  const pairedOld = new Set<string>(), pairedNew = new Set<string>();
  for (const [k, os] of looseOld) {
    const ns = looseNew.get(k);
    if (os.length !== 1 || ns?.length !== 1) continue;
    out.pairs.push({ key: ns[0][0], old: os[0][1], new: ns[0][1] });
    pairedOld.add(os[0][0]); pairedNew.add(ns[0][0]);
  }
  if (pairedOld.size) {
    lonelyOld.splice(0, lonelyOld.length, ...lonelyOld.filter(([k]) => !pairedOld.has(k)));
    lonelyNew = lonelyNew.filter(([k]) => !pairedNew.has(k));
  }
  // Moved: the same linkage under another key. Within one fingerprint, a same-named file is the match; otherwise
  // only a one-to-one fingerprint pairs (three identical static binaries and one new one is not a move).
  const byPrint = new Map<string, { olds: [string, BinaryResult][]; news: [string, BinaryResult][] }>();
  const group = (r: BinaryResult) => {
    const f = fingerprint(r);
    let g = byPrint.get(f);
    if (!g) byPrint.set(f, (g = { olds: [], news: [] }));
    return g;
  };
  for (const e of lonelyOld) if (!isFailed(e[1])) group(e[1]).olds.push(e);
  for (const e of lonelyNew) if (!isFailed(e[1])) group(e[1]).news.push(e);
  const movedOld = new Set<string>(), movedNew = new Set<string>();
  for (const g of byPrint.values()) {
    for (const [ok, or] of g.olds) {
      const same = g.news.filter(([nk]) => !movedNew.has(nk) && base(nk) === base(ok));
      if (same.length === 1) {
        out.moved.push({ oldKey: ok, oldName: nameOf(ok), key: same[0][0], old: or, new: same[0][1] });
        movedOld.add(ok); movedNew.add(same[0][0]);
      }
    }
    const ro = g.olds.filter(([k]) => !movedOld.has(k)), rn = g.news.filter(([k]) => !movedNew.has(k));
    if (ro.length === 1 && rn.length === 1) {
      out.moved.push({ oldKey: ro[0][0], oldName: nameOf(ro[0][0]), key: rn[0][0], old: ro[0][1], new: rn[0][1] });
      movedOld.add(ro[0][0]); movedNew.add(rn[0][0]);
    }
  }
  const hidOld = hider(b, o.newRoot, o.oldRoot, o.newPackage), hidNew = hider(a, o.oldRoot, o.newRoot, o.oldPackage);
  for (const [k, r] of lonelyOld) {
    if (movedOld.has(k)) continue;
    const by = isFailed(r) ? undefined : hidOld(k, r);
    out.removed.push({ key: k, name: nameOf(k), old: r, ...(by ? { hiddenBy: by } : {}) });
  }
  for (const [k, r] of lonelyNew) {
    if (movedNew.has(k)) continue;
    const by = isFailed(r) ? undefined : hidNew(k, r);
    out.added.push({ key: k, new: r, ...(by ? { hiddenBy: by } : {}) });
  }
  return out;
}

/**
 * The unreadable file of one side (`side`, read from `root`) that may hold a binary of the other side (its key `k`,
 * read from `otherRoot`), or undefined: the input itself (what a read that stopped early reports), a package's
 * data archive (all its files are in it), or an archive on the way to the binary's path.
 */
function hider(side: Map<string, BinaryResult>, root: string | undefined, otherRoot: string | undefined, pkg = false) {
  const whole = (r: BinaryResult) => r.path === root || (pkg && DEB_DATA.test(`${relativeToRoot(r.path, root)}!`));
  const scopes = [...side].filter(([, r]) => isFailed(r))
    .map(([key, r]) => ({ r, all: whole(r), key: `${key}!`, rel: `${relativeToRoot(r.path, root)}!` }));
  return (k: string, r: BinaryResult): BinaryResult | undefined => {
    const rel = relativeToRoot(r.path, otherRoot);
    return scopes.find((x) => x.all || k.startsWith(x.key) || rel.startsWith(x.rel))?.r;
  };
}
