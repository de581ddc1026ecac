/**
 * Glob matching for plans. Paths: relative to the plan's directory, `/`-separated; a pattern without "/" matches
 * the base name at any depth. Names (needed libraries, DLLs, dylibs): the same, so `libssl.so*` matches a Mach-O
 * install name `/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib` by its base name. PE names compare
 * case-insensitively, as Windows' loader does.
 *
 * The matcher is our own, and that is a security property: names come from the binaries being checked, so an
 * attacker chooses them. A glob is compiled into a small NFA program (one node per pattern character, plus one per
 * brace alternative) and simulated over the input's code points with a set of live states, never by backtracking
 * and never through a RegExp built from the glob. Matching costs O(len(input) × len(program)) whatever either
 * holds, and `*`/`**`/`?` match any character a file name can hold (newline, CR, control characters, lone
 * surrogates from undecodable bytes), so `path = "**"` really covers every binary.
 *
 * Dialect: `*` (within a segment), `**` (whole segments, zero or more), `?`, `[abc]` `[a-z]` `[!x]` `[^x]`, `{a,b}`
 * (nestable), `\` escapes. Wildcards match leading dots (`*` matches `.hidden`) but never a `.` or `..` segment, so
 * no wildcard reaches outside the plan's directory through a `../` spelling. Anything picomatch-specific that this
 * dialect does not have (extglobs, POSIX classes, brace ranges, negation) is a plan error, never silently literal.
 */
import { MAX_BRACE_DEPTH, MAX_GLOB_LENGTH, quote } from './limits.js';

/** A glob the dialect cannot compile; the message completes `malformed glob "…": <message>`. */
export class GlobSyntaxError extends Error {}

// ------------------------------------------------------------------------------------------------ parsing

type Item =
  | { k: 'lit'; c: number }
  | { k: 'slash' }
  | { k: 'any' }
  | { k: 'star' }
  /** `**`: a globstar when it is a whole segment, else the same as `*` (decided in compileSeq). */
  | { k: 'dstar' }
  /** `ranges`: inclusive code point pairs. */
  | { k: 'class'; neg: boolean; ranges: number[] }
  | { k: 'alt'; alts: Item[][] };

const SLASH = 0x2f, DOT = 0x2e;
const BRACE_RANGE = /^(?:-?\d+\.\.-?\d+|[A-Za-z]\.\.[A-Za-z])(?:\.\.-?\d+)?$/;
const cpWidth = (c: number) => (c > 0xffff ? 2 : 1);

function extglobCheck(p: string, next: number, head: string): void {
  if (p.charCodeAt(next) === 0x28) {
    throw new GlobSyntaxError(`extglob "${head}(…)" is not supported: write alternatives as {a,b} (a literal "(" is [(])`);
  }
}

