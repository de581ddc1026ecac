import type { ByteSource } from './bytes/source.js';
import { isMalformed } from './bytes/errors.js';
import { SNIFF_BYTES, describeNonBinary, sniff } from './formats/detect.js';
import { readers } from './registry.js';
import { type BinaryResult, type Format, failed } from './facts/types.js';

const formatOf = (k: string): Format => (k === 'macho-fat' ? 'macho' : (k as Format));

/** Is this source a binary we read? Cheap: looks at the first bytes only. */
export function isBinary(src: ByteSource): boolean {
  return sniff(src.read(0, Math.min(src.size, SNIFF_BYTES))) !== null;
}

/**
 * Facts for one binary. Never throws on bad input: a malformed file becomes a result with `error` set. Anything
 * else escaping a reader is a linkplan bug; it is reported the same way (code `internal`) rather than crashing
 * a run over thousands of files, and the mutation tests make sure none escapes.
 */
export function inspectSource(src: ByteSource, path: string): BinaryResult {
  const head = src.read(0, Math.min(src.size, SNIFF_BYTES));
  const kind = sniff(head);
  if (kind === null) return failed(path, null, 'not-a-binary', describeNonBinary(head));
  try {
    return readers[kind](src, path);
  } catch (e) {
    if (isMalformed(e)) return failed(path, formatOf(kind), 'malformed', e.reason, e.offset);
    return failed(path, formatOf(kind), 'internal', `internal error while reading (${e instanceof Error ? e.message : String(e)}); please report it`);
  }
}
