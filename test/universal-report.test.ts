/** A universal file whose slices differ: the report shows each slice's values, never an empty top-level list. */
import { describe, expect, it } from 'vitest';
import { renderInspectTable } from '../src/report/table.js';
import { facts, sample } from './helpers.js';

describe('universal Mach-O whose slices differ, in --long', () => {
  it('rpaths per slice (the top-level list is empty because they differ)', () => {
    const f = facts(sample('macho/universal/bin/mismatch'));
    if (f.format !== 'macho') throw new Error('not Mach-O');
    expect(f.sliceDiffers).toContain('rpaths');
    expect(f.rpaths).toEqual([]);
    const out = renderInspectTable({ binaries: [f], symlinks: [], notes: [], skipped: 0 }, { width: 160, long: true });
    const lines = out.split('\n').map((l) => l.split('│').map((c) => c.trim()));
    const at = lines.findIndex((c) => c[1] === 'rpaths');
    const rows = [lines[at][2]];
    for (let i = at + 1; lines[i]?.[1] === ''; i++) rows.push(lines[i][2]);
    expect(rows).toEqual(['x86_64: @executable_path/../lib', 'x86_64: @loader_path/../Frameworks', 'x86_64: /usr/local/lib', 'arm64: @executable_path/../lib']);
  });
});
