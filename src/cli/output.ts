import { readFileSync } from 'node:fs';
import { visible } from '../report/text.js';

export const EXIT_OK = 0;
export const EXIT_VIOLATED = 1;
export const EXIT_ERROR = 2;

export function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/** Code points of one stderr line: a 4 MB plan key or a 60 KB library name does not become a 4 MB line. */
export const ERROR_LINE_MAX = 2000;

/**
 * One line on stderr, prefixed with the tool's name: the only way errors reach the user. File names and strings
 * from binaries are in `msg`, so it goes through the sanitizer: a CR, LF or ESC in them is shown, never obeyed.
 */
export function errorLine(msg: string): void {
  process.stderr.write(`linkplan: ${visible(msg, ERROR_LINE_MAX)}\n`);
}

export function write(s: string): void {
  process.stdout.write(s);
}

/**
 * Write and wait while stdout's buffer is full: a run streaming a large report into a slow pipe must not hold the
 * whole report in memory.
 */
export async function emit(s: string): Promise<void> {
  if (!s) return;
  if (!process.stdout.write(s)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

/** What a buffered writer holds before it writes: one write per 64 KiB, not one per binary. */
const OUT_BUFFER = 64 * 1024;

/**
 * Streamed output through one buffer: text is written in pieces of about 64 KiB (with emit's backpressure), and at
 * end(). On a terminal every piece goes out at once, so results appear as they are read, in order with stderr.
 */
export function bufferedOutput(): { write(s: string): Promise<void> | undefined; end(): Promise<void> } {
  const direct = !!process.stdout.isTTY;
  let parts: string[] = [], size = 0;
  const end = async () => {
    const s = parts.join('');
    parts = [];
    size = 0;
    await emit(s);
  };
  return {
    // A promise only when something is written (the caller need not wait a microtask for text kept in the buffer).
    write: (s) => {
      if (direct) return emit(s);
      parts.push(s);
      size += s.length;
      return size >= OUT_BUFFER ? end() : undefined;
    },
    end,
  };
}
