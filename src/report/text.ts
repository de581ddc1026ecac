/**
 * Text for people: the one sanitizer every human-facing renderer and the stderr line pass strings through, and the
 * one width function tables use. Everything a binary says (NEEDED names, rpaths, install names) and every file
 * name is attacker-controlled in CI: a raw "\n::error ...::" would start a GitHub workflow command, a raw ESC
 * would drive the terminal. Machine formats escape per their own spec instead (JSON.stringify, XML 1.0, workflow
 * commands) and never call this.
 */

const hex = (c: number, n: number) => c.toString(16).padStart(n, '0');

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

/**
 * Code points shown escaped rather than printed: C0 and C1 controls and DEL (terminal and log control), the line
 * and paragraph separators (line breaks to some viewers), bidirectional overrides and isolates (text that reads
 * differently from what it is: "Trojan Source"), the BOM / zero-width no-break space, lone surrogates (invalid
 * UTF-16, no character at all) and the Unicode non-characters (U+FDD0–U+FDEF and the last two of every plane,
 * which XML and many terminals reject).
 */
export function mustEscape(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfdd0 && c <= 0xfdef) ||
    (c & 0xfffe) === 0xfffe;
}

/** How one escaped code point is shown: `\n`, `\x1b`, `\u{fffe}`. */
export function escapeCodePoint(c: number): string {
  return NAMED[c] ?? (c < 0x100 ? `\\x${hex(c, 2)}` : `\\u{${hex(c, 4)}}`);
}

// Fast path: most strings hold nothing to escape. The class lists what mustEscape() accepts; lone surrogates are
// matched by the two lookaround alternatives (a JS string iterates them as single code points).
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]/;

/**
 * `s` as one line of visible text: every code point mustEscape() names is written as its escape, so a value can
 * never break a line, start one, or send a control sequence. With `max`, the result keeps at most `max` code
 * points of the original and says how many more there were.
 */
export function visible(s: string, max = Infinity): string {
  let out = s;
  let extra = 0;
  if (s.length > max) {
    // Count code points only as far as needed: the cut is what the reader sees.
    let n = 0, i = 0;
    for (; i < s.length && n < max; n++) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
    extra = [...s.slice(i)].length;
    out = extra ? s.slice(0, i) : s;
  }
  if (SUSPECT.test(out)) {
    let r = '';
    for (const ch of out) {
      const c = ch.codePointAt(0)!;
      // A lone surrogate iterates as one unit; a valid pair never lands here (its code point is above 0xffff).
      r += mustEscape(c) ? escapeCodePoint(c) : ch;
    }
    out = r;
  }
  return extra ? `${out}… (${extra.toLocaleString('en-US')} more characters)` : out;
}

/** `3 binaries`, `1 binary`: a count with its noun, for summary lines (the plural defaults to noun + 's'). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Terminal columns a line takes: East Asian wide and fullwidth characters (and emoji) take two, combining marks and
 * zero-width characters none. `length` counts UTF-16 units, so a CJK file name would be cut short.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

export function charWidth(c: number): number {
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) || (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Items a table cell or list line shows before "… and N more" (JSON always carries every one). */
export const CELL_MAX_ITEMS = 20;
/** Code points of one value a table shows (a 60 KB NEEDED string is not 2,000 wrapped lines). */
export const CELL_MAX_CHARS = 256;

/**
 * A list for a cell: at most `maxItems` entries (each rendered by `f`, then made visible and cut at `maxChars`),
 * the last line saying how many more there are. Only the entries shown are rendered.
 */
export function capList<T>(xs: readonly T[], f: (x: T) => string = String, maxItems = CELL_MAX_ITEMS, maxChars = CELL_MAX_CHARS): string[] {
  const n = xs.length > maxItems ? maxItems - 1 : xs.length;
  const shown: string[] = [];
  for (let i = 0; i < n; i++) shown.push(visible(f(xs[i]), maxChars));
  if (n < xs.length) shown.push(`… and ${(xs.length - n).toLocaleString('en-US')} more`);
  return shown;
}

/** The longest prefix of `s` that fits `width` columns (whole code points, so never half a surrogate pair or wide character). */
export function fitStart(s: string, width: number): string {
  let w = 0, i = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    i += ch.length;
  }
  return s.slice(0, i);
}

/**
 * The longest suffix of `s` that fits `width` columns. A combining mark left at its start (its base character cut
 * off) is dropped too: it would otherwise draw onto the "…" in front of it.
 */
export function fitEnd(s: string, width: number): string {
  const cps = Array.from(s);
  let w = 0, k = cps.length;
  while (k > 0) {
    const cw = charWidth(cps[k - 1].codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    k--;
  }
  while (k < cps.length && charWidth(cps[k].codePointAt(0)!) === 0) k++;
  return cps.slice(k).join('');
}

/**
 * A path in at most `width` columns, the file name kept: the start of the path, "…", then as many whole trailing
 * segments as fit, ending in the whole base name (after the last `/` or `!`, so an archive member keeps its own
 * name). A base name wider than the column keeps its end, where a name differs from its siblings' (`-1.16.22.node`).
 * Measured with displayWidth: a CJK name is cut by its columns, not its UTF-16 units.
 */
export function shortenPath(p: string, width: number): string {
  if (displayWidth(p) <= width) return p;
  if (width <= 1) return width === 1 ? '…' : '';
  const room = width - 1; // columns left once the "…" is placed
  const cuts = [...p.matchAll(/[/!]/g)].map((m) => m.index!);
  const last = cuts.length ? cuts[cuts.length - 1] : -1;
  if (displayWidth(p.slice(last + 1)) > room) {
    // The base name alone does not fit: a few columns of the start (where it is), the rest for the end of the name.
    const head = Math.min(Math.floor(room / 3), 8);
    const start = fitStart(p, head);
    return `${start}…${fitEnd(p, room - displayWidth(start))}`;
  }
  // Whole segments from the end while a little of the start (up to 4 columns) still has room before the "…".
  let tail = p.slice(last + 1);
  if (last >= 0 && displayWidth(p.slice(last)) <= room) tail = p.slice(last);
  for (let j = cuts.length - 2; j >= 0; j--) {
    const more = p.slice(cuts[j]);
    if (displayWidth(more) + Math.min(4, displayWidth(p.slice(0, cuts[j]))) > room) break;
    tail = more;
  }
  const startOf = p.slice(0, p.length - tail.length);
  const start = fitStart(startOf, room - displayWidth(tail));
  return `${start}…${tail}`;
}
