import type { ByteSource } from '../bytes/source.js';
import { limits } from '../bytes/limits.js';
import { bytesAt, byteFinder, type Finder, latin1Bytes } from '../bytes/search.js';
import { latin1 } from '../bytes/text.js';

/** A byte range of the file to scan (a read-only data section or segment), named for evidence. */
export interface ScanRegion {
  name: string;
  offset: number;
  size: number;
}

export interface ScanResult {
  /** Per pattern (same order as given): distinct matched texts (whole match), at most limits.maxScanMatches. */
  matches: string[][];
  /** The region each first match was found in. */
  where: (string | null)[];
  scanned: number;
  /** The per-file cap stopped the scan: a pattern not found proves nothing. */
  truncated: boolean;
}

/** Escapes that stand for a class, an assertion or a character rather than the character after the backslash. */
const SPECIAL_ESCAPES = new Set('dDwWsSbBnrtvfpP');
/**
 * Escapes followed by operands (\x41, \u0041, \u{41}, \cJ, \k<name>, a backreference or a legacy octal \012):
 * what follows them is not literal text, and reading it so would give a needle no match contains.
 */
const OPERAND_ESCAPES = new Set('xuck0123456789');

/**
 * A literal that every match of `re` contains, or null: the longest run of plain characters at the top level of its
 * source (outside groups and classes, not under a quantifier), when the source has no top-level alternation.
 * Conservative: a flag other than g, m, s, u, y (i above all), a brace that is not a quantifier, an escape with
 * operands, or no run of 3 characters or more gives null, and the regex is run on every chunk.
 */
export function needleOf(re: RegExp): string | null {
  if (!/^[gmsuy]*$/.test(re.flags)) return null;
  const src = re.source;
  let best = '', run = '', depth = 0;
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    let literal: string | null = null;
    if (c === '\\') {
      const e = src[++i];
      if (e === undefined || OPERAND_ESCAPES.has(e)) return null;
      if (!SPECIAL_ESCAPES.has(e)) literal = e;
    } else if (c === '[') {
      // A class: skip to its closing bracket (escapes inside it included).
      for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      if (i >= src.length) return null;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|') {
      if (depth === 0) return null;
    } else if (c === '{') {
      // A quantifier ({2}, {1,2}, {1,}). A brace that is not one is a literal this reading does not follow: give up.
      const q = /^\{\d+(,\d*)?\}/.exec(src.slice(i, i + 24));
      if (!q) return null;
      i += q[0].length - 1;
    } else if (c !== '*' && c !== '+' && c !== '?' && c !== '.' && c !== '^' && c !== '$') literal = c;
    if (literal !== null && depth === 0) {
      // A literal under a quantifier is not a fixed part of the match: the run ends before it.
      const next = src[i + 1];
      if (next === '*' || next === '+' || next === '?' || next === '{') end();
      else run += literal;
    } else end();
  }
  end();
  return best.length >= 3 ? best : null;
}

/** A regex read as a sequence: a character, any one of a set (a class, `.`, `\d`), or a group, each with its count. */
type Atom = { min: number; max: number } & ({ kind: 'char'; ch: string } | { kind: 'set' } | { kind: 'group'; seq: Atom[] });

/**
 * `source` as atoms, or null where it holds what a window of the text could not decide alike: alternation (a match
 * need not begin with the lead), assertions (`^`, `$`, `\b`, lookaround: they look past the window), unbounded counts
 * (`*`, `+`, `{n,}`: no window holds every match), escapes with operands, named groups, `\p`.
 */
