import type { BinaryResult } from '../facts/types.js';
import { SCHEMA_VERSION, type InspectReport } from './model.js';

const indent = (s: string, n: number) => s.replace(/\n/g, `\n${' '.repeat(n)}`);

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
    return `${this.n++ ? ',' : ''}\n    ${indent(JSON.stringify(b, null, 2), 4)}`;
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
