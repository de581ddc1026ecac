/**
 * Compare dotted versions ("2.28" < "2.28.1" < "2.34"); a missing part counts as 0 ("2.28" = "2.28.0").
 * Walks both strings part by part without splitting them: floors are computed for every version name of every
 * file (tens per glibc library), and two arrays per comparison were a measurable share of a /usr run.
 * A part of digits and then more (library versions: OpenSSL's "1.1.1k", "1.0.2za", a "-beta2" or "rc1" build) is
 * compared by its number, then by suffixRank(): a letter suffix comes after the bare number, a pre-release before.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    let ei = a.indexOf('.', i), ej = b.indexOf('.', j);
    if (ei < 0) ei = a.length;
    if (ej < 0) ej = b.length;
    const x = part(a, i, ei), y = part(b, j, ej);
    const d = Number.isNaN(x) || Number.isNaN(y) ? compareMixed(a.slice(i, ei), b.slice(j, ej)) : x - y;
    if (d !== 0) return d < 0 ? -1 : 1;
    i = ei + 1;
    j = ej + 1;
  }
  return 0;
}

/** Two parts not both all digits: the leading numbers, then the suffixes ("0l" < "1"; "1" < "1a" < "1k" < "1za"). */
function compareMixed(p: string, q: string): number {
  const [, pn = '', ps = p] = /^(\d*)(.*)$/s.exec(p) ?? [];
  const [, qn = '', qs = q] = /^(\d*)(.*)$/s.exec(q) ?? [];
  const n = (pn ? Number(pn) : 0) - (qn ? Number(qn) : 0);
  if (n !== 0) return n;
  const r = suffixRank(ps) - suffixRank(qs);
  if (r !== 0) return r;
  // Letters as OpenSSL counts them: a longer run is later ("z" < "za"); pre-releases by their own number.
  if (ps.length !== qs.length && /^[a-z]+$/i.test(ps) && /^[a-z]+$/i.test(qs)) return ps.length - qs.length;
  const pd = /\d+$/.exec(ps), qd = /\d+$/.exec(qs);
  if (pd && qd && ps.slice(0, pd.index) === qs.slice(0, qd.index)) return Number(pd[0]) - Number(qd[0]);
  return ps < qs ? -1 : ps > qs ? 1 : 0;
}

/** A pre-release ("-beta2", "~rc1", "rc1", "alpha", "pre3", "dev") before the bare number (0), any other suffix after. */
function suffixRank(s: string): number {
  if (s === '') return 0;
  return /^([-~_]|(alpha|beta|rc|pre|dev)\d*$)/i.test(s) ? -1 : 1;
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
