import type { Warning } from '../bytes/warning.js';

/** Warnings of one code a binary keeps; the rest are counted in one more warning of that code. */
export const MAX_WARNINGS_PER_CODE = 64;

/**
 * Warnings say what a person should look at; 131,072 "absolute dylib" warnings for one crafted universal file say it
 * no better than 64 and a count, and made its JSON 104 MiB. The facts themselves (every dylib) stay complete.
 */
export function capWarnings(ws: Warning[]): Warning[] {
  if (ws.length <= MAX_WARNINGS_PER_CODE) return ws;
  const seen = new Map<string, number>();
  const out: Warning[] = [];
  for (const w of ws) {
    const n = (seen.get(w.code) ?? 0) + 1;
    seen.set(w.code, n);
    if (n <= MAX_WARNINGS_PER_CODE) out.push(w);
  }
  for (const [code, n] of seen) {
    if (n > MAX_WARNINGS_PER_CODE) out.push({ code, detail: `… and ${(n - MAX_WARNINGS_PER_CODE).toLocaleString('en-US')} more warnings of this kind` });
  }
  return out;
}
