import type { ByteSource } from '../bytes/source.js';
import { limits } from '../bytes/limits.js';
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

/**
 * Patterns as scanRegions runs them: each global (lastIndex reset per chunk) with its needle, and one gate, a regex
 * of every needle as alternatives. A chunk the gate finds nothing in holds no needle, so none of the patterns that
 * have one can match there: one pass over the chunk instead of one per pattern (most files hold no library's
 * markers; over /usr's ELF files the ~20 patterns took 3-5 ms a MiB, the gate ~1). Where the gate finds something,
 * each needle is looked for on its own (the gate's matches may overlap and hide one another).
 */
interface Compiled { res: { re: RegExp; needle: string | null }[]; gate: RegExp | null }
const compiledSets = new Map<string, Compiled>();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function compile(patterns: readonly RegExp[]): Compiled {
  const key = patterns.map((p) => `${p.flags}/${p.source}`).join('\n');
  let c = compiledSets.get(key);
  if (c) return c;
  const res = patterns.map((p) => ({ re: new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`), needle: needleOf(p) }));
  const needles = [...new Set(res.flatMap((r) => (r.needle === null ? [] : [r.needle])))];
  c = { res, gate: needles.length > 1 ? new RegExp(needles.map(escapeRe).join('|')) : null };
  if (compiledSets.size >= 16) compiledSets.clear();
  compiledSets.set(key, c);
  return c;
}

/**
 * Run regexes over byte ranges of a file, streamed in chunks (limits.scanChunkBytes) that overlap by
 * limits.scanOverlapBytes, so a string split by a chunk boundary is still seen whole; at most limits.maxScanBytes per
 * file however many regions there are. Regions are clamped to the file and overlapping ones merged, so hostile
 * headers naming one range many times cost it once. Patterns must be linear (no nested quantifiers).
 */
export function scanRegions(src: ByteSource, regions: ScanRegion[], patterns: readonly RegExp[], fmt: 'elf' | 'pe' | 'macho'): ScanResult {
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
  const { res: global, gate } = compile(patterns);
  let left = limits.maxScanBytes, scanned = 0, truncated = false;
  for (const r of merged) {
    for (let at = 0; at < r.size;) {
      if (left <= 0) { truncated = true; break; }
      const n = Math.min(limits.scanChunkBytes, r.size - at, left);
      // Latin-1: offsets stay 1:1 with bytes, and ASCII (all the patterns look for) is unchanged.
      const text = latin1(src.read(r.offset + at, n, fmt, `${r.name} (scanned for version strings)`));
      const anyNeedle = gate === null || gate.test(text);
      for (let i = 0; i < global.length; i++) {
        if (matches[i].size >= limits.maxScanMatches) continue;
        const { re, needle } = global[i];
        if (needle !== null && (!anyNeedle || (gate !== null && !text.includes(needle)))) continue;
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