/** Parse a glob into items. Linear in the pattern: one pass, braces on an explicit stack. */
function parse(p: string): Item[] {
  if (p === '') throw new GlobSyntaxError('an empty pattern matches nothing');
  if (p.length > MAX_GLOB_LENGTH) throw new GlobSyntaxError(`${p.length} characters, more than the limit of ${MAX_GLOB_LENGTH}`);
  if (p.charCodeAt(0) === 0x21 && p.charCodeAt(1) !== 0x28) {
    throw new GlobSyntaxError('a leading "!" (negation) is not supported: leave paths out with exclude');
  }
  const top: Item[] = [];
  const frames: { alts: Item[][]; open: number; parent: Item[] }[] = [];
  let cur = top;
  for (let i = 0; i < p.length;) {
    const c = p.codePointAt(i)!;
    switch (c) {
      case 0x5c: { // \x: x literally
        if (i + 1 >= p.length) throw new GlobSyntaxError('a trailing backslash escapes nothing');
        const e = p.codePointAt(i + 1)!;
        cur.push({ k: 'lit', c: e });
        i += 1 + cpWidth(e);
        continue;
      }
      case 0x2a: { // * or **; a longer run of stars is **
        let j = i;
        while (p.charCodeAt(j) === 0x2a) j++;
        extglobCheck(p, j, '*');
        cur.push({ k: j - i > 1 ? 'dstar' : 'star' });
        i = j;
        continue;
      }
      case 0x3f: extglobCheck(p, i + 1, '?'); cur.push({ k: 'any' }); i++; continue;
      case 0x40: case 0x2b: case 0x21: extglobCheck(p, i + 1, p[i]); cur.push({ k: 'lit', c }); i++; continue;
      // picomatch passed (a|b) through as a regex group; literal here would silently change what such a plan means.
      case 0x7c: throw new GlobSyntaxError('"|" is not glob syntax: write alternatives as {a,b} (a literal "|" is [|])');
      case 0x5b: i = parseClass(p, i, cur); continue;
      case 0x5d: throw new GlobSyntaxError('Missing opening: "["');
      case 0x7b:
        if (frames.length >= MAX_BRACE_DEPTH) throw new GlobSyntaxError(`braces nested more than ${MAX_BRACE_DEPTH} deep`);
        frames.push({ alts: [[]], open: i, parent: cur });
        cur = frames[frames.length - 1].alts[0];
        i++;
        continue;
      case 0x2c:
        if (frames.length) {
          const f = frames[frames.length - 1];
          f.alts.push((cur = []));
        } else cur.push({ k: 'lit', c });
        i++;
        continue;
      case 0x7d: {
        const f = frames.pop();
        i++;
        if (!f) { cur.push({ k: 'lit', c }); continue; }
        cur = f.parent;
        if (f.alts.length > 1) { cur.push({ k: 'alt', alts: f.alts }); continue; }
        // No comma: literal braces, as in sh and picomatch (`${ORIGIN}`, `${LIB}` in search paths stay literal).
        const inner = p.slice(f.open + 1, i - 1);
        if (BRACE_RANGE.test(inner)) {
          throw new GlobSyntaxError(`brace ranges such as ${quote(`{${inner}}`)} are not supported: list the alternatives, or use a class such as [1-3]`);
        }
        cur.push({ k: 'lit', c: 0x7b }, ...f.alts[0], { k: 'lit', c: 0x7d });
        continue;
      }
      case SLASH: cur.push({ k: 'slash' }); i++; continue;
      default: cur.push({ k: 'lit', c }); i += cpWidth(c);
    }
  }
  if (frames.length) throw new GlobSyntaxError('Missing closing: "}"');
  return top;
}

/** `[…]` starting at p[i]: push the class, return the index after `]`. A `]` first in the class is a member. */
function parseClass(p: string, i: number, out: Item[]): number {
  let j = i + 1;
  let neg = false;
  if (p[j] === '!' || p[j] === '^') { neg = true; j++; }
  const ranges: number[] = [];
  const member = (): number => {
    if (j >= p.length) throw new GlobSyntaxError('Missing closing: "]"');
    if (p.charCodeAt(j) === 0x5c) j++;
    if (j >= p.length) throw new GlobSyntaxError('Missing closing: "]"');
    const c = p.codePointAt(j)!;
    j += cpWidth(c);
    return c;
  };
  for (let first = true; ; first = false) {
    if (j >= p.length) throw new GlobSyntaxError('Missing closing: "]"');
    if (p[j] === ']' && !first) return (out.push({ k: 'class', neg, ranges }), j + 1);
    if (p[j] === '[' && p[j + 1] === ':') {
      const m = /^\[:([A-Za-z]*):\]/.exec(p.slice(j, j + 16));
      if (m) throw new GlobSyntaxError(`POSIX class "[:${m[1]}:]" is not supported: use a range such as [a-zA-Z0-9]`);
    }
    const lo = member();
    if (lo === SLASH) throw new GlobSyntaxError('"/" in […] never matches: a class matches one character within a segment');
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      j++;
      const hi = member();
      if (hi < lo) throw new GlobSyntaxError(`range ${quote(`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`)} is out of order`);
      ranges.push(lo, hi);
    } else ranges.push(lo, lo);
  }
}

// ------------------------------------------------------------------------------------------------ compiling

/**
 * Program nodes, four Int32 each: kind, arg, out, out2. STAR, ANY and CLASS are wildcards: each checks, when a
 * state reaches it, that the input position is not inside a `.`/`..` segment (a failed check kills the state).
 */
const LIT = 0, ANY = 1, CLASS = 2, STAR = 3, SPLIT = 4, MATCH = 5;