function atomsOf(source: string): Atom[] | null {
  let i = 0;
  const seq = (): Atom[] | null => {
    const out: Atom[] = [];
    while (i < source.length && source[i] !== ')') {
      const c = source[i];
      let atom: Atom;
      if (c === '(') {
        if (source.startsWith('(?:', i)) i += 3;
        else if (source[i + 1] === '?') return null;
        else i += 1;
        const inner = seq();
        if (inner === null || source[i] !== ')') return null;
        i++;
        atom = { kind: 'group', seq: inner, min: 1, max: 1 };
      } else if (c === '[') {
        // To the closing bracket (escapes inside it skipped); JavaScript closes a class at its first unescaped "]".
        for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
        if (i >= source.length) return null;
        i++;
        atom = { kind: 'set', min: 1, max: 1 };
      } else if (c === '\\') {
        const e = source[i + 1];
        if (e === undefined || OPERAND_ESCAPES.has(e) || 'bBpP'.includes(e)) return null;
        i += 2;
        atom = SPECIAL_ESCAPES.has(e) ? { kind: 'set', min: 1, max: 1 } : { kind: 'char', ch: e, min: 1, max: 1 };
      } else if ('|^$*+?{'.includes(c)) return null;
      else {
        i++;
        atom = c === '.' ? { kind: 'set', min: 1, max: 1 } : { kind: 'char', ch: c, min: 1, max: 1 };
      }
      const q = source[i];
      if (q === '*' || q === '+') return null;
      if (q === '?') {
        atom.min = 0;
        i++;
        if (source[i] === '?') i++; // lazy: the same lengths, tried in another order
      } else if (q === '{') {
        const m = /^\{(\d+)(?:,(\d+))?\}/.exec(source.slice(i, i + 24));
        if (!m) return null;
        atom.min = Number(m[1]);
        atom.max = Number(m[2] ?? m[1]);
        i += m[0].length;
        if (source[i] === '?') i++;
      }
      out.push(atom);
    }
    return out;
  };
  const atoms = seq();
  return atoms === null || i !== source.length ? null : atoms;
}

const spanOf = (seq: Atom[]): number => seq.reduce((n, a) => n + a.max * (a.kind === 'group' ? spanOf(a.seq) : 1), 0);

/** The characters every match begins with: atoms taken exactly once, from the start, into groups. */
function prefixOf(seq: Atom[]): { text: string; whole: boolean } {
  let text = '';
  for (const a of seq) {
    if (a.min !== 1 || a.max !== 1) return { text, whole: false };
    if (a.kind === 'set') return { text, whole: false };
    if (a.kind === 'char') text += a.ch;
    else {
      const inner = prefixOf(a.seq);
      text += inner.text;
      if (!inner.whole) return { text, whole: false };
    }
  }
  return { text, whole: true };
}

/** The longest window of text a lead-gated pattern is tried on: a match spans at most this (its span). */
const MAX_SPAN = 1024;

/**
 * For a pattern with no needle: the literal every match begins with (at least 2 characters), and the most characters
 * a match spans, or null. Such a pattern is tried only where its lead occurs in the bytes, on the span's window from
 * there (a sticky regex): the same matches as the global regex over the whole chunk, since every match begins at an
 * occurrence of the lead, no match at an occurrence depends on text past the window (no assertions, bounded counts),
 * and the occurrences are tried left to right from the end of the last match. bzip2's `(1\.\d\.\d{1,2}), ...` leads
 * with "1.", sqlite's source id with "20"; run over every chunk as text instead, they cost more than the rest.
 */
export function leadOf(re: RegExp): { lead: string; span: number } | null {
  // Not sticky (y): run over the chunk, such a pattern matches only from its start on, back to back.
  if (!/^[gsu]*$/.test(re.flags)) return null;
  const atoms = atomsOf(re.source);
  if (atoms === null) return null;
  const span = spanOf(atoms);
  const lead = prefixOf(atoms).text;
  return lead.length >= 2 && span <= MAX_SPAN ? { lead, span } : null;
}

/**
 * Patterns as scanRegions runs them: each global (lastIndex reset per chunk) with its needle, and the keys that find
 * the needles. Most files hold no library's markers, so a pattern with a needle runs only on a chunk that holds its
 * needle, and what a chunk holds is found from the keys (gateKeys): short substrings that every needle has one of,
 * each looked for with its own indexOf pass. Measured over the read-only data of /usr's ELF files (516 MiB): one
 * regex of all 17 needles as alternatives took 1.3-1.4 ms a MiB (V8's irregexp slows with each alternative: two
 * 4-character ones cost four times one), the 8 keys' passes about 0.5 together (as text). The keys (and the leads of patterns
 * with no needle, leadOf) are looked for in the bytes (bytes/search.ts), so a chunk is decoded as text only for a
 * pattern that runs over all of it: decoding every chunk had cost more (0.6 ms a MiB) than the keys' passes.
 */
