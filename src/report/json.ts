import type { BinaryResult } from '../facts/types.js';
import { SCHEMA_VERSION, type InspectReport } from './model.js';

/**
 * One binary as it sits in the report's "binaries" array, four spaces deep: JSON.stringify(b, null, 2) indented by
 * four more. Stringified inside two arrays, it comes out indented so already ("[\n  [\n    " before it, "\n  ]\n]"
 * after), with no second pass over the text to indent it. Worker threads render with it too (node/pool-job.ts).
 */
export function renderBinaryJson(b: BinaryResult): string {
  const s = JSON.stringify([[b]], null, 2);
  return s.slice(10, -6);
}

/**
 * `inspect --json` written as it goes: the head, one binary at a time, then the rest. The text is exactly what
 * JSON.stringify(report, null, 2) gives for the whole report (a test holds them equal), so a 2 GB tarball's
 * report is one valid document without ever being one string.
 */
export class InspectJson {
  private n = 0;
  constructor(private readonly version: string) {}

  head(): string {
    const h = JSON.stringify({ schemaVersion: SCHEMA_VERSION, tool: { name: 'linkplan', version: this.version } }, null, 2);
    return `${h.slice(0, -2)},\n  "binaries": [`;
  }

  binary(b: BinaryResult): string {
    return this.rendered(renderBinaryJson(b));
  }

  /** A binary already rendered by renderBinaryJson (in a worker thread). */
  rendered(text: string): string {
    return `${this.n++ ? ',' : ''}\n    ${text}`;
  }

  tail(rest: Pick<InspectReport, 'symlinks' | 'notes' | 'skipped'>): string {
    const body = JSON.stringify({ symlinks: rest.symlinks, notes: rest.notes, skipped: rest.skipped }, null, 2);
    return `${this.n ? '\n  ' : ''}],\n  ${body.slice(4)}\n`;
  }
}

export function renderInspectJson(r: InspectReport, version: string): string {
  const j = new InspectJson(version);
  return j.head() + r.binaries.map((b) => j.binary(b)).join('') + j.tail(r);
}
