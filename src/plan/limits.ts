/**
 * What one plan may cost. A plan is input like any other: a 4 MiB file may hold hundreds of thousands of globs or a
 * key of millions of characters, and validating, compiling and quoting it must stay linear in its size and bounded
 * in memory. Real plans are far below every limit; exceeding one is a plan error naming the key and the limit.
 */

/** Characters in one glob (before anything is compiled from it). */
export const MAX_GLOB_LENGTH = 4096;
/** Globs in one list (`path`, `exclude`, `ignore`, `needed.allow`, …). */
export const MAX_GLOBS_PER_LIST = 4096;
/** Globs in the whole plan, all lists together. */
export const MAX_GLOBS_PER_PLAN = 65_536;
/** `[[artifact]]` tables in one plan. */
export const MAX_ARTIFACTS = 4096;
/** Brace groups nested inside each other (`{a,{b,{c,d}}}`): the compiler recurses once per level. */
export const MAX_BRACE_DEPTH = 32;
/** Longer keys and values get no "did you mean": no real key is this long, and the edit distance is quadratic. */
export const MAX_SUGGEST_LENGTH = 64;
/** Characters of a key or value quoted in a plan error; the rest is elided with its length. */
export const MAX_QUOTE_LENGTH = 120;

/**
 * A key or value quoted in a plan error: JSON-quoted (control characters escaped, so the error stays one line),
 * cut to MAX_QUOTE_LENGTH characters with the full length appended. Every quote in a plan error goes through here.
 */
export function quote(s: string): string {
  if (s.length <= MAX_QUOTE_LENGTH) return JSON.stringify(s);
  let cut = MAX_QUOTE_LENGTH;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c < 0xdc00) cut--; // not half a surrogate pair
  return `${JSON.stringify(s.slice(0, cut))}… (${s.length} characters)`;
}

/**
 * Levenshtein distance, one row of memory, for "did you mean". Quadratic in the lengths: callers bound them by
 * MAX_SUGGEST_LENGTH first.
 */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