interface Program {
  code: Int32Array;
  start: number;
  nodes: number;
  classes: { neg: boolean; ranges: Int32Array }[];
  nocase: boolean;
  /** run()'s state lists, made on its first run and reused: a verify matches every file against every artifact. */
  scratch?: { cur: Int32Array; nxt: Int32Array; mark: Int32Array; stack: Int32Array; epoch: number };
}

const YES = 1, NO = 0, UNKNOWN = -1;
type Boundary = typeof YES | typeof NO | typeof UNKNOWN;

class Builder {
  code: number[] = [];
  classes: Program['classes'] = [];
  constructor(readonly nocase: boolean) {}
  node(kind: number, arg: number, out: number, out2 = -1): number {
    this.code.push(kind, arg, out, out2);
    return this.code.length / 4 - 1;
  }
  setOut(n: number, out: number): void { this.code[n * 4 + 2] = out; }
  lit(c: number, next: number): number { return this.node(LIT, this.nocase ? fold(c) : c, next); }
  /** `(* '/')*` then next: zero or more whole segments, each followed by "/" (`**` then `/` in a pattern). */
  segmentsBefore(next: number): number {
    const loop = this.node(SPLIT, 0, -1, next);
    this.setOut(loop, this.node(STAR, 0, this.lit(SLASH, loop)));
    return loop;
  }
  /** `('/' *)*` then next: zero or more "/" + segment ("/**" ending a pattern, so `a/**` matches `a`). */
  segmentsAfter(next: number): number {
    const loop = this.node(SPLIT, 0, -1, next);
    this.setOut(loop, this.lit(SLASH, this.node(STAR, 0, loop)));
    return loop;
  }

  /**
   * Compile a sequence ending in `next`. `startB`/`endB`: is the sequence's start (end) a segment boundary (the
   * pattern's edge or a "/")? A `**` is a globstar only between boundaries; next to a brace group it cannot be told.
   */
  seq(items: Item[], next: number, startB: Boundary, endB: Boundary): number {
    const bound = (j: number, edge: Boundary): Boundary =>
      j < 0 || j >= items.length ? edge : items[j].k === 'slash' ? YES : items[j].k === 'alt' ? UNKNOWN : NO;
    type Op = Item | { k: 'before' } | { k: 'after' } | { k: 'all' } | { k: 'alt*'; alts: Item[][]; s: Boundary; e: Boundary };
    const ops: Op[] = [];
    for (let j = 0; j < items.length; j++) {
      const it = items[j];
      const pb = bound(j - 1, startB), nb = bound(j + 1, endB);
      if (it.k === 'alt') { ops.push({ k: 'alt*', alts: it.alts, s: pb, e: nb }); continue; }
      if (it.k !== 'dstar') { ops.push(it); continue; }
      if (pb === NO || nb === NO) { ops.push({ k: 'star' }); continue; }
      if (pb === UNKNOWN || nb === UNKNOWN) {
        throw new GlobSyntaxError('"**" next to a brace group is ambiguous: make it a path segment of its own ("{a,b}/**", "**/{a,b}")');
      }
      if (items[j + 1]?.k === 'slash') { ops.push({ k: 'before' }); j++; continue; }
      if (ops[ops.length - 1]?.k === 'slash' && j === items.length - 1) { ops[ops.length - 1] = { k: 'after' }; continue; }
      ops.push({ k: 'all' });
    }
    let state = next;
    for (let j = ops.length - 1; j >= 0; j--) {
      const op = ops[j];
      switch (op.k) {
        case 'lit': state = this.lit(op.c, state); break;
        case 'slash': state = this.lit(SLASH, state); break;
        case 'any': state = this.node(ANY, 0, state); break;
        case 'star': state = this.node(STAR, 0, state); break;
        case 'class':
          this.classes.push({ neg: op.neg, ranges: Int32Array.from(op.ranges) });
          state = this.node(CLASS, this.classes.length - 1, state);
          break;
        case 'before': state = this.segmentsBefore(state); break;
        case 'after': state = this.segmentsAfter(state); break;
        case 'all': state = this.node(STAR, 0, this.segmentsAfter(state)); break;
        case 'alt*': {
          const after = state;
          state = this.seq(op.alts[op.alts.length - 1], after, op.s, op.e);
          for (let a = op.alts.length - 2; a >= 0; a--) state = this.node(SPLIT, 0, this.seq(op.alts[a], after, op.s, op.e), state);
          break;
        }
        case 'dstar': case 'alt': throw new Error('unreachable');
      }
    }
    return state;
  }
}