interface Key {
  /** The key's bytes (null: a character past U+00FF, which Latin-1 text never holds). */
  key: Uint8Array | null;
  /** The patterns (by index) whose needle holds the key, and where in the needle. */
  members: { i: number; at: number }[];
}
interface Pattern {
  re: RegExp;
  needle: string | null;
  /** The needle's bytes (null: none, or one no Latin-1 text holds). */
  needleBytes: Uint8Array | null;
  /** A pattern with no needle, tried where its lead begins (leadOf): the lead's bytes, the span, the sticky regex. */
  lead: { bytes: Uint8Array; span: number; sticky: RegExp } | null;
}
interface Compiled { res: Pattern[]; keys: Key[] }
const compiledSets = new Map<string, Compiled>();

/**
 * Key length. Buffer's indexOf finds 2- to 4-byte keys alike (0.06-0.09 ms a MiB over binaries' data; 8 bytes cost
 * 0.5), so the shortest that keeps hits few: 3 characters give 6 keys for STRING_PATTERNS' 17 needles (4 gave 8), 0.47
 * ms a MiB for all their passes against 0.64; 2 give 5, but a hundred times the hits.
 */
const KEY_LENGTH = 3;
/**
 * How common a character is in binaries' read-only data (0 rare .. 3 common), measured over /usr's ELF files: NUL is
 * a third of the bytes, then space and lower-case letters (0.4-2.3% each), digits and '_' (0.3-0.8%); upper-case
 * letters and other punctuation 0.2-0.4%. An indexOf pass costs more the more often its key's first character occurs.
 */
function rarity(c: number): number {
  if (c <= 0x20 || c >= 0x7f) return 3;
  if (c >= 0x61 && c <= 0x7a) return 2;
  if ((c >= 0x30 && c <= 0x39) || c === 0x5f) return 1;
  return 0;
}

/**
 * Keys for `needles`: each needle holds at least one key (as a substring, at a known offset), so a text without any
 * key holds no needle. Greedy: the KEY_LENGTH-character substring the most needles not yet covered hold, then the
 * one whose first character (then all) is rarest; the first of equals. Over STRING_PATTERNS: 17 needles, 6 keys (the
 * nine Rust `-sys` crates share "-sy", the three SSL banners "SSL"). A needle no longer than KEY_LENGTH is its own key.
 */
export function gateKeys(needles: readonly string[]): { key: string; members: { needle: number; at: number }[] }[] {
  const keys: { key: string; members: { needle: number; at: number }[] }[] = [];
  const left = new Set(needles.keys());
  const cost = (k: string) => rarity(k.charCodeAt(0)) * 16 + [...k].reduce((a, ch) => a + rarity(ch.charCodeAt(0)), 0);
  while (left.size) {
    let best: string | null = null, bestCount = 0, bestCost = Infinity;
    for (const n of left) {
      const w = needles[n];
      if (w.length <= KEY_LENGTH) {
        // A short needle is its own key, taken before anything else (nothing shorter covers it).
        if (bestCount < Infinity) [best, bestCount, bestCost] = [w, Infinity, 0];
        continue;
      }
      for (let o = 0; o + KEY_LENGTH <= w.length; o++) {
        const k = w.slice(o, o + KEY_LENGTH);
        let count = 0;
        for (const m of left) if (needles[m].includes(k)) count++;
        const c = cost(k);
        if (count > bestCount || (count === bestCount && c < bestCost)) [best, bestCount, bestCost] = [k, count, c];
      }
    }
    const key = best as string;
    const members: { needle: number; at: number }[] = [];
    for (const m of [...left]) {
      const at = needles[m].indexOf(key);
      if (at >= 0) {
        members.push({ needle: m, at });
        left.delete(m);
      }
    }
    keys.push({ key, members });
  }
  return keys;
}

