/** POSIX path arithmetic inside a root, lexical only (no Node built-ins in the core). */

/** `p` made absolute and normalised: `.` and empty segments dropped, `..` applied (never above `/`). */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

export const join = (dir: string, name: string) => normalize(`${dir}/${name}`);

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Is `p` the directory `dir` or inside it? */
export function inside(p: string, dir: string): boolean {
  const d = normalize(dir);
  return d === '/' || p === d || p.startsWith(`${d}/`);
}
