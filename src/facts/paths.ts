/** POSIX path arithmetic, lexical only (no Node built-ins in the core): what the resolver and the facts share. */

/** A `/` that begins an empty, `.` or `..` segment, or ends the path: what normalize() has to change. */
const UNNORMAL = /\/\.{0,2}(?:\/|$)/;

/**
 * `p` made absolute and normalised: `.` and empty segments dropped, `..` applied (never above `/`). An absolute path
 * with none of those is returned as it is: resolution normalises every path it looks up, most already are (an
 * audit of 2,320 files spent 0.18 s splitting and joining them).
 */
export function normalize(p: string): string {
  if (p.charCodeAt(0) === 0x2f && !UNNORMAL.test(p)) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** An absolute path as it leads, a trailing `/` kept (prefix tables compare `/tmp/` with it); others as they are. */
export function leadsTo(p: string): string {
  if (p.charCodeAt(0) !== 0x2f || !UNNORMAL.test(p)) return p;
  const n = normalize(p);
  return p.endsWith('/') && n !== '/' ? `${n}/` : n;
}