/** The same list given again (fingerprints.ts PATTERN_RES, every file's scan): known by identity, no key built. */
const byList = new WeakMap<readonly RegExp[], Compiled>();

function compile(patterns: readonly RegExp[]): Compiled {
  let c = byList.get(patterns);
  if (c) return c;
  const id = patterns.map((p) => `${p.flags}/${p.source}`).join('\n');
  c = compiledSets.get(id);
  if (c) {
    byList.set(patterns, c);
    return c;
  }
  const res = patterns.map((p): Pattern => {
    const needle = needleOf(p);
    const lead = needle === null ? leadOf(p) : null;
    const bytes = lead && latin1Bytes(lead.lead);
    return {
      re: new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`), needle, needleBytes: needle === null ? null : latin1Bytes(needle),
      lead: lead && bytes ? { bytes, span: lead.span, sticky: new RegExp(p.source, `${p.flags.replace(/[gy]/g, '')}y`) } : null,
    };
  });
  const needles = [...new Set(res.flatMap((r) => (r.needle === null ? [] : [r.needle])))];
  const keys = gateKeys(needles).map(({ key, members }) => ({
    key: latin1Bytes(key),
    // Every pattern with that needle (two patterns may share one).
    members: members.flatMap(({ needle, at }) => res.flatMap((r, i) => (r.needle === needles[needle] ? [{ i, at }] : []))),
  }));
  c = { res, keys };
  if (compiledSets.size >= 16) compiledSets.clear();
  compiledSets.set(id, c);
  byList.set(patterns, c);
  return c;
}

/**
 * A key found this many times in one chunk without settling its needles (a hostile chunk of "-sys-sys-sys..."): its
 * needles still unsettled are looked for whole instead, so a chunk costs at most this many checks a key.
 */
const MAX_KEY_HITS = 4096;

/** Which patterns' needles the chunk `bytes` holds (present[i] = 1), from the keys, found by `find` (over `bytes`). */
function needlesIn(bytes: Uint8Array, find: Finder, c: Compiled, present: Uint8Array): void {
  for (const { key, members } of c.keys) {
    if (key === null) continue;
    let left = members.length, hits = 0;
    for (let p = find(key, 0); p >= 0 && left > 0; p = find(key, p + 1)) {
      if (++hits > MAX_KEY_HITS) {
        for (const m of members) {
          const needle = c.res[m.i].needleBytes;
          if (!present[m.i] && needle !== null && find(needle, 0) >= 0) present[m.i] = 1;
        }
        break;
      }
      for (const m of members) {
        const needle = c.res[m.i].needleBytes;
        if (present[m.i] || needle === null || !bytesAt(bytes, needle, p - m.at)) continue;
        present[m.i] = 1;
        left--;
      }
    }
  }
}

/**
 * Lead occurrences tried in one chunk before the pattern is run over the chunk's whole text instead: a window costs
 * ~0.3 µs, so a chunk made of leads ("1.1.1.1.", 500,000 of them a MiB) would cost 150 ms where the regex over the
 * text costs a few. What was found by then is found again, in the same order: the matches stay the same.
 */
const MAX_LEAD_HITS = 4096;

/**
 * A lead-gated pattern's matches in the chunk `bytes` (leadOf): at each occurrence of its lead, from the end of the
 * last match on, the sticky regex over the span's window of text from there. `add` takes each; false: stop (the cap).
 * False when it gave up past MAX_LEAD_HITS occurrences: the caller runs the pattern over the whole text.
 */
function leadMatches(bytes: Uint8Array, find: Finder, lead: NonNullable<Pattern['lead']>, add: (m: string) => boolean): boolean {
  const { bytes: key, span, sticky } = lead;
  let hits = 0;
  for (let p = find(key, 0); p >= 0;) {
    if (++hits > MAX_LEAD_HITS) return false;
    sticky.lastIndex = 0;
    const m = sticky.exec(latin1(bytes, p, p + span));
    if (m === null) p = find(key, p + 1);
    else {
      if (!add(m[0])) return true;
      // Not empty: it begins with the lead, 2 characters or more.
      p = find(key, p + m[0].length);
    }
  }
  return true;
}

/**
 * Run regexes over byte ranges of a file, streamed in chunks (limits.scanChunkBytes) that overlap by
 * limits.scanOverlapBytes, so a string split by a chunk boundary is still seen whole; at most limits.maxScanBytes per
 * file however many regions there are. Regions are clamped to the file and overlapping ones merged, so hostile
 * headers naming one range many times cost it once. Patterns must be linear (no nested quantifiers). A pattern whose
 * `skip` entry is true is not run (no matches): the caller knows its matches would not be read.
 */
export function scanRegions(
  src: ByteSource, regions: ScanRegion[], patterns: readonly RegExp[], fmt: 'elf' | 'pe' | 'macho', skip?: readonly boolean[],
): ScanResult {
  const matches: Set<string>[] = patterns.map(() => new Set());
  const where: (string | null)[] = patterns.map(() => null);
  const clamped = regions
    .map((r) => ({ ...r, offset: Math.min(r.offset, src.size), size: Math.max(0, Math.min(r.size, src.size - Math.min(r.offset, src.size))) }))
    .filter((r) => r.size > 0)
    .sort((a, b) => a.offset - b.offset);
  const merged: ScanRegion[] = [];
  for (const r of clamped) {
    const last = merged[merged.length - 1];
    if (last && r.offset <= last.offset + last.size) {
      const end = Math.max(last.offset + last.size, r.offset + r.size);
      last.size = end - last.offset;
    } else merged.push({ ...r });
  }
  const compiled = compile(patterns);
  const global = compiled.res;
  const present = new Uint8Array(global.length);
  // The keys are looked for only when a pattern that runs has a needle (a second pass for a version-only one has none).
  const keyed = global.some((g, i) => g.needle !== null && !skip?.[i]);
  let left = limits.maxScanBytes, scanned = 0, truncated = false;
  for (const r of merged) {
    for (let at = 0; at < r.size;) {
      if (left <= 0) { truncated = true; break; }
      const n = Math.min(limits.scanChunkBytes, r.size - at, left);
      // Latin-1: offsets stay 1:1 with bytes, and ASCII (all the patterns look for) is unchanged.
      const what = `${r.name} (scanned for version strings)`;
      const bytes = src.readTransient ? src.readTransient(r.offset + at, n, fmt, what) : src.read(r.offset + at, n, fmt, what);
      // Decoded only for a pattern run over the whole chunk (its needle is there, or it has neither needle nor lead),
      // or by a finder without a native search (the same text), and within the chunk's turn: the source may hand back
      // a buffer it reuses for the next chunk.
      let whole: string | null = null;
      const textOf = () => (whole ??= latin1(bytes));
      const find = byteFinder(bytes, textOf);
      if (keyed) {
        present.fill(0);
        needlesIn(bytes, find, compiled, present);
      }
      for (let i = 0; i < global.length; i++) {
        if (matches[i].size >= limits.maxScanMatches || skip?.[i]) continue;
        const { re, needle, lead } = global[i];
        if (needle !== null && !present[i]) continue;
        if (needle === null && lead !== null) {
          const done = leadMatches(bytes, find, lead, (m) => {
            if (where[i] === null) where[i] = r.name;
            matches[i].add(m);
            return matches[i].size < limits.maxScanMatches;
          });
          if (done) continue;
        }
        const text = textOf();
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          if (m[0].length === 0) { re.lastIndex++; continue; }
          if (where[i] === null) where[i] = r.name;
          matches[i].add(m[0]);
          if (matches[i].size >= limits.maxScanMatches) break;
        }
      }
      scanned += n;
      left -= n;
      if (at + n >= r.size) break;
      // Step back by the overlap (never to or before where this chunk began).
      at += Math.max(1, n - limits.scanOverlapBytes);
    }
    if (truncated) break;
  }
  return { matches: matches.map((s) => [...s]), where, scanned, truncated };
}
