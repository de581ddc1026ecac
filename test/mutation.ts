import { expect } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';

const ABSURD = [0xffffffff, 0x7fffffff, 0x80000000, 0x0000ffff, 0x00010000];

/**
 * The fuzz contract of every reader: any byte string in, facts or a MalformedError-backed failure out. Anything
 * else (a RangeError, a TypeError, an allocation of what a header claims) surfaces as error code `internal`, which
 * fails here. Returns how many variants were parsed.
 */
export function assertSurvives(bytes: Uint8Array, what: string): void {
  const r = inspectSource(new MemorySource(bytes, what), what);
  if (r.error?.code === 'internal') expect.fail(`${what}: ${r.error.message}`);
}

export interface MutationPlan {
  /** Truncate at every offset below this, then at `truncateStep` intervals up to the end. */
  truncateDense?: number;
  truncateStep?: number;
  /** Byte ranges [start, end) in which every 4-byte aligned word is overwritten with absurd values, one at a time. */
  scribble?: [number, number][];
}

export function mutateAll(original: Uint8Array, name: string, plan: MutationPlan = {}): number {
  const dense = Math.min(plan.truncateDense ?? 512, original.length);
  const step = plan.truncateStep ?? Math.max(1, Math.floor(original.length / 400));
  let n = 0;
  for (let len = 0; len < original.length; len = len < dense ? len + 1 : len + step) {
    assertSurvives(original.subarray(0, len), `${name} truncated to ${len}`);
    n++;
  }
  const buf = new Uint8Array(original);
  const dv = new DataView(buf.buffer);
  for (const [start, end] of plan.scribble ?? [[0, Math.min(original.length, 1024)]]) {
    for (let off = start & ~3; off + 4 <= Math.min(end, buf.length); off += 4) {
      const saved = dv.getUint32(off);
      for (const v of ABSURD) {
        dv.setUint32(off, v);
        assertSurvives(buf, `${name} with 0x${v.toString(16)} at ${off}`);
        n++;
      }
      dv.setUint32(off, saved);
    }
  }
  return n;
}