function compileProgram(pattern: string, nocase: boolean): Program {
  const b = new Builder(nocase);
  const start = b.seq(parse(pattern), b.node(MATCH, 0, -1), YES, YES);
  return { code: Int32Array.from(b.code), start, nodes: b.code.length / 4, classes: b.classes, nocase };
}

/** Why a glob cannot be compiled (the message completes `malformed glob "…": …`), or null. */
export function globSyntaxProblem(pattern: string): string | null {
  try {
    compileProgram(pattern, false);
    return null;
  } catch (e) {
    if (e instanceof GlobSyntaxError) return e.message;
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------ matching

/** Simple case folding of one code point (when the folded form is one code point too). */
function fold(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  const l = String.fromCodePoint(c).toLowerCase();
  const f = l.codePointAt(0)!;
  return l.length === cpWidth(f) ? f : c;
}
function upper(c: number): number {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
  const u = String.fromCodePoint(c).toUpperCase();
  const f = u.codePointAt(0)!;
  return u.length === cpWidth(f) ? f : c;
}
function inRanges(r: Int32Array, c: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  return false;
}

/** Code points of a string; a lone surrogate (from bytes that were not UTF-8) is a character of its own. */
function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) { out[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000; i++; continue; }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}

/**
 * Per input position (0..n), is it inside a `.` or `..` segment? A position at a "/" belongs to the segment it
 * ends, one just after a "/" to the segment it starts; both ends of a dot segment are marked.
 */
function dotSegments(cps: Int32Array): Uint8Array {
  const n = cps.length;
  const d = new Uint8Array(n + 1);
  for (let s = 0, i = 0; i <= n; i++) {
    if (i < n && cps[i] !== SLASH) continue;
    const len = i - s;
    if ((len === 1 && cps[s] === DOT) || (len === 2 && cps[s] === DOT && cps[s + 1] === DOT)) for (let k = s; k <= i; k++) d[k] = 1;
    s = i + 1;
  }
  return d;
}

/**
 * The last inputs matched, as code points and dot-segment marks: a path is matched against many globs in a row
 * (every artifact's), in a few spellings (relative, absolute, its base name), and working these out again for each
 * glob was a third of matching.
 */
const recent: { s: string; cps: Int32Array; dot: Uint8Array }[] = [];
const RECENT = 4;
let nextRecent = 0;
function inputOf(s: string): { cps: Int32Array; dot: Uint8Array } {
  for (const r of recent) if (r.s === s) return r;
  const cps = codePoints(s);
  const r = { s, cps, dot: dotSegments(cps) };
  recent[nextRecent] = r;
  nextRecent = (nextRecent + 1) % RECENT;
  return r;
}

/**
 * Run a program over a whole string: Thompson simulation, each state at most once per position. States are marked
 * with the run's epoch plus the position, so the mark array is reused without clearing it.
 */
function run(prog: Program, s: string): boolean {
  const { code, nodes, classes, nocase } = prog;
  const { cps, dot } = inputOf(s);
  const sc = (prog.scratch ??= {
    cur: new Int32Array(nodes), nxt: new Int32Array(nodes), mark: new Int32Array(nodes).fill(-1), stack: new Int32Array(nodes), epoch: 0,
  });
  if (sc.epoch + cps.length + 2 > 0x7fff0000) { sc.mark.fill(-1); sc.epoch = 0; }
  const base = sc.epoch;
  sc.epoch += cps.length + 2;
  let cur = sc.cur, nxt = sc.nxt;
  const { mark, stack } = sc;
  /** Add state s0 and everything reachable from it without input at position pos; returns the new list length. */
  const add = (list: Int32Array, len: number, s0: number, pos: number): number => {
    const stamp = base + pos;
    if (mark[s0] === stamp) return len;
    mark[s0] = stamp;
    let sp = 0;
    stack[sp++] = s0;
    while (sp > 0) {
      const st = stack[--sp];
      const k = code[st * 4];
      if (k === SPLIT || (k === STAR && !dot[pos])) {
        if (k === STAR) list[len++] = st;
        for (let o = 2; o <= 3; o++) {
          const t = code[st * 4 + o];
          if (t >= 0 && mark[t] !== stamp) { mark[t] = stamp; stack[sp++] = t; }
        }
      } else if (k === LIT || k === MATCH || ((k === ANY || k === CLASS) && !dot[pos])) list[len++] = st;
    }
    return len;
  };
  let len = add(cur, 0, prog.start, 0);
  for (let i = 0; i < cps.length && len > 0; i++) {
    const c = cps[i];
    const fc = nocase ? fold(c) : c;
    let nl = 0;
    for (let k = 0; k < len; k++) {
      const st = cur[k];
      const at = st * 4;
      switch (code[at]) {
        case LIT: if (code[at + 1] === fc) nl = add(nxt, nl, code[at + 2], i + 1); break;
        case ANY: if (c !== SLASH) nl = add(nxt, nl, code[at + 2], i + 1); break;
        case STAR: if (c !== SLASH) nl = add(nxt, nl, st, i + 1); break;
        case CLASS: {
          if (c === SLASH) break;
          const cl = classes[code[at + 1]];
          const hit = inRanges(cl.ranges, c) || (nocase && (inRanges(cl.ranges, fold(c)) || inRanges(cl.ranges, upper(c))));
          if (hit !== cl.neg) nl = add(nxt, nl, code[at + 2], i + 1);
          break;
        }
      }
    }
    [cur, nxt] = [nxt, cur];
    len = nl;
  }
  for (let k = 0; k < len; k++) if (code[cur[k] * 4] === MATCH) return true;
  return false;
}

// ------------------------------------------------------------------------------------------------ the API

/** Compile a glob into a whole-string matcher. Throws GlobSyntaxError; plans are validated before they get here. */
export function compileGlob(pattern: string, nocase = false): (s: string) => boolean {
  const prog = compileProgram(pattern, nocase);
  return (s) => run(prog, s);
}

// Compiled programs are reused across binaries. Bounded: a plan may hold 65,536 globs, and a matcher is cheap to
// rebuild (linear in the pattern), so a full cache is simply emptied.
const CACHE_MAX = 16_384;
const cache = new Map<string, (s: string) => boolean>();

function compile(pattern: string, nocase: boolean, basename: boolean): (s: string) => boolean {
  const k = `${nocase ? 'i' : ''}${basename ? 'b' : ''}\0${pattern}`;
  let m = cache.get(k);
  if (!m) {
    const re = compileGlob(pattern, nocase);
    m = basename && !pattern.includes('/') ? (s: string) => re(baseName(s)) : re;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(k, m);
  }
  return m;
}

/** An absolute path or pattern: `/…`, or a Windows drive (`C:/…`). */
export const isAbsolutePath = (p: string) => p.startsWith('/') || /^[A-Za-z]:\//.test(p);

/**
 * Does any pattern match this path (or base name, for patterns without "/")? `path` may be several spellings of
 * one file: its path relative to the plan (perhaps with "../") and its absolute path. An absolute pattern is
 * matched against the absolute spelling only, a relative one against the relative spellings; a file outside the
 * plan's directory (every relative spelling starts with "../", which no wildcard matches) also offers its absolute
 * path to relative patterns, so "**" covers it. `nocase` for PE files: Windows file names are case-insensitive,
 * so `bin/*.dll` covers `bin/FOO.DLL`.
 */
export function matchesPath(patterns: readonly string[], path: string | readonly string[], nocase = false): boolean {
  const ps = typeof path === 'string' ? [path] : path;
  const abs = ps.filter(isAbsolutePath);
  const rel = ps.filter((p) => !isAbsolutePath(p));
  const outside = !rel.some((p) => !p.startsWith('../') && p !== '..');
  const forRelative = outside ? ps : rel;
  return patterns.some((p) => {
    const m = compile(p, nocase, true);
    return (isAbsolutePath(p) ? abs : forRelative).some((x) => m(x));
  });
}

/** The first pattern matching a library name, or undefined. */
export function matchName(patterns: readonly string[], name: string, nocase = false): string | undefined {
  return patterns.find((p) => compile(p, nocase, true)(name));
}

/**
 * A whole-string match, `*` not crossing "/" (search-path entries such as `$ORIGIN/../lib/rustlib/<glob>/lib`).
 * `nocase`: a PE name, which Windows compares case-insensitively.
 */
export function matchEntry(pattern: string, entry: string, nocase = false): boolean {
  return compile(pattern, nocase, false)(entry);
}

export const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
