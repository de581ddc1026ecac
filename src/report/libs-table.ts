import type { BinaryFacts } from '../facts/types.js';
import { renderGrid } from './grid.js';
import { visible } from './text.js';
import { LIBS_WORDS } from '../plan/messages.js';

/** Evidence values shown per library in the table (JSON has them all). */
const MAX_EVIDENCE = 4;

/**
 * `inspect --libs` in a table: one block per binary with the libraries found (dynamic or static) and their
 * evidence, then how many were proven absent or could not be ruled out. Null when the binary was read without libs.
 */
export function renderLibsBlock(b: BinaryFacts, width: number): string | null {
  const l = b.libs;
  if (!l) return null;
  const found = l.libraries.filter((x) => x.verdict === 'dynamic' || x.verdict === 'static');
  const absent = l.libraries.filter((x) => x.verdict === 'absent').length;
  const unknown = l.libraries.filter((x) => x.verdict === 'unknown').map((x) => x.name);
  const head = `${visible(b.path)}: ${LIBS_WORDS.summary(found.length, absent, unknown, l.symbolView, l.truncated)}`;
  if (!found.length) return `${head}\n`;
  const rows = found.map((x) => [
    x.name + (x.variant ? ` (${x.variant})` : ''), x.verdict, x.version ?? '-',
    x.evidence.slice(0, MAX_EVIDENCE).map((e) => visible(`${e.field}: ${String(e.value)}`, 200)),
  ]);
  const w = Math.max(60, width);
  return `${head}\n${renderGrid({ head: ['library', 'linked', 'version', 'evidence'], rows, widths: [16, 10, 12, w - 42], wrap: 'fold', compact: true })}\n`;
}
