/** glob(3) over a Sysroot, for ld.so.conf `include` lines: `*`, `?` and `[…]` within a path component, sorted. */
import type { Sysroot } from './model.js';
import { join, normalize } from './paths.js';

const MAX_MATCHES = 4096;

function componentRe(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pat.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let body = pat.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Paths matching `pattern` (absolute), as glob(3) lists them: sorted, files and directories alike. */
export function glob(root: Sysroot, pattern: string): string[] {
  let cur = ['/'];
  for (const seg of normalize(pattern).split('/').filter(Boolean)) {
    const next: string[] = [];
    if (!/[*?[]/.test(seg)) {
      for (const d of cur) if (root.exists(join(d, seg))) next.push(join(d, seg));
    } else {
      const re = componentRe(seg);
      // Like glob(3) without GLOB_PERIOD: a leading dot is matched only by a pattern with one.
      for (const d of cur) for (const n of root.list?.(d) ?? []) if (re.test(n) && (!n.startsWith('.') || seg.startsWith('.'))) next.push(join(d, n));
    }
    cur = next.slice(0, MAX_MATCHES);
  }
  return cur.sort();
}
