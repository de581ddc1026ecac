/**
 * Compare dotted numeric versions ("2.28" < "2.28.1" < "2.34"); a missing part counts as 0 ("2.28" = "2.28.0").
 * Walks both strings part by part without splitting them: floors are computed for every version name of every
 * file (tens per glibc library), and two arrays per comparison were a measurable share of a /usr run.
 * A part that is not all digits is read as Number() reads it; a NaN makes `a` the greater (as the split version did).
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    let ei = a.indexOf('.', i), ej = b.indexOf('.', j);
    if (ei < 0) ei = a.length;
    if (ej < 0) ej = b.length;
    const x = part(a, i, ei), y = part(b, j, ej);
    const d = x - y;
    if (d !== 0) return d < 0 ? -1 : 1;
    i = ei + 1;
    j = ej + 1;
  }
  return 0;
}

/** s[from, to) as a number: digits only are read directly, anything else as Number() reads it; empty is 0. */
function part(s: string, from: number, to: number): number {
  if (from >= s.length) return 0;
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9 || to - from > 15) return Number(s.slice(from, to));
    n = n * 10 + c;
  }
  return n;
}
