import { readFileSync } from 'node:fs';

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

/** One line on stderr, prefixed with the tool's name: the only way errors reach the user. */
export function errorLine(msg: string): void {
  process.stderr.write(`linkplan: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
}

export function write(s: string): void {
  process.stdout.write(s);
}
