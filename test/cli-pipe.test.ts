import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT } from './helpers.js';

/** Run the CLI and close its stdout (or stderr) after the first chunk, as `| head -c1` does. */
function closedEarly(args: string[], which: 'stdout' | 'stderr'): Promise<{ code: number | null; stderr: string; chunks: number }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '', chunks = 0;
    const closing = p[which];
    closing.once('data', () => { chunks++; closing.destroy(); });
    if (which === 'stdout') p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stderr, chunks }));
  });
}

describe('a reader that goes away (EPIPE)', () => {
  it('inspect --json | head: stops quietly with exit 2, no stack trace', async () => {
    // samples/ as JSON is several hundred KiB: far more than a pipe holds, so the writes after the close fail.
    const r = await closedEarly(['inspect', '--json', '--jobs', '1', join(ROOT, 'samples')], 'stdout');
    expect(r.chunks).toBe(1);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at |node:events/);
    expect(r.code).toBe(2);
  });

  it('the table and --long, the same', async () => {
    for (const args of [['inspect', join(ROOT, 'samples')], ['inspect', '--long', join(ROOT, 'samples')]]) {
      const r = await closedEarly(args, 'stdout');
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|\n\s+at |node:events/);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
